using System;
using System.Linq;
using EmbedForward;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.StateTests;

/// <summary><c>GetState</c>: paths in declaration order, kinds, live tensors, shared references, the fallback, the printout.</summary>
public class GetStateTests
{
    [Fact]
    public void State_lists_paths_in_declaration_order_with_kinds_and_live_tensors()
    {
        using var model = new TinyLm();

        State state = model.GetState();

        Assert.Equal(
            new[] { "embed.embedding", "blocks.0.kernel", "blocks.0.bias", "blocks.1.kernel", "blocks.1.bias", "head.bias", "steps" },
            state.Keys.ToArray());
        Assert.Equal(VariableKind.BatchStat, state["steps"].Kind);
        Assert.All(state.Values.Where(v => v.Path != "steps"), v => Assert.Equal(VariableKind.Param, v.Kind));
        Assert.Same(model.Embed.Embedding, state["embed.embedding"].Value);
        Assert.Same(model.Blocks[1].Bias, state["blocks.1.bias"].Value);
        Assert.Same(model.Steps, state["steps"].Value);
        Assert.Equal(new long[] { 3, 3 }, state["blocks.0.kernel"].Shape);
        Assert.Equal(ScalarType.Int64, state["steps"].DType);
    }

    [Fact]
    public void A_tied_weight_is_stored_once_under_its_first_path_and_recorded_as_an_alias()
    {
        using var model = new TinyLm(tied: true);

        State state = model.GetState();

        Assert.False(state.ContainsKey("head.kernel"));
        Assert.Equal("embed.embedding", Assert.Single(state.Aliases, a => a.Key == "head.kernel").Value);
        Assert.Same(model.Head.Kernel, state.Resolve("head.kernel").Value);
        var thrown = Assert.Throws<System.Collections.Generic.KeyNotFoundException>(() => state["head.kernel"]);
        Assert.Contains("tied to 'embed.embedding'", thrown.Message);
    }

    [Fact]
    public void An_untied_model_stores_the_head_kernel_itself()
    {
        using var model = new TinyLm(tied: false);

        State state = model.GetState();

        Assert.Empty(state.Aliases);
        Assert.Same(model.Head.Kernel, state["head.kernel"].Value);
        Assert.Equal(8, state.Count);
    }

    [Fact]
    public void Tree_printout_shows_nesting_kind_dtype_shape_and_ties()
    {
        using var model = new TinyLm(vocab: 5, dModel: 3);

        string expected = string.Join(Environment.NewLine,
            "State: 7 variables (43 values), 1 alias",
            "  embed",
            "    embedding: Param float32[5, 3]",
            "  blocks",
            "    0",
            "      kernel: Param float32[3, 3]",
            "      bias: Param float32[3]",
            "    1",
            "      kernel: Param float32[3, 3]",
            "      bias: Param float32[3]",
            "  head",
            "    kernel: tied to embed.embedding",
            "    bias: Param float32[3]",
            "  steps: BatchStat int64[]");
        Assert.Equal(expected, model.GetState().ToString());
    }

    [Fact]
    public void A_module_without_VisitState_is_read_from_torchsharp_registrations()
    {
        using var model = new Unvisited();

        State state = model.GetState();

        Assert.Equal(new[] { "weight", "mean", "inner.kernel", "inner.bias" }, state.Keys.ToArray());
        Assert.Equal(VariableKind.Param, state["weight"].Kind);
        Assert.Equal(VariableKind.BatchStat, state["mean"].Kind);
        Assert.False(state.ContainsKey("scratch"));
    }

    [Fact]
    public void The_generated_sample_module_exposes_its_table_as_a_param()
    {
        using var model = new MyEmbed(vocab: 6, dModel: 2, rngs: new Rngs(0));

        StateVariable only = Assert.Single(model.GetState().Values);

        Assert.Equal("embedding", only.Path);
        Assert.Equal(VariableKind.Param, only.Kind);
        Assert.Same(model.Embedding, only.Value);
    }

    [Fact]
    public void A_name_reported_twice_is_an_error_naming_it()
    {
        using var model = new ReportsTwice();

        var thrown = Assert.Throws<InvalidOperationException>(() => model.GetState());

        Assert.Contains("'w' twice", thrown.Message);
        Assert.Contains(nameof(ReportsTwice), thrown.Message);
    }

    [Fact]
    public void A_disposed_module_is_reported_instead_of_read()
    {
        var model = new TinyLm();
        model.Dispose();

        var thrown = Assert.Throws<InvalidOperationException>(() => model.GetState());

        Assert.Contains("disposed", thrown.Message);
    }
}
