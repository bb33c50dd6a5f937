using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Nnx.CodeFixes;

namespace Nnx.Analyzers.Tests;

/// <summary>NNX0007 (advanced indexing) and NNX0006 (one-hot matmul), both fixed with the checked lookup, Lookup.Rows.</summary>
public class IndexingTests
{
    private static string Module(string forward) => $$"""
        using Nnx;
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;
        public partial class MyEmbed
        {
            [Param(Shape = "vocab,dModel")]
            private Parameter embedding = null!;

            public Tensor Forward(Tensor tokenIds) => {{forward}};
        }
        """;

    private static DiagnosticResult Indexing(int location, string table, string ids) =>
        new DiagnosticResult(Descriptors.AdvancedIndexing).WithLocation(location).WithArguments(table, ids)
            .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    private static DiagnosticResult OneHot(int location, string ids, string classes, string table) =>
        new DiagnosticResult(Descriptors.OneHotMatmul).WithLocation(location).WithArguments(ids, classes, table)
            .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    [Fact]
    public async Task Indexing_a_parameter_by_ids_becomes_the_checked_lookup_for_ids_of_any_rank()
    {
        var test = new CodeFixTest<LookupAnalyzer, CheckedLookupCodeFix>(
            Module("{|#0:embedding[tokenIds]|}"),
            Module("Lookup.Rows(embedding, tokenIds)"));
        test.ExpectedDiagnostics.Add(Indexing(0, "embedding", "tokenIds"));

        await test.RunAsync();
    }

    [Fact]
    public async Task A_tensor_index_wrapper_is_unwrapped_into_the_checked_lookup()
    {
        var test = new CodeFixTest<LookupAnalyzer, CheckedLookupCodeFix>(
            Module("{|#0:embedding[TensorIndex.Tensor(tokenIds)]|}"),
            Module("Lookup.Rows(embedding, tokenIds)"));
        test.ExpectedDiagnostics.Add(Indexing(0, "embedding", "tokenIds"));

        await test.RunAsync();
    }

    [Fact]
    public async Task The_fix_qualifies_the_lookup_where_the_file_does_not_import_Nnx()
    {
        const string before = """
            using TorchSharp;
            using TorchSharp.Modules;
            using static TorchSharp.torch;
            public class Model
            {
                private Parameter embedding = null!;
                public Tensor Forward(Tensor tokenIds) => {|#0:embedding[tokenIds]|};
            }
            """;
        const string after = """
            using TorchSharp;
            using TorchSharp.Modules;
            using static TorchSharp.torch;
            public class Model
            {
                private Parameter embedding = null!;
                public Tensor Forward(Tensor tokenIds) => Nnx.Lookup.Rows(embedding, tokenIds);
            }
            """;
        var test = new CodeFixTest<LookupAnalyzer, CheckedLookupCodeFix>(before, after);
        test.ExpectedDiagnostics.Add(Indexing(0, "embedding", "tokenIds"));

        await test.RunAsync();
    }

    [Fact]
    public async Task The_fix_qualifies_the_lookup_where_another_Lookup_type_is_in_scope()
    {
        static string Source(string forward) => $$"""
            using Nnx;
            using TorchSharp;
            using TorchSharp.Modules;
            using static TorchSharp.torch;
            public class Lookup { }
            public class Model
            {
                private Parameter embedding = null!;
                public Tensor Forward(Tensor tokenIds) => {{forward}};
            }
            """;
        var test = new CodeFixTest<LookupAnalyzer, CheckedLookupCodeFix>(
            Source("{|#0:embedding[tokenIds]|}"),
            Source("Nnx.Lookup.Rows(embedding, tokenIds)"));
        test.ExpectedDiagnostics.Add(Indexing(0, "embedding", "tokenIds"));

        await test.RunAsync();
    }

    [Theory]
    [InlineData("embedding[0]")]                               // one row by position
    [InlineData("embedding.index_select(0, tokenIds)")]         // already the fast form
    [InlineData("tokenIds[tokenIds]")]                          // not a parameter
    [InlineData("embedding[tokenIds, tokenIds]")]               // two index tensors: a gather of elements
    public async Task Other_indexing_reports_nothing(string forward)
    {
        await new AnalyzerTest<LookupAnalyzer>(Module(forward)).RunAsync();
    }

    [Fact]
    public async Task A_one_hot_matmul_becomes_the_checked_lookup()
    {
        var test = new CodeFixTest<OneHotMatmulAnalyzer, CheckedLookupCodeFix>(
            Module("{|#0:nn.functional.one_hot(tokenIds, 4).to(ScalarType.Float32).matmul(embedding)|}"),
            Module("Lookup.Rows(embedding, tokenIds)"));
        test.ExpectedDiagnostics.Add(OneHot(0, "tokenIds", "4", "embedding"));

        await test.RunAsync();
    }

    [Fact]
    public async Task A_one_hot_local_multiplied_with_torch_mm_is_reported_without_a_fix_that_would_orphan_it()
    {
        const string source = """
            using TorchSharp;
            using static TorchSharp.torch;
            public static class Lookup
            {
                public static Tensor Rows(Tensor table, Tensor ids)
                {
                    var hot = nn.functional.one_hot(ids, num_classes: 10).@float();
                    return {|#0:torch.mm(hot, table)|};
                }
            }
            """;
        var test = new CodeFixTest<OneHotMatmulAnalyzer, CheckedLookupCodeFix>(source, source);
        test.ExpectedDiagnostics.Add(OneHot(0, "ids", "10", "table"));

        await test.RunAsync();
    }

    [Theory]
    [InlineData("tokenIds.to(ScalarType.Float32).matmul(embedding)")]
    [InlineData("nn.functional.one_hot(tokenIds, 4).to(ScalarType.Float32).sum(0)")]
    public async Task Matmuls_without_one_hot_report_nothing(string forward)
    {
        await new AnalyzerTest<OneHotMatmulAnalyzer>(Module(forward)).RunAsync();
    }
}
