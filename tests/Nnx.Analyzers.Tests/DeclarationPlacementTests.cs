using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Nnx.CodeFixes;

namespace Nnx.Analyzers.Tests;

/// <summary>NNX0005: a member whose class or field the generator cannot complete, with the make-partial fix.</summary>
public class DeclarationPlacementTests
{
    private static DiagnosticResult Misuse(int location, string field, string why) =>
        new DiagnosticResult(Descriptors.ParamMisuse).WithLocation(location).WithArguments("Param", field, why);

    [Fact]
    public async Task A_class_that_is_not_partial_is_made_partial()
    {
        const string source = """
            using Nnx;
            using TorchSharp.Modules;
            public class MyEmbed
            {
                [{|#0:Param(Shape = "vocab,dModel")|}]
                private Parameter? embedding;
            }
            """;
        const string fixedSource = """
            using Nnx;
            using TorchSharp.Modules;
            public partial class MyEmbed
            {
                [Param(Shape = "vocab,dModel")]
                private Parameter? embedding;
            }
            """;
        var test = new CodeFixTest<DeclarationAnalyzer, MakePartialCodeFix>(source, fixedSource);
        test.ExpectedDiagnostics.Add(Misuse(0, "embedding", "class 'MyEmbed' is not partial; declare it 'partial class MyEmbed' so the generated constructor can be added"));

        await test.RunAsync();
    }

