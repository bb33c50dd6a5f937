using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Nnx.CodeFixes;

namespace Nnx.Analyzers.Tests;

public class FloatIdsTests
{
    /// <summary>The seed's module with a hand-written constructor (the generator does not run in these tests).</summary>
    internal const string MyEmbed = """
        public partial class MyEmbed
        {
            [Nnx.Param(Shape = "vocab,dModel")]
            private TorchSharp.Modules.Parameter embedding = null!;

            public MyEmbed(long vocab, long dModel) { }

            public TorchSharp.torch.Tensor Forward(TorchSharp.torch.Tensor tokenIds) => embedding.index_select(0, tokenIds);
        }
        """;

    private static string Program(string body) => $$"""
        using TorchSharp;
        using static TorchSharp.torch;
        public static class Program
        {
            public static Tensor Run(Tensor table, MyEmbed model, bool flag)
            {
        {{body}}
            }
        }
        {{MyEmbed}}
        """;

    private static DiagnosticResult FloatIds(int location, string ids, string origin, string lookup) =>
        new DiagnosticResult(Descriptors.FloatIds).WithLocation(location).WithArguments(ids, origin, lookup)
            .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations); // the fix target, checked by the fix tests

    [Fact]
    public async Task Ids_built_from_a_float_array_are_rebuilt_from_a_long_array()
    {
        var test = new CodeFixTest<LookupAnalyzer, ConvertIdsCodeFix>(
            Program("        return table.index_select(0, {|#0:torch.tensor(new float[] { 0, 1f, 2.0f })|});"),
            Program("        return table.index_select(0, torch.tensor(new long[] { 0, 1, 2 }));"));
        test.ExpectedDiagnostics.Add(FloatIds(0, "torch.tensor(new float[] { 0, 1f, 2.0f })", "torch.tensor(float[])", "index_select"));

        await test.RunAsync();
    }

    [Fact]
    public async Task A_module_call_whose_parameter_reaches_a_lookup_is_flagged_at_the_call_site()
    {
        var test = new CodeFixTest<LookupAnalyzer, ConvertIdsCodeFix>(
            Program("        return model.Forward({|#0:torch.tensor(new double[] { 1, 2 })|});"),
            Program("        return model.Forward(torch.tensor(new long[] { 1, 2 }));"));
        test.ExpectedDiagnostics.Add(FloatIds(0, "torch.tensor(new double[] { 1, 2 })", "torch.tensor(double[])", "MyEmbed.Forward (its 'tokenIds' reaches index_select)"));

        await test.RunAsync();
    }

    [Fact]
    public async Task A_local_used_twice_is_converted_once_where_it_is_made()
    {
        var test = new CodeFixTest<LookupAnalyzer, ConvertIdsCodeFix>(
            Program("""
                        Tensor ids = torch.rand(3) * 4;
                        var rows = table.index_select(0, {|#0:ids|});
                        return rows + model.Forward({|#1:ids|});
                """),
            Program("""
                        Tensor ids = (torch.rand(3) * 4).to(ScalarType.Int64);
                        var rows = table.index_select(0, ids);
                        return rows + model.Forward(ids);
                """));
        test.ExpectedDiagnostics.Add(FloatIds(0, "ids", "floating-point arithmetic", "index_select"));
        test.ExpectedDiagnostics.Add(FloatIds(1, "ids", "floating-point arithmetic", "MyEmbed.Forward (its 'tokenIds' reaches index_select)"));
        test.NumberOfFixAllIterations = 1;

        await test.RunAsync();
    }

    [Theory]
    [InlineData("Tensor ids = torch.tensor(new long[] { 0, 1 }).@float();", ".float()")]
    [InlineData("Tensor ids = torch.tensor(new long[] { 0, 1 }).to(ScalarType.Float32);", "ScalarType.Float32")]
    [InlineData("Tensor ids = torch.tensor(new long[] { 0, 1 }).to_type(torch.float64);", "ScalarType.Float64")]
    [InlineData("Tensor ids = torch.tensor(new long[] { 0, 1 }) / 2;", "division")]
    [InlineData("Tensor ids = torch.tensor(new long[] { 0, 1 }) * 0.5;", "floating-point arithmetic")]
    [InlineData("Tensor ids = torch.arange(0.0, 3.0);", "torch.arange with floating bounds")]
    [InlineData("Tensor ids = torch.full(3, 1.5f);", "torch.full with a floating value")]
    [InlineData("Tensor ids = torch.zeros(3);", "torch.zeros")]
    [InlineData("Tensor ids = torch.linspace(0, 3, 4);", "torch.linspace")]
    [InlineData("Tensor ids = torch.tensor(2.0f);", "torch.tensor(float)")]
    [InlineData("Tensor ids = flag ? torch.randn(3) : torch.rand(3);", "torch.randn or torch.rand")]
    [InlineData("Tensor ids = Make(); Tensor Make() { var t = torch.ones(2); return t; }", "torch.ones")]
    [InlineData("Tensor ids; ids = torch.tensor(new long[] { 1 }).@double().reshape(-1);", ".double()")]
    public async Task Provably_floating_ids_are_reported_with_their_origin(string definition, string origin)
    {
        var test = new AnalyzerTest<LookupAnalyzer>(Program($$"""
                    {{definition}}
                    return table.index_select(0, {|#0:ids|});
            """));
        test.ExpectedDiagnostics.Add(FloatIds(0, "ids", origin, "index_select"));

        await test.RunAsync();
    }

    [Theory]
    [InlineData("Tensor ids = torch.tensor(new long[] { 0, 1 });")]                                  // integer ids
    [InlineData("Tensor ids = torch.tensor(new int[] { 0, 1 });")]
    [InlineData("Tensor ids = torch.tensor(new float[] { 0, 1 }).to(ScalarType.Int64);")]           // converted
    [InlineData("Tensor ids = torch.tensor(new float[] { 0, 1 }, ScalarType.Int64);")]              // integer dtype
    [InlineData("Tensor ids = torch.rand(3).@long();")]
    [InlineData("Tensor ids = torch.arange(3);")]                                                    // unknown: integer bounds
    [InlineData("Tensor ids = torch.full(3, 1);")]
    [InlineData("Tensor ids = table;")]                                                              // a parameter: unknown
    [InlineData("Tensor ids = flag ? torch.rand(3) : table;")]                                       // one branch unknown
    [InlineData("Tensor ids = torch.rand(3); ids = table;")]                                         // reassigned to unknown
    [InlineData("Tensor ids = torch.rand(3); Replace(ref ids); static void Replace(ref Tensor t) { }")] // passed by ref
    [InlineData("Tensor ids = Pick(); Tensor Pick() => flag ? table : torch.rand(2);")]
    [InlineData("Tensor ids = torch.tensor(new long[] { 1 }) * 2;")]
    public async Task Integer_or_unknown_ids_report_nothing(string definition)
    {
        await new AnalyzerTest<LookupAnalyzer>(Program($$"""
                    {{definition}}
                    return table.index_select(0, ids);
            """)).RunAsync();
    }

    [Fact]
    public async Task Floating_tensors_outside_lookups_report_nothing()
    {
        await new AnalyzerTest<LookupAnalyzer>(Program("""
                    var list = new System.Collections.Generic.List<Tensor> { torch.rand(2) };
                    Tensor x = torch.rand(3);
                    Tensor y = list[0] + table.matmul(x) + x[0];
                    return Scale(x) + y;
                    static Tensor Scale(Tensor t) => t * 2;
            """)).RunAsync();
    }

    [Fact]
    public async Task Embedding_nnx_embed_and_the_indexer_demand_integer_ids()
    {
        const string source = """
            using TorchSharp;
            using static TorchSharp.torch;
            namespace Nnx { public class Embed { public Tensor Forward(Tensor ids) => ids; } }
            public static class Program
            {
                public static Tensor Run(Tensor table, Nnx.Embed embed)
                {
                    var layer = torch.nn.Embedding(10, 4);
                    Tensor ids = torch.rand(3);
                    return layer.call({|#0:ids|}) + layer.forward({|#1:ids|}) + embed.Forward({|#2:ids|}) + table[{|#3:ids|}];
                }
            }
            """;
        var test = new AnalyzerTest<LookupAnalyzer>(source);
        test.ExpectedDiagnostics.Add(FloatIds(0, "ids", "torch.rand", "Embedding"));
        test.ExpectedDiagnostics.Add(FloatIds(1, "ids", "torch.rand", "Embedding"));
        test.ExpectedDiagnostics.Add(FloatIds(2, "ids", "torch.rand", "Nnx.Embed"));
        test.ExpectedDiagnostics.Add(FloatIds(3, "ids", "torch.rand", "advanced indexing"));

        await test.RunAsync();
    }

    [Fact]
    public async Task Ids_passed_through_two_methods_are_followed()
    {
        const string source = """
            using TorchSharp;
            using static TorchSharp.torch;
            public static class Program
            {
                public static Tensor Run(Model model) => model.Encode({|#0:torch.tensor(new float[] { 1, 2 })|});
            }
            public class Model
            {
                private readonly MyEmbed _embed = new MyEmbed(4, 3);
                public Tensor Encode(Tensor ids) { var flat = ids.reshape(-1); return _embed.Forward(flat); }
            }
            """ + MyEmbed;
        var test = new AnalyzerTest<LookupAnalyzer>(source);
        test.ExpectedDiagnostics.Add(FloatIds(0, "torch.tensor(new float[] { 1, 2 })", "torch.tensor(float[])", "Model.Encode (its 'ids' reaches Forward, then index_select)"));

        await test.RunAsync();
    }

    [Fact]
    public async Task Converting_inside_the_method_clears_the_call_site()
    {
        const string source = """
            using TorchSharp;
            using static TorchSharp.torch;
            public static class Program
            {
                public static Tensor Run(Model model) => model.Encode(torch.tensor(new float[] { 1, 2 }));
            }
            public class Model
            {
                private readonly MyEmbed _embed = new MyEmbed(4, 3);
                public Tensor Encode(Tensor ids) => _embed.Forward(ids.to(ScalarType.Int64));
            }
            """ + MyEmbed;

        await new AnalyzerTest<LookupAnalyzer>(source).RunAsync();
    }
}
