using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Nnx.Generators.Tests;

/// <summary>The pipeline must not redo work when nothing it reads has changed (IDE responsiveness).</summary>
public class CachingTests
{
    private static readonly string[] Steps = TrackingNames.All;

    /// <summary>The sources, with a method-body edit and a shape edit for each.</summary>
    public static TheoryData<string> SourceNames => new() { nameof(Sources.MyEmbed), nameof(Sources.TinyLm), nameof(Sources.WholeModels) };

    private static readonly Dictionary<string, (string Source, string BodyFrom, string BodyTo, string ShapeFrom, string ShapeTo)> Cases = new()
    {
        [nameof(Sources.MyEmbed)] = (Sources.MyEmbed, "index_select(0, tokenIds);", "index_select(0, tokenIds).alias();", "vocab,dModel", "vocab,width"),
        [nameof(Sources.TinyLm)] = (Sources.TinyLm, "x.matmul(head.t());", "x.matmul(head.t()).alias();", "dModel,hidden", "dModel,width"),
        [nameof(Sources.WholeModels)] = (Sources.WholeModels, "drop.Forward(attn.Forward(ln.Forward(x)));", "drop.Forward(attn.Forward(ln.Forward(x))).alias();", "numHeads, dModel/numHeads", "numHeads, 2*dModel/numHeads"),
    };

    [Theory]
    [MemberData(nameof(SourceNames))]
    public void An_unrelated_file_keeps_every_step_cached(string name)
    {
        CSharpCompilation compilation = TestCompilation.Create(Cases[name].Source);
        GeneratorDriver driver = TestCompilation.CreateDriver().RunGenerators(compilation);

        CSharpCompilation edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Unrelated { void M() { } }", TestCompilation.ParseOptions));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertAllCached(result);
    }

    [Theory]
    [MemberData(nameof(SourceNames))]
    public void An_edit_inside_a_method_body_keeps_every_step_cached(string name)
    {
        var c = Cases[name];
        GeneratorRunResult result = RunEdited(c.Source, c.BodyFrom, c.BodyTo);

        AssertAllCached(result);
    }

