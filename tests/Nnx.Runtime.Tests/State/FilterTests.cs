using System;
using System.Linq;

namespace Nnx.Runtime.Tests.StateTests;

/// <summary>State filters: by kind, by path (exact, prefix, segment, regex), predicates and their combinations.</summary>
public class FilterTests
{
    private static string[] Paths(Module model, StateFilter filter) => model.GetState(filter).Keys.ToArray();

    [Fact]
    public void Kind_filters_select_params_or_batch_stats()
    {
        using var model = new TinyLm();

        Assert.Equal(new[] { "steps" }, Paths(model, VariableKind.BatchStat));
        Assert.Equal(6, model.GetState(StateFilter.Param).Count);
        Assert.Equal(Paths(model, StateFilter.BatchStat), Paths(model, VariableKind.BatchStat));
    }

    [Fact]
    public void Path_filters_match_exact_paths_whole_segment_prefixes_segments_and_regexes()
    {
        using var model = new TinyLm();

        Assert.Equal(new[] { "blocks.0.bias" }, Paths(model, StateFilter.PathIs("blocks.0.bias")));
        Assert.Equal(new[] { "blocks.1.kernel", "blocks.1.bias" }, Paths(model, StateFilter.PathUnder("blocks.1")));
        Assert.Empty(Paths(model, StateFilter.PathUnder("block")));
        Assert.Equal(new[] { "blocks.0.kernel", "blocks.1.kernel" }, Paths(model, StateFilter.PathContains("kernel")));
        Assert.Equal(new[] { "blocks.0.bias", "blocks.1.bias" }, Paths(model, StateFilter.PathMatches(@"^blocks\.\d+\.bias$")));
    }

    [Fact]
    public void Combined_filters_follow_any_all_and_not()
    {
        using var model = new TinyLm();

        Assert.Equal(new[] { "embed.embedding", "steps" }, Paths(model, StateFilter.PathUnder("embed") | VariableKind.BatchStat));
        Assert.Equal(new[] { "blocks.0.bias" }, Paths(model, StateFilter.PathUnder("blocks.0") & StateFilter.PathContains("bias")));
        Assert.Equal(new[] { "steps" }, Paths(model, !StateFilter.Param));
        Assert.Equal(7, Paths(model, StateFilter.Everything).Length);
        Assert.Empty(Paths(model, StateFilter.Nothing));
        Assert.Equal(new[] { "embed.embedding" }, Paths(model, StateFilter.Where(v => v.Value.numel() == 15, "fifteen values")));
    }

    [Fact]
    public void A_filter_keeps_the_aliases_of_the_variables_it_keeps()
    {
        using var model = new TinyLm();

        State embed = model.GetState(StateFilter.PathUnder("embed"));
        State head = model.GetState(StateFilter.PathUnder("head"));

        Assert.Equal("embed.embedding", embed.Aliases["head.kernel"]);
        Assert.Equal(new[] { "head.bias" }, head.Keys.ToArray());
        Assert.Empty(head.Aliases);
    }

    [Fact]
    public void Filters_describe_themselves()
    {
        StateFilter filter = (StateFilter.Param | StateFilter.PathUnder("head")) & !StateFilter.PathMatches("bias$");

        Assert.Equal("All(Any(Param, PathUnder(\"head\")), Not(PathMatches(\"bias$\")))", filter.ToString());
    }

    [Fact]
    public void Bad_filter_arguments_are_rejected_with_the_reason()
    {
        Assert.Throws<ArgumentException>(() => StateFilter.PathUnder(""));
        Assert.Contains("not a valid regular expression", Assert.Throws<ArgumentException>(() => StateFilter.PathMatches("(unclosed")).Message);
        var thrown = Assert.Throws<ArgumentNullException>(() => StateFilter.Any(StateFilter.Param, null!));
        Assert.Contains("Filter 1 is null", thrown.Message);
    }
}
