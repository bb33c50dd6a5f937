using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Nnx.Generators.Tests;

public class GeneratorOutputTests
{
    [Fact]
    public void MyEmbed_gets_the_expected_constructor_registration_and_to_epilog()
    {
        var (_, generated, diagnostics) = TestCompilation.Run(Sources.MyEmbed);

        Assert.Empty(diagnostics);
        Assert.Equal(new[] { "Samples.MyEmbed.g.cs" }, generated.Keys.ToArray());
        Baseline.AssertMatches("MyEmbed.g.cs.txt", generated["Samples.MyEmbed.g.cs"]);
    }

    [Fact]
    public void Every_member_kind_gets_the_expected_code()
    {
        var (output, generated, diagnostics) = TestCompilation.Run(Sources.TinyLm);

        Assert.Empty(diagnostics);
        Assert.Equal(new[] { "Samples.Block.g.cs", "Samples.Embedder.g.cs", "Samples.TinyLm.g.cs" }, generated.Keys.Order().ToArray());
        Baseline.AssertMatches("TinyLm.g.cs.txt", generated["Samples.TinyLm.g.cs"]);
        Baseline.AssertMatches("Block.g.cs.txt", generated["Samples.Block.g.cs"]);
        Diagnostic[] problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        Assert.True(problems.Length == 0, string.Join(Environment.NewLine, problems.Select(p => p.ToString())));
    }

