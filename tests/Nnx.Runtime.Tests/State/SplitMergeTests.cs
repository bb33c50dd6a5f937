using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.StateTests;

/// <summary><c>Split</c> and <c>Merge</c>: first-match partition, exhaustiveness, round trips that keep ties.</summary>
public class SplitMergeTests
{
    [Fact]
    public void Split_puts_each_variable_in_the_first_matching_filter()
    {
        using var model = new TinyLm();

        var (_, states) = model.Split(StateFilter.PathUnder("blocks"), VariableKind.Param, StateFilter.Everything);

        Assert.Equal(new[] { "blocks.0.kernel", "blocks.0.bias", "blocks.1.kernel", "blocks.1.bias" }, states[0].Keys.ToArray());
        Assert.Equal(new[] { "embed.embedding", "head.bias" }, states[1].Keys.ToArray());
        Assert.Equal(new[] { "steps" }, states[2].Keys.ToArray());
        Assert.Equal("embed.embedding", states[1].Aliases["head.kernel"]);
    }

    [Fact]
    public void Split_with_filters_that_miss_a_variable_names_it_and_suggests_Everything()
    {
        using var model = new TinyLm();

        var thrown = Assert.Throws<ArgumentException>(() => model.Split(VariableKind.Param));

        Assert.Contains("steps", thrown.Message);
        Assert.Contains("StateFilter.Everything", thrown.Message);
    }

    [Fact]
    public void Merge_rebuilds_the_values_with_the_tied_weight_as_one_object()
    {
        using var model = new TinyLm();
        var (graphDef, states) = model.Split(VariableKind.Param, StateFilter.Everything);

        using var merged = (TinyLm)graphDef.Merge(states[1], states[0]);

        Assert.NotSame(model, merged);
        Assert.Same(merged.Embed.Embedding, merged.Head.Kernel);
        Assert.NotSame(model.Embed.Embedding, merged.Embed.Embedding);
        using Tensor table = TestValues.Values(0, 5, 3);
        Assert.True(TestValues.BitEqual(merged.Embed.Embedding, table));
        Assert.True(TestValues.BitEqual(merged.Blocks[1].Bias, model.Blocks[1].Bias));
        Assert.Equal(7L, merged.Steps.item<long>());
        Assert.True(merged.Embed.Embedding.requires_grad);
        Assert.True(merged.Embed.Embedding.is_leaf);
    }

    [Fact]
    public void Merge_without_every_state_lists_every_missing_path_and_builds_nothing()
    {
        using var model = new TinyLm();
        var (graphDef, states) = model.Split(StateFilter.PathUnder("blocks"), StateFilter.Everything);

        var thrown = Assert.Throws<StateMismatchException>(() => graphDef.Merge(states[1]));

        Assert.Equal(
            new[] { "blocks.0.kernel", "blocks.0.bias", "blocks.1.kernel", "blocks.1.bias" },
            thrown.Differences.Select(d => d.Path).ToArray());
        Assert.All(thrown.Differences, d => Assert.Equal(StateDifferenceKind.Missing, d.Kind));
        Assert.Contains("blocks.0.kernel: missing (the module expects float32[3, 3])", thrown.Message);
    }

    [Fact]
    public void Merge_with_a_path_in_two_states_says_which()
    {
        using var model = new TinyLm();
        var (graphDef, states) = model.Split();

        var thrown = Assert.Throws<ArgumentException>(() => graphDef.Merge(states[0], states[0]));

        Assert.Contains("'embed.embedding' is in state 0 and state 1", thrown.Message);
    }

    [Fact]
    public void Merge_with_a_wrong_shape_names_the_path_expected_and_found()
    {
        using var model = new TinyLm(vocab: 5);
        using var other = new TinyLm(vocab: 6);
        var (graphDef, _) = model.Split();

        var thrown = Assert.Throws<StateMismatchException>(() => graphDef.Merge(other.GetState()));

        StateDifference difference = Assert.Single(thrown.Differences);
        Assert.Equal("embed.embedding: expected float32[5, 3], found float32[6, 3]", difference.ToString());
    }

    [Fact]
    public void GraphDef_describes_the_structure()
    {
        using var model = new TinyLm();

        var (graphDef, _) = model.Split();

        Assert.Equal(typeof(TinyLm), graphDef.ModuleType);
        Assert.Equal(7, graphDef.Paths.Count);
        Assert.Contains("head.kernel: tied to embed.embedding", graphDef.ToString());
        Assert.Contains("steps: BatchStat int64[]", graphDef.ToString());
    }

    [Fact]
    public void Clone_copies_values_ties_frozen_flags_and_training_mode_into_new_tensors()
    {
        using var model = new TinyLm();
        model.Blocks[0].Kernel.requires_grad = false;
        model.eval();

        using TinyLm copy = model.Clone();

        Assert.Same(copy.Embed.Embedding, copy.Head.Kernel);
        Assert.NotSame(model.Blocks[0].Kernel, copy.Blocks[0].Kernel);
        Assert.True(TestValues.BitEqual(copy.Blocks[0].Kernel, model.Blocks[0].Kernel));
        Assert.False(copy.Blocks[0].Kernel.requires_grad);
        Assert.True(copy.Blocks[1].Kernel.requires_grad);
        Assert.False(copy.training);
        using (torch.no_grad()) copy.Embed.Embedding.add_(1);
        using Tensor table = TestValues.Values(0, 5, 3);
        Assert.True(TestValues.BitEqual(model.Embed.Embedding, table));
    }

    [Fact]
    public void Clone_of_a_module_without_a_definition_says_so_while_split_still_works()
    {
        using var model = new Unvisited();

        var (graphDef, _) = model.Split();
        var thrown = Assert.Throws<NotSupportedException>(() => model.Clone());

        Assert.Equal(4, graphDef.Paths.Count);
        Assert.Contains("Unvisited has no Definition", thrown.Message);
        Assert.Contains("override Definition", thrown.Message);
    }
}
