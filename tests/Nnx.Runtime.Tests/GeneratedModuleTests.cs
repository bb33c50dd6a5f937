using System;
using System.Linq;
using EmbedForward;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests;

/// <summary>A module with two parameters, to check the order keys are drawn in.</summary>
public partial class TwoParams
{
    [Param(Shape = "rows,cols", Init = "normal")]
    public Parameter a;

    [Param(Shape = "cols", Init = "normal(0.5)")]
    public Parameter b;
}

/// <summary>Compile-and-run tests of generated modules with real TorchSharp tensors and autograd.</summary>
public class GeneratedModuleTests
{
    [Fact]
    public void Generated_constructor_exposes_dimensions_and_registers_the_table()
    {
        using var model = new MyEmbed(vocab: 10, dModel: 4, rngs: new Rngs(0));

        Assert.Equal(10, model.Vocab);
        Assert.Equal(4, model.DModel);
        Assert.Equal(new[] { "embedding" }, model.named_parameters().Select(p => p.name).ToArray());
        Assert.Equal(new[] { "embedding" }, model.state_dict().Keys.ToArray());
        Assert.Same(model.Embedding, model.parameters().Single());
        Assert.Equal(new long[] { 10, 4 }, model.Embedding.shape);
        Assert.True(model.Embedding.requires_grad);
        Assert.True(model.Embedding.is_leaf);
    }

    [Fact]
    public void Parameters_draw_keys_in_declaration_order()
    {
        using var model = new TwoParams(rows: 2, cols: 3, rngs: new Rngs(11));
        PrngKey seedKey = PrngKey.FromSeed(11);
        using Tensor expectedA = JaxRandom.Normal(seedKey.FoldIn(0), 2, 3);
        using Tensor expectedB = JaxRandom.Normal(seedKey.FoldIn(1), 3).mul_(0.5f);

        Assert.True(expectedA.equal(model.a).all().item<bool>());
        Assert.True(expectedB.equal(model.b).all().item<bool>());
        Assert.Equal(new[] { "a", "b" }, model.named_parameters().Select(p => p.name).ToArray());
    }

    [Fact]
    public void An_adam_step_changes_exactly_the_rows_that_were_looked_up()
    {
        using var model = new MyEmbed(vocab: 6, dModel: 3, rngs: new Rngs(1));
        using Tensor before = model.Embedding.detach().clone();
        using var optimizer = torch.optim.Adam(model.parameters(), lr: 0.1);
        using Tensor ids = torch.tensor(new long[] { 1, 4, 4 });

        optimizer.zero_grad();
        using (Tensor loss = model.Forward(ids).sum())
            loss.backward();
        optimizer.step();

        using Tensor changed = (model.Embedding.detach() != before).any(1);
        Assert.Equal(new[] { false, true, false, false, true, false }, changed.data<bool>().ToArray());
    }

    [Fact]
    public void To_float64_replaces_the_field_and_the_registration_together()
    {
        using var model = new MyEmbed(vocab: 5, dModel: 2, rngs: new Rngs(0));
        using Tensor original = model.Embedding.detach().clone();

        model.to(ScalarType.Float64);

        Assert.Equal(ScalarType.Float64, model.Embedding.dtype);
        Assert.Same(model.Embedding, model.parameters().Single());
        Assert.True(model.Embedding.to(ScalarType.Float32).equal(original).all().item<bool>());
    }

    [Fact]
    public void A_module_built_inside_a_dispose_scope_keeps_its_weights()
    {
        MyEmbed model;
        using (torch.NewDisposeScope())
            model = new MyEmbed(vocab: 3, dModel: 2, rngs: new Rngs(0));

        using (model)
        {
            Assert.False(model.Embedding.IsInvalid);
            Assert.Equal(6, model.Embedding.numel());
        }
    }

    [Fact]
    public void Dispose_releases_the_parameters()
    {
        var model = new MyEmbed(vocab: 3, dModel: 2, rngs: new Rngs(0));
        Parameter table = model.Embedding;

        model.Dispose();

        Assert.True(table.IsInvalid);
    }

    [Theory]
    [InlineData(0, 3, "vocab")]
    [InlineData(4, -1, "dModel")]
    public void A_dimension_below_one_is_rejected_by_name(long vocab, long dModel, string name)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MyEmbed(vocab, dModel, new Rngs(0)));

        Assert.Equal(name, e.ParamName);
        Assert.Contains($"'{name}'", e.Message);
    }
}
