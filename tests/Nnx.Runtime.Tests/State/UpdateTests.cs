using System;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.StateTests;

/// <summary><c>Update</c>: in-place copies that keep identity and <c>requires_grad</c>, and all-or-nothing errors.</summary>
public class UpdateTests
{
    [Fact]
    public void Update_copies_values_in_place_keeping_objects_and_requires_grad()
    {
        using var model = new TinyLm(start: 0);
        using var source = new TinyLm(start: 50);
        Parameter table = model.Embed.Embedding;
        model.Blocks[1].Bias.requires_grad = false;

        model.Update(source.GetState());

        Assert.Same(table, model.Embed.Embedding);
        Assert.Same(table, model.Head.Kernel);
        using Tensor expected = TestValues.Values(50, 5, 3);
        Assert.True(TestValues.BitEqual(table, expected));
        Assert.True(table.requires_grad);
        Assert.True(table.is_leaf);
        Assert.False(model.Blocks[1].Bias.requires_grad);
        Assert.Equal(57L, model.Steps.item<long>());
    }

    [Fact]
    public void Update_with_part_of_a_state_changes_only_that_part()
    {
        using var model = new TinyLm(start: 0);
        using var source = new TinyLm(start: 50);

        model.Update(source.GetState(StateFilter.PathUnder("blocks.1")));

        Assert.True(TestValues.BitEqual(model.Blocks[1].Kernel, source.Blocks[1].Kernel));
        using Tensor unchanged = TestValues.Values(10, 3, 3);
        Assert.True(TestValues.BitEqual(model.Blocks[0].Kernel, unchanged));
    }

    [Fact]
    public void Update_with_wrong_shapes_and_dtypes_lists_every_path_and_changes_nothing()
    {
        using var model = new TinyLm(vocab: 5);
        var snapshot = TestValues.Snapshot(model);
        using Tensor wrongShape = torch.zeros(6, 3);
        using Tensor wrongDtype = torch.zeros(new long[] { 3 }, ScalarType.Float64);
        using Tensor fine = torch.full(3, 3, 9f);
        var state = new State([
            new StateVariable("blocks.0.kernel", VariableKind.Param, fine),
            new StateVariable("embed.embedding", VariableKind.Param, wrongShape),
            new StateVariable("head.bias", VariableKind.Param, wrongDtype),
            new StateVariable("head.extra", VariableKind.Param, fine),
        ]);

        var thrown = Assert.Throws<StateMismatchException>(() => model.Update(state));

        Assert.Equal(
            new[]
            {
                "embed.embedding: expected float32[5, 3], found float32[6, 3]",
                "head.bias: expected float32[3], found float64[3]",
                "head.extra: unexpected (float32[3, 3]; the module has no such variable)",
            },
            thrown.Differences.Select(d => d.ToString()).ToArray());
        Assert.Contains("nothing was changed", thrown.Message);
        Assert.True(TestValues.Unchanged(model, snapshot));
    }

    [Fact]
    public void A_state_that_ties_two_paths_fills_both_in_an_untied_module()
    {
        using var tied = new TinyLm(tied: true, start: 50);
        using var untied = new TinyLm(tied: false, start: 0);

        untied.Update(tied.GetState());

        Assert.NotSame(untied.Embed.Embedding, untied.Head.Kernel);
        using Tensor expected = TestValues.Values(50, 5, 3);
        Assert.True(TestValues.BitEqual(untied.Head.Kernel, expected));
        Assert.True(TestValues.BitEqual(untied.Embed.Embedding, expected));
    }

    [Fact]
    public void An_optimizer_built_before_Update_still_steps_the_updated_parameters()
    {
        using var model = new TinyLm(start: 0);
        using var source = new TinyLm(start: 50);
        using var sgd = torch.optim.SGD(model.parameters(), 1.0);

        model.Update(source.GetState());
        sgd.zero_grad();
        using (Tensor loss = model.Blocks[0].Bias.sum()) loss.backward();
        sgd.step();

        using Tensor expected = TestValues.Values(160, 3).sub_(1f);
        Assert.True(TestValues.BitEqual(model.Blocks[0].Bias, expected));
    }
}
