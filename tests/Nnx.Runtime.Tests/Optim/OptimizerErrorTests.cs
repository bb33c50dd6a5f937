using System;
using System.Collections.Generic;
using Nnx.Runtime.Tests.StateTests;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Optim;

/// <summary>Bad input to the optimizer, its rules and schedules: a clear exception, and nothing updated.</summary>
public class OptimizerErrorTests
{
    [Fact]
    public void A_filter_that_selects_nothing_is_refused()
    {
        using var model = new Tagger(vocab: 4, dModel: 2, classes: 2, rngs: new Rngs(0));

        var e = Assert.Throws<ArgumentException>(() => new Optimizer(model, UpdateRule.Adam(1e-3), StateFilter.Nothing));

        Assert.Contains("selects no variable", e.Message);
    }

    [Fact]
    public void A_filter_that_selects_an_integer_variable_is_refused_by_name()
    {
        using var model = new Counted();

        var e = Assert.Throws<ArgumentException>(() => new Optimizer(model, UpdateRule.Sgd(0.1), StateFilter.Everything));

        Assert.Contains("'seen'", e.Message);
        Assert.Contains("int64", e.Message);
    }

    [Fact]
    public void A_gradient_of_the_wrong_shape_names_the_path_and_updates_nothing()
    {
        using var model = new Tagger(vocab: 4, dModel: 2, classes: 3, rngs: new Rngs(0));
        using var optimizer = new Optimizer(model, UpdateRule.Adam(0.1));
        var before = TestValues.Snapshot(optimizer);
        using Tensor good = torch.ones(4, 2), bad = torch.ones(2, 2);

        var e = Assert.Throws<ArgumentException>(() => optimizer.Step(new Dictionary<string, Tensor> { ["table"] = good, ["kernel"] = bad }));

        Assert.Contains("'kernel'", e.Message);
        Assert.Contains("float32[2, 2]", e.Message);
        Assert.Contains("float32[2, 3]", e.Message);
        Assert.True(TestValues.Unchanged(optimizer, before));
    }

    [Fact]
    public void A_gradient_for_an_unknown_path_lists_the_paths()
    {
        using var model = new Tagger(vocab: 4, dModel: 2, classes: 3, rngs: new Rngs(0));
        using var optimizer = new Optimizer(model, UpdateRule.Adam(0.1));
        using Tensor g = torch.ones(3);

        var e = Assert.Throws<ArgumentException>(() => optimizer.Step(new Dictionary<string, Tensor> { ["model.bias"] = g }));

        Assert.Contains("'model.bias'", e.Message);
        Assert.Contains("table, kernel, bias", e.Message);
    }

    [Fact]
    public void A_schedule_that_gives_NaN_stops_the_step_before_anything_changes()
    {
        using var model = new Tagger(vocab: 4, dModel: 2, classes: 3, rngs: new Rngs(0));
        using var optimizer = new Optimizer(model, UpdateRule.Adam(Schedule.FromFunction(_ => double.NaN, "broken")));
        model.Bias.grad = torch.ones(3);
        var before = TestValues.Snapshot(optimizer);

        var e = Assert.Throws<InvalidOperationException>(() => optimizer.Step());

        Assert.Contains("broken", e.Message);
        Assert.True(TestValues.Unchanged(optimizer, before));
    }

    [Fact]
    public void Rules_and_schedules_refuse_values_optax_would_turn_into_garbage()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => UpdateRule.Adam(1e-3, b1: 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => UpdateRule.Adam(1e-3, eps: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => UpdateRule.AdamW(1e-3, weightDecay: double.NaN));
        Assert.Contains("momentum", Assert.Throws<ArgumentException>(() => UpdateRule.Sgd(0.1, nesterov: true)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => UpdateRule.Adam(1e-3).ClipByGlobalNorm(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Schedule.Constant(double.PositiveInfinity));
        Assert.Contains("Schedule.Constant", Assert.Throws<ArgumentOutOfRangeException>(() => Schedule.CosineDecay(1e-3, 0)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Schedule.WarmupCosineDecay(0, 1e-3, warmupSteps: 10, decaySteps: 10));
        Assert.Throws<ArgumentException>(() => Schedule.Join([1e-3, 1e-4], [0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Schedule.Constant(1).At(-1));
    }

    [Fact]
    public void An_undefined_row_update_mode_is_refused()
    {
        using var model = new Tagger(vocab: 4, dModel: 2, classes: 3, rngs: new Rngs(0));

        Assert.Throws<ArgumentOutOfRangeException>(() => new Optimizer(model, UpdateRule.Adam(0.1), rowUpdate: (RowUpdate)7));
    }

    /// <summary>A module with an integer variable (a counter, as NNX's <c>nnx.Variable(jnp.array(0))</c>).</summary>
    private sealed class Counted : Module
    {
        private readonly Parameter _weight = new(torch.zeros(2));
        private readonly Tensor _seen = torch.zeros(1, ScalarType.Int64);

        public Counted() : base(nameof(Counted))
        {
            register_parameter("weight", _weight);
            register_buffer("seen", _seen);
        }

        public override void VisitState(IStateVisitor visitor)
        {
            visitor.Variable("weight", VariableKind.Param, _weight);
            visitor.Variable("seen", VariableKind.BatchStat, _seen);
        }
    }
}
