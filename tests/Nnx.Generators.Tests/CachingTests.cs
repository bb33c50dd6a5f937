using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Nnx.Generators.Tests;

/// <summary>The pipeline must not redo work when nothing it reads has changed (IDE responsiveness).</summary>
public class CachingTests
{
    private static readonly string[] Steps = [TrackingNames.ParamFields, TrackingNames.Modules];

    [Fact]
    public void An_unrelated_file_keeps_every_step_cached()
    {
        CSharpCompilation compilation = TestCompilation.Create(Sources.MyEmbed);
        GeneratorDriver driver = TestCompilation.CreateDriver().RunGenerators(compilation);

        CSharpCompilation edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Unrelated { void M() { } }", TestCompilation.ParseOptions));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertAllCached(result);
    }

    [Fact]
    public void An_edit_inside_a_method_body_keeps_every_step_cached()
    {
        CSharpCompilation compilation = TestCompilation.Create(Sources.MyEmbed);
        GeneratorDriver driver = TestCompilation.CreateDriver().RunGenerators(compilation);
        SyntaxTree old = compilation.SyntaxTrees.Single();
        SyntaxTree changed = CSharpSyntaxTree.ParseText(
            Sources.MyEmbed.Replace("index_select(0, tokenIds);", "index_select(0, tokenIds).alias();"), TestCompilation.ParseOptions, old.FilePath);

        GeneratorRunResult result = driver.RunGenerators(compilation.ReplaceSyntaxTree(old, changed)).GetRunResult().Results.Single();

        Assert.NotEqual(old.ToString(), changed.ToString());
        AssertAllCached(result);
    }

    [Fact]
    public void Editing_the_shape_reruns_the_output()
    {
        CSharpCompilation compilation = TestCompilation.Create(Sources.MyEmbed);
        GeneratorDriver driver = TestCompilation.CreateDriver().RunGenerators(compilation);
        SyntaxTree old = compilation.SyntaxTrees.Single();
        SyntaxTree changed = CSharpSyntaxTree.ParseText(Sources.MyEmbed.Replace("vocab,dModel", "vocab,width"), TestCompilation.ParseOptions, old.FilePath);

        GeneratorRunResult result = driver.RunGenerators(compilation.ReplaceSyntaxTree(old, changed)).GetRunResult().Results.Single();

        Assert.Contains(result.TrackedSteps[TrackingNames.ParamFields].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(result.TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
    }

    [Fact]
    public void Models_hold_no_symbols_syntax_or_compilations()
    {
        CSharpCompilation compilation = TestCompilation.Create(Sources.MyEmbed);
        GeneratorRunResult result = TestCompilation.CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single();

        foreach (string step in Steps)
            foreach (var output in result.TrackedSteps[step].SelectMany(s => s.Outputs))
                ModelGraph.AssertHoldsNoRoslynObjects(output.Value);
    }

    private static void AssertAllCached(GeneratorRunResult result)
    {
        foreach (string step in Steps)
            Assert.All(result.TrackedSteps[step].SelectMany(s => s.Outputs),
                o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        Assert.All(result.TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }
}
