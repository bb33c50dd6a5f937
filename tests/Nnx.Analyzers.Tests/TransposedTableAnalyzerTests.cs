using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Nnx.CodeFixes;

namespace Nnx.Analyzers.Tests;

public class TransposedTableAnalyzerTests
{
    private static string Module(string shape, string lookup) => $$"""
        using Nnx;
        using TorchSharp.Modules;
        using static TorchSharp.torch;
        public partial class MyEmbed
        {
            [Param(Shape = {{shape}})]
            private Parameter embedding = null!;

            public Tensor Forward(Tensor ids) => {{lookup}};
        }
        """;

    [Theory]
    [InlineData("embedding.index_select(0, ids)")]
    [InlineData("embedding[ids]")]
    [InlineData("index_select(embedding, 0, ids)")]
    public async Task A_dmodel_by_vocab_table_looked_up_by_row_gets_its_axes_swapped(string lookup)
    {
        var test = new CodeFixTest<TransposedTableAnalyzer, SwapAxesCodeFix>(
            Module("{|#0:\"dModel,vocab\"|}", lookup), Module("\"vocab,dModel\"", lookup));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.TransposedTable).WithLocation(0)
            .WithArguments("embedding", "dModel,vocab", 0, "dModel", 1, "vocab", "vocab,dModel"));

        await test.RunAsync();
    }

    [Fact]
    public async Task Other_spellings_of_width_and_vocabulary_are_recognised()
    {
        var test = new CodeFixTest<TransposedTableAnalyzer, SwapAxesCodeFix>(
            Module("{|#0:\"embedding_dim, num_embeddings\"|}", "embedding.index_select(0, ids)"),
            Module("\"num_embeddings, embedding_dim\"", "embedding.index_select(0, ids)"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.TransposedTable).WithLocation(0)
            .WithArguments("embedding", "embedding_dim, num_embeddings", 0, "embedding_dim", 1, "num_embeddings", "num_embeddings, embedding_dim"));

        await test.RunAsync();
    }

    [Theory]
    [InlineData("\"vocab,dModel\"", "embedding.index_select(0, ids)")] // the right layout
    [InlineData("\"dModel,vocab\"", "embedding.index_select(1, ids)")] // columns of a transposed table, on purpose
    [InlineData("\"dModel,vocab\"", "embedding.matmul(ids)")]          // not a lookup
    [InlineData("\"rows,cols\"", "embedding.index_select(0, ids)")]    // names that say nothing
    [InlineData("\"dModel,vocab\"", "embedding[0]")]                   // one row by a constant index, not ids
    public async Task Lookups_that_match_the_layout_report_nothing(string shape, string lookup)
    {
        await new AnalyzerTest<TransposedTableAnalyzer>(Module(shape, lookup)).RunAsync();
    }

    [Fact]
    public async Task Fix_all_swaps_every_transposed_table_once()
    {
        const string source = """
            using Nnx;
            using TorchSharp.Modules;
            using static TorchSharp.torch;
            public partial class TwoTables
            {
                [Param(Shape = {|#0:"dModel,vocab"|})]
                private Parameter tokens = null!;
                [Param(Shape = {|#1:"features,numTokens"|})]
                private Parameter positions = null!;

                public Tensor Forward(Tensor ids, Tensor at) => tokens.index_select(0, ids) + tokens[ids] + positions.index_select(0, at);
            }
            """;
        const string fixedSource = """
            using Nnx;
            using TorchSharp.Modules;
            using static TorchSharp.torch;
            public partial class TwoTables
            {
                [Param(Shape = "vocab,dModel")]
                private Parameter tokens = null!;
                [Param(Shape = "numTokens,features")]
                private Parameter positions = null!;

                public Tensor Forward(Tensor ids, Tensor at) => tokens.index_select(0, ids) + tokens[ids] + positions.index_select(0, at);
            }
            """;
        var test = new CodeFixTest<TransposedTableAnalyzer, SwapAxesCodeFix>(source, fixedSource);
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.TransposedTable).WithLocation(0)
            .WithArguments("tokens", "dModel,vocab", 0, "dModel", 1, "vocab", "vocab,dModel"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.TransposedTable).WithLocation(1)
            .WithArguments("positions", "features,numTokens", 0, "features", 1, "numTokens", "numTokens,features"));
        test.NumberOfFixAllIterations = 1;

        await test.RunAsync();
    }
}