    [Fact]
    public void Namespaces_nesting_generics_and_accessibility_compile_warning_free_with_documented_members()
    {
        var parseOptions = TestCompilation.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        CSharpCompilation input = TestCompilation.Create(Sources.LanguageCoverage).RemoveAllSyntaxTrees()
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText(Sources.LanguageCoverage, parseOptions, "Source0.cs"));
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new ModuleGenerator().AsSourceGenerator()], parseOptions: parseOptions)
            .RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        Assert.Equal(
            new[] { "GlobalModule.g.cs", "Outer.Inner.Generic_1.g.cs", "Outer.Inner.Holder.Nested.g.cs", "Outer.Inner.Sealed.g.cs" },
            result.GeneratedSources.Select(s => s.HintName).Order().ToArray());
        var generatedTrees = result.GeneratedSources.Select(s => s.SyntaxTree).ToHashSet();
        Diagnostic[] problems = output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && (d.Id != "CS1591" || generatedTrees.Contains(d.Location.SourceTree!)))
            .ToArray();
        Assert.True(problems.Length == 0, string.Join(Environment.NewLine, problems.Select(p => p.ToString())));

        INamedTypeSymbol nested = output.GetTypeByMetadataName("Outer.Inner.Holder+Nested")!;
        Assert.Equal(Accessibility.Internal, nested.DeclaredAccessibility);
        Assert.Equal(2, nested.InstanceConstructors.Length);
        Assert.Equal(new[] { "width", "n", "rngs", "paramDtype" },
            output.GetTypeByMetadataName("Outer.Inner.Sealed")!.InstanceConstructors.Single().Parameters.Select(p => p.Name).ToArray());
        Assert.Equal(new[] { "n", "rngs", "paramDtype", "wInit" },
            output.GetTypeByMetadataName("Outer.Inner.Generic`1")!.InstanceConstructors.Single().Parameters.Select(p => p.Name).ToArray());
    }

    [Fact]
    public void Generated_code_compiles_without_warnings()
    {
        var (output, _, _) = TestCompilation.Run(Sources.MyEmbed);

        Diagnostic[] problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();

        Assert.True(problems.Length == 0, string.Join(Environment.NewLine, problems.Select(p => p.ToString())));
    }

    [Fact]
    public void Constructor_takes_dimensions_in_order_of_first_appearance_then_rngs_dtype_and_initializers()
    {
        const string source = """
            using Nnx;
            using TorchSharp.Modules;
            public partial class Mlp
            {
                [Param(Shape = "dIn,hidden")] private Parameter w1;
                [Param(Shape = "hidden", Init = "zeros")] private Parameter b1;
                [Param(Shape = "hidden,dOut")] private Parameter w2;
            }
            """;
        var (output, _, _) = TestCompilation.Run(source);

        IMethodSymbol ctor = output.GetTypeByMetadataName("Mlp")!.InstanceConstructors.Single();

        Assert.Equal(new[] { "dIn", "hidden", "dOut", "rngs", "paramDtype", "w1Init", "b1Init", "w2Init" }, ctor.Parameters.Select(p => p.Name).ToArray());
        Assert.All(ctor.Parameters.Skip(4), p => Assert.True(p.IsOptional, p.Name));
    }

    [Theory]
    [InlineData("[Param(Shape = \"\")] private Parameter w;")]
    [InlineData("[Param(Shape = \"a,,b\")] private Parameter w;")]
    [InlineData("[Param(Shape = \"a,0\")] private Parameter w;")]
    [InlineData("[Param(Shape = \"a\")] private static Parameter w;")]
    [InlineData("[Param(Shape = \"a\")] private TorchSharp.torch.Tensor w;")]
    [InlineData("[Param(Shape = \"a\")] private readonly Parameter w;")]
    public void Declarations_the_analyzers_reject_generate_nothing(string member)
    {
        string source = $$"""
            using Nnx;
            using TorchSharp.Modules;
            public partial class Bad
            {
                {{member}}
            }
            """;

        var (_, generated, diagnostics) = TestCompilation.Run(source);

        Assert.Empty(diagnostics);
        Assert.Empty(generated);
    }

    [Theory]
    [InlineData("void OnInitialized() { }")]
    [InlineData("public int OnInitialized => 1;")]
    [InlineData("partial void OnInitialized(); partial void OnInitialized() { }")]
    public void A_user_member_named_OnInitialized_that_is_not_a_lone_partial_implementation_turns_the_hook_off(string member)
    {
        string source = $$"""
            using Nnx;
            using TorchSharp.Modules;
            public partial class Hooked
            {
                [Param(Shape = "n")] private Parameter w;
                {{member}}
            }
            """;

        var (output, generated, _) = TestCompilation.Run(source);

        Assert.DoesNotContain("OnInitialized", generated["Hooked.g.cs"]);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void A_lone_partial_implementation_of_OnInitialized_is_called_at_the_end_of_the_constructor()
    {
        const string source = """
            using Nnx;
            using TorchSharp.Modules;
            public partial class Hooked
            {
                [Param(Shape = "n")] private Parameter w;
                partial void OnInitialized() { }
            }
            """;

        var (output, generated, _) = TestCompilation.Run(source);

        Assert.Contains("partial void OnInitialized();", generated["Hooked.g.cs"]);
        Assert.Contains("this.OnInitialized();\n    }", generated["Hooked.g.cs"]);   // the last statement of the constructor
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void A_class_that_is_not_partial_generates_nothing()
    {
        const string source = """
            using Nnx;
            using TorchSharp.Modules;
            public class NotPartial { [Param(Shape = "a")] private Parameter w; }
            """;

        var (_, generated, diagnostics) = TestCompilation.Run(source);

        Assert.Empty(diagnostics);
        Assert.Empty(generated);
    }
}

/// <summary>Expected generated files, kept under <c>Baselines/</c>; set <c>UPDATE_BASELINES=1</c> to rewrite them after a reviewed change.</summary>
internal static class Baseline
{
    public static void AssertMatches(string name, string actual)
    {
        if (Environment.GetEnvironmentVariable("UPDATE_BASELINES") == "1")
        {
            string source = Path.Combine(SourceDirectory(), "Baselines", name);
            File.WriteAllText(source, actual);
            return;
        }
        string expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Baselines", name));
        Assert.Equal(expected, actual);
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