    [Theory]
    [MemberData(nameof(SourceNames))]
    public void Editing_a_shape_reruns_the_field_step_and_the_output(string name)
    {
        var c = Cases[name];
        GeneratorRunResult result = RunEdited(c.Source, c.ShapeFrom, c.ShapeTo);

        Assert.Contains(Steps.Where(result.TrackedSteps.ContainsKey).SelectMany(step => result.TrackedSteps[step]).SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(result.TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
    }

    [Fact]
    public void A_child_shape_edit_reaches_the_parent_through_the_sub_field()
    {
        // The parent's constructor takes the child's dimensions, so renaming one must re-run the parent's [Sub] model.
        GeneratorRunResult result = RunEdited(Sources.TinyLm, "Shape = \"vocab,dModel\"", "Shape = \"vocab,width\"");

        Assert.Contains(result.TrackedSteps[TrackingNames.SubFields].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
    }

    [Fact]
    public void A_child_shape_edit_in_another_file_reaches_the_parent_constructor()
    {
        const string child = "using Nnx; using TorchSharp.Modules; public partial class Child { [Param(Shape = \"vocab\")] private Parameter w; }";
        const string parent = "using Nnx; public partial class Parent { [Sub] private Child child; }";
        CSharpCompilation compilation = TestCompilation.Create(child, parent);
        GeneratorDriver driver = TestCompilation.CreateDriver().RunGenerators(compilation);
        SyntaxTree old = compilation.SyntaxTrees.First();
        SyntaxTree changed = CSharpSyntaxTree.ParseText(child.Replace("vocab", "width"), TestCompilation.ParseOptions, old.FilePath);

        GeneratorRunResult result = driver.RunGenerators(compilation.ReplaceSyntaxTree(old, changed)).GetRunResult().Results.Single();

        string parentCode = result.GeneratedSources.Single(s => s.HintName == "Parent.g.cs").SourceText.ToString();
        Assert.Contains("public Parent(long width, global::Nnx.Rngs rngs", parentCode);
    }

    [Fact]
    public void Models_hold_no_symbols_syntax_or_compilations()
    {
        CSharpCompilation compilation = TestCompilation.Create(Sources.TinyLm);
        GeneratorRunResult result = TestCompilation.CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single();

        foreach (string step in Steps.Where(result.TrackedSteps.ContainsKey))
        {
            var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToArray();
            Assert.NotEmpty(outputs);
            foreach (var output in outputs)
                ModelGraph.AssertHoldsNoRoslynObjects(output.Value);
        }
    }

    [Fact]
    public void Equivalent_sources_give_equal_models_with_equal_hash_codes()
    {
        object[] first = ModuleModels(Sources.TinyLm);
        object[] second = ModuleModels(Sources.TinyLm.Replace("private Parameter head;", "private   Parameter   head;"));

        Assert.Equal(3, first.Length);
        Assert.Equal(first, second);
        Assert.Equal(first.Select(m => m.GetHashCode()), second.Select(m => m.GetHashCode()));
    }

    private static object[] ModuleModels(string source) =>
        TestCompilation.CreateDriver().RunGenerators(TestCompilation.Create(source)).GetRunResult().Results.Single()
            .TrackedSteps.Where(kv => Steps.Contains(kv.Key)).SelectMany(kv => kv.Value).SelectMany(s => s.Outputs).Select(o => o.Value).ToArray();

    private static GeneratorRunResult RunEdited(string source, string from, string to)
    {
        CSharpCompilation compilation = TestCompilation.Create(source);
        GeneratorDriver driver = TestCompilation.CreateDriver().RunGenerators(compilation);
        SyntaxTree old = compilation.SyntaxTrees.Single();
        string edited = source.Replace(from, to);
        Assert.NotEqual(source, edited);
        SyntaxTree changed = CSharpSyntaxTree.ParseText(edited, TestCompilation.ParseOptions, old.FilePath);
        return driver.RunGenerators(compilation.ReplaceSyntaxTree(old, changed)).GetRunResult().Results.Single();
    }

    private static void AssertAllCached(GeneratorRunResult result)
    {
        foreach (string step in Steps)
        {
            if (!result.TrackedSteps.TryGetValue(step, out var runs)) continue;   // a kind the source does not use
            Assert.All(runs.SelectMany(s => s.Outputs),
                o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }
        Assert.NotEmpty(result.TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(s => s.Outputs));
        Assert.All(result.TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Theory]
    [InlineData("Options = \"rate=dropoutRate\"", "Options = \"rate=0.2\"")]
    [InlineData("Options = \"epsilon=1e-5\"", "Options = \"epsilon=1e-6\"")]
    [InlineData("private readonly double dropoutRate = 0.1;", "private readonly double dropoutRate = 0.3;")]
    [InlineData("When = \"useBias && dropoutRate > 0\"", "When = \"useBias\"")]
    [InlineData("Tied = \"kernel=bar.kernel\"", "Tied = \"bias=bar.bias\"")]
    public void Editing_an_option_a_child_option_a_condition_or_a_tie_reruns_its_module(string from, string to)
    {
        GeneratorRunResult result = RunEdited(Sources.WholeModels, from, to);

        Assert.Contains(result.TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
    }

    [Fact]
    public void A_base_module_s_edit_reaches_the_derived_module()
    {
        // Lora derives from Nnx.Linear in a referenced assembly; here the base is in the same compilation.
        const string source = """
            using Nnx;
            using TorchSharp.Modules;
            public partial class Base { [Param(Shape = "inFeatures, outFeatures")] private Parameter kernel; }
            public partial class Derived : Base { [Param(Shape = "outFeatures, rank")] private Parameter extra; }
            """;
        GeneratorRunResult result = RunEdited(source, "inFeatures, outFeatures", "inFeatures, width, outFeatures");

        string derived = result.GeneratedSources.Single(s => s.HintName == "Derived.g.cs").SourceText.ToString();
        Assert.Contains("public Derived(long inFeatures, long width, long outFeatures, long rank, global::Nnx.Rngs rngs", derived);
    }
}
