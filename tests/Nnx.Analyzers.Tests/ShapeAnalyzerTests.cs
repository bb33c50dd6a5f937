using System.Threading.Tasks;

namespace Nnx.Analyzers.Tests;

public class ShapeAnalyzerTests
{
    [Theory]
    [InlineData("", "Shape is empty; list the dimensions, e.g. \"vocab,dModel\"")]
    [InlineData("vocab,,dModel", "dimension 2 of \"vocab,,dModel\" is empty")]
    [InlineData("vocab,vocab", "dimension 'vocab' appears twice in \"vocab,vocab\"; a square table needs two names (e.g. \"dIn,dOut\")")]
    [InlineData("vocab,0", "dimension 2 of \"vocab,0\" ('0') is not a positive integer")]
    [InlineData("rngs,dModel", "dimension 'rngs' is a name the generated constructor uses itself; rename it (e.g. \"rngsDim\")")]
    [InlineData("vocab,d-model", "dimension 2 of \"vocab,d-model\" ('d-model') is neither a name (a C# identifier) nor a positive integer")]
    public async Task A_bad_shape_is_an_error_on_the_shape_argument(string shape, string reason)
    {
        string source = $$"""
            using Nnx;
            using TorchSharp.Modules;
            public partial class MyEmbed
            {
                [Param(Shape = {|#0:"{{shape}}"|})]
                private Parameter? embedding;
            }
            """;
        var test = new AnalyzerTest<ShapeAnalyzer>(source);
        test.ExpectedDiagnostics.Add(new Microsoft.CodeAnalysis.Testing.DiagnosticResult(Descriptors.BadShape).WithLocation(0).WithArguments("embedding", reason));

        await test.RunAsync();
    }

    [Fact]
    public async Task Names_and_integer_literals_are_accepted()
    {
        const string source = """
            using Nnx;
            using TorchSharp.Modules;
            public partial class MyEmbed
            {
                [Param(Shape = "vocab, 64")]
                private Parameter? embedding;
            }
            """;

        await new AnalyzerTest<ShapeAnalyzer>(source).RunAsync();
    }
}
