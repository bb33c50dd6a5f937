using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;

namespace Nnx.Analyzers.Tests;

public class OutOfRangeTests
{
    private static DiagnosticResult OutOfRange(int location, long id, long rows, string source) =>
        new DiagnosticResult(Descriptors.IdOutOfRange).WithLocation(location).WithArguments(id, rows, source, rows - 1);

    private static string Program(string body) => $$"""
        using Nnx;
        using TorchSharp;
        using static TorchSharp.torch;
        public static class Program
        {
            public static Tensor Run()
            {
        {{body}}
            }
        }
        {{FloatIdsTests.MyEmbed}}
        """;

    [Fact]
    public async Task An_id_beyond_the_vocabulary_the_module_was_built_with_is_an_error()
    {
        var test = new AnalyzerTest<LookupAnalyzer>(Program("""
                    var model = new MyEmbed(vocab: 4, dModel: 3);
                    Tensor ids = torch.tensor(new long[] { 0, 7 });
                    return model.Forward({|#0:ids|});
            """));
        test.ExpectedDiagnostics.Add(OutOfRange(0, 7, 4, "vocab: 4 in new MyEmbed(...)"));

        await test.RunAsync();
    }

    [Fact]
    public async Task Literal_shapes_embedding_layers_and_token_id_checks_give_the_rows()
    {
        const string source = """
            using Nnx;
            using TorchSharp;
            using TorchSharp.Modules;
            using static TorchSharp.torch;
            public partial class Fixed
            {
                [Param(Shape = "4,dModel")]
                private Parameter table = null!;

                public Tensor Run()
                {
                    var layer = torch.nn.Embedding(10, 3);
                    return table.index_select(0, {|#0:torch.tensor(new long[] { 4 })|})
                        + layer.call({|#1:torch.tensor(new int[] { -1 })|})
                        + table[torch.tensor(-4L)];
                }

                public void Check() => TokenIds.Check({|#2:torch.tensor(new long[] { 1, 2, 12 })|}, 12);
            }
            """;
        var test = new AnalyzerTest<LookupAnalyzer>(source);
        test.ExpectedDiagnostics.Add(OutOfRange(0, 4, 4, "Shape \"4,dModel\" of 'table'"));
        test.ExpectedDiagnostics.Add(OutOfRange(1, -1, 10, "torch.nn.Embedding(10, ...)"));
        test.ExpectedDiagnostics.Add(OutOfRange(2, 12, 12, "TokenIds.Check(..., 12)"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.AdvancedIndexing).WithSpan(15, 15, 15, 39)
            .WithArguments("table", "torch.tensor(-4L)").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));

        await test.RunAsync();
    }

    [Theory]
    [InlineData("var model = new MyEmbed(4, 3); return model.Forward(torch.tensor(new long[] { 0, 3 }));")]          // in range
    [InlineData("var model = new MyEmbed(4, 3); model = new MyEmbed(8, 3); return model.Forward(torch.tensor(new long[] { 7 }));")] // which model is unknown
    [InlineData("long v = System.Environment.ProcessorCount; var model = new MyEmbed(v, 3); return model.Forward(torch.tensor(new long[] { 7 }));")]
    [InlineData("var model = new MyEmbed(4, 3); var ids = torch.tensor(new long[] { 7 }); ids = ids - 5; return model.Forward(ids);")]
    public async Task Ids_that_are_in_range_or_not_provably_out_of_range_report_nothing(string body)
    {
        await new AnalyzerTest<LookupAnalyzer>(Program("        " + body)).RunAsync();
    }
}