    [Fact]
    public async Task An_enclosing_class_without_modifiers_is_made_partial_too()
    {
        const string source = """
            using Nnx;
            using TorchSharp.Modules;
            class Models
            {
                public partial class MyEmbed
                {
                    [{|#0:Param(Shape = "vocab,dModel")|}]
                    private Parameter? embedding;
                }
            }
            """;
        const string fixedSource = """
            using Nnx;
            using TorchSharp.Modules;
            partial class Models
            {
                public partial class MyEmbed
                {
                    [Param(Shape = "vocab,dModel")]
                    private Parameter? embedding;
                }
            }
            """;
        var test = new CodeFixTest<DeclarationAnalyzer, MakePartialCodeFix>(source, fixedSource);
        test.ExpectedDiagnostics.Add(Misuse(0, "embedding", "'Models', which contains 'MyEmbed', is not partial; declare it 'partial' so the generated part can be nested in it"));

        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_all_makes_every_module_partial()
    {
        const string source = """
            using Nnx;
            using TorchSharp.Modules;
            public class A
            {
                [{|#0:Param(Shape = "vocab,dModel")|}]
                private Parameter? embedding;
            }
            internal sealed class B
            {
                [{|#1:Param(Shape = "dIn,dOut")|}]
                private Parameter? kernel;
            }
            """;
        const string fixedSource = """
            using Nnx;
            using TorchSharp.Modules;
            public partial class A
            {
                [Param(Shape = "vocab,dModel")]
                private Parameter? embedding;
            }
            internal sealed partial class B
            {
                [Param(Shape = "dIn,dOut")]
                private Parameter? kernel;
            }
            """;
        var test = new CodeFixTest<DeclarationAnalyzer, MakePartialCodeFix>(source, fixedSource);
        test.ExpectedDiagnostics.Add(Misuse(0, "embedding", "class 'A' is not partial; declare it 'partial class A' so the generated constructor can be added"));
        test.ExpectedDiagnostics.Add(Misuse(1, "kernel", "class 'B' is not partial; declare it 'partial class B' so the generated constructor can be added"));
        test.NumberOfFixAllIterations = 1;

        await test.RunAsync();
    }

    [Theory]
    [InlineData("public static partial class MyEmbed", "private static Parameter? embedding;", "class 'MyEmbed' is static; a module is an object with parameters, remove 'static'")]
    [InlineData("public partial class MyEmbed", "private static Parameter? embedding;", "field 'embedding' is static; each module instance owns its members, remove 'static'")]
    [InlineData("public partial class MyEmbed", "private readonly Parameter? embedding;", "field 'embedding' is readonly; the generated code assigns it when the module is built or moved, remove 'readonly'")]
    [InlineData("public partial class MyEmbed", "private TorchSharp.torch.Tensor? embedding;", "field 'embedding' is a 'TorchSharp.torch.Tensor?'; [Param] needs a 'Parameter' field (TorchSharp.Modules.Parameter)")]
    [InlineData("public partial class MyEmbed : System.Exception", "private Parameter? embedding;", "class 'MyEmbed' derives from 'System.Exception'; a module derives from Nnx.Module, Nnx.Module<T, TResult>, another generated module, or declares no base class")]
    [InlineData("public partial record MyEmbed", "private Parameter? embedding;", "'MyEmbed' is a record; a module is a plain class, write 'public partial class MyEmbed'")]
    [InlineData("public abstract partial class MyEmbed", "private Parameter? embedding;", "class 'MyEmbed' is abstract; the generated constructor must be able to build it, remove 'abstract'")]
    [InlineData("public partial class MyEmbed", "[Tied(\"other\")] private Parameter? embedding;", "field 'embedding' has both [Param] and [Tied]; keep one")]
    [InlineData("public partial struct MyEmbed", "private Parameter? embedding;", "'MyEmbed' is a struct; a module is a class, write 'public partial class MyEmbed'")]
    [InlineData("public partial interface IMyEmbed", "static Parameter? embedding;", "'IMyEmbed' is an interface; a module is a class, write 'public partial class IMyEmbed'")]
    [InlineData("public partial class MyEmbed", "[BatchStat(Shape = \"n\")] private Parameter? embedding;", "field 'embedding' has both [Param] and [BatchStat]; keep one")]
    public async Task A_param_the_generator_skips_says_why(string declaration, string field, string why)
    {
        string source = $$"""
            using Nnx;
            using TorchSharp.Modules;
            {{declaration}}
            {
                [{|#0:Param(Shape = "vocab,dModel")|}]
                {{field}}
            }
            """;
        var test = new AnalyzerTest<DeclarationAnalyzer>(source);
        test.ExpectedDiagnostics.Add(Misuse(0, "embedding", why));

        await test.RunAsync();
    }

    [Fact]
    public async Task Batch_stats_are_tensors_and_a_hand_written_module_is_no_base()
    {
        const string source = """
            using Nnx;
            using TorchSharp.Modules;
            public partial class Norm
            {
                [{|#0:BatchStat(Shape = "features")|}]
                private Parameter? mean;
            }
            public class Base : Nnx.Module { public Base() : base("Base") { } }
            public partial class Derived : Base
            {
                [{|#1:Param(Shape = "dIn,dOut")|}]
                private Parameter? kernel;
            }
            """;
        var test = new AnalyzerTest<DeclarationAnalyzer>(source);
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.ParamMisuse).WithLocation(0)
            .WithArguments("BatchStat", "mean", "field 'mean' is a 'TorchSharp.Modules.Parameter?'; [BatchStat] needs a 'Tensor' field (TorchSharp.torch.Tensor)"));
        test.ExpectedDiagnostics.Add(Misuse(1, "kernel", "class 'Derived' derives from 'Base'; a module derives from Nnx.Module, Nnx.Module<T, TResult>, another generated module, or declares no base class"));

        await test.RunAsync();
    }

    [Fact]
    public async Task A_partial_module_deriving_from_nnx_module_or_nothing_reports_nothing()
    {
        const string source = """
            using Nnx;
            using TorchSharp.Modules;
            public partial class MyEmbed
            {
                [Param(Shape = "vocab,dModel")]
                private Parameter? embedding;
            }
            public partial class Derived : Nnx.Module
            {
                public Derived() : base("Derived") { }
                [Param(Shape = "dIn,dOut", Init = "zeros")]
                private Parameter? kernel;
                [BatchStat(Shape = "dOut")]
                private TorchSharp.torch.Tensor? mean;
            }
            """;

        await new AnalyzerTest<DeclarationAnalyzer>(source).RunAsync();
    }
}
