using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Nnx.Syntax;

namespace Nnx.Analyzers.Tests;

/// <summary>NNX0003 and NNX0004: sizes, conditions and initializers the generator cannot build, reported where they are written.</summary>
public class DeclarationExpressionTests
{
    private static string Embed(string shape, string init = "normal") => $$"""
        using Nnx;
        using TorchSharp.Modules;
        public partial class MyEmbed
        {
            [Param(Shape = {|#0:"{{shape}}"|}, Init = {|#1:"{{init}}"|})]
            private Parameter? embedding;
        }
        """;

    [Theory]
    [InlineData("", "Shape is empty; list the sizes, e.g. \"vocab,dModel\" or \"dModel,4*dModel\"")]
    [InlineData("vocab,,dModel", "size 2 of \"vocab,,dModel\": it is empty")]
    [InlineData("vocab,0", "size 2 of \"vocab,0\": '0' is 0; a size must be at least 1")]
    [InlineData("vocab,4-4", "size 2 of \"vocab,4-4\": '4-4' is 0; a size must be at least 1")]
    [InlineData("vocab,7/2", "size 2 of \"vocab,7/2\": '7/2' is not an exact division (7 / 2); sizes never round")]
    [InlineData("vocab,dModel/0", "size 2 of \"vocab,dModel/0\": 'dModel/0' divides by zero")]
    [InlineData("rngs,dModel", "size 1 of \"rngs,dModel\": 'rngs' is a name the generated constructor uses itself; rename the dimension (e.g. 'rngsDim')")]
    [InlineData("vocab,dModel*", "size 2 of \"vocab,dModel*\": 'dModel*' is not a valid expression")]
    [InlineData("vocab,dModel%2", "size 2 of \"vocab,dModel%2\": '%' is not allowed in 'dModel%2'; use names, numbers, + - * /, comparisons, !, &&, ||, parentheses, array[index] and array.Length")]
    [InlineData("vocab,1.5", "size 2 of \"vocab,1.5\": '1.5' is a number, but an integer is needed here")]
    [InlineData("vocab,(dModel", "the brackets or quotes of \"vocab,(dModel\" do not close")]
    public async Task A_bad_shape_is_an_error_on_the_shape_argument(string shape, string reason)
    {
        var test = new AnalyzerTest<DeclarationAnalyzer>(Embed(shape).Replace("{|#1:", "").Replace("\"normal\"|}", "\"normal\""));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.BadShape).WithLocation(0).WithArguments("Shape", "embedding", reason));

        await test.RunAsync();
    }

    [Theory]
    [InlineData("vocab, 64")]
    [InlineData("vocab, 4*dModel")]
    [InlineData("vocab, (dModel + 2) * 3 / 3")]
    [InlineData("vocab, vocab")]
    public async Task Names_literals_and_arithmetic_are_accepted(string shape)
    {
        await new AnalyzerTest<DeclarationAnalyzer>(Embed(shape).Replace("{|#0:", "").Replace("{|#1:", "").Replace("|}", "")).RunAsync();
    }

    [Theory]
    [InlineData("gaussian", "'gaussian' is not a known initializer")]
    [InlineData("normal(0.02", "\"normal(0.02\" opens '(' without a closing ')' at the end")]
    [InlineData("normal(0.02, 3)", "'normal' takes at most 1 argument(s), got 2; usage: normal[(stddev)]")]
    [InlineData("constant", "'constant' needs its 'value' argument; usage: constant(value)")]
    [InlineData("normal(abc)", "stddev 'abc' is not a finite number")]
    [InlineData("normal(std=0.1)", "'normal' has no argument named 'std'; it takes normal[(stddev)]")]
    [InlineData("variance_scaling(1.0, fan_sideways, normal)", "mode 'fan_sideways' is not one of fan_in, fan_out, fan_avg, fan_geo_avg")]
    [InlineData("variance_scaling(0, fan_in, normal)", "variance_scaling needs a finite scale > 0 (1.0 for LeCun/Glorot, 2.0 for He), got 0")]
    [InlineData("he_normal(0.5)", "in_axis '0.5' is not an axis or a tuple of axes such as (0, 1)")]
    [InlineData("normal\\n", "it contains a line break or another control character")]
    [InlineData("", "Init is empty")]
    public async Task A_bad_init_is_an_error_that_lists_the_valid_forms(string init, string reason)
    {
        var test = new AnalyzerTest<DeclarationAnalyzer>(Embed("vocab,dModel", init).Replace("{|#0:", "").Replace("\"vocab,dModel\"|}", "\"vocab,dModel\""));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.BadInit).WithLocation(1)
            .WithArguments("embedding", reason + ". Valid forms: " + InitSyntax.ValidForms));

        await test.RunAsync();
    }

    [Theory]
    [InlineData("normal")]
    [InlineData("normal(0.02)")]
    [InlineData(" zeros ")]
    [InlineData("constant(-1.5e-3)")]
    [InlineData("variance_scaling(2.0, fan_in, truncated_normal, -2, -1)")]
    [InlineData("glorot_uniform")]
    [InlineData("variance_scaling(1.0, 'fan_avg', uniform, in_axis=(0, 1), out_axis=-1)")]
    public async Task A_valid_init_reports_nothing(string init)
    {
        await new AnalyzerTest<DeclarationAnalyzer>(Embed("vocab,dModel", init).Replace("{|#0:", "").Replace("{|#1:", "").Replace("|}", "")).RunAsync();
    }

    [Fact]
    public async Task A_batch_stat_with_a_random_initializer_is_an_error_at_compile_time()
    {
        const string source = """
            using Nnx;
            using TorchSharp;
            public partial class Stats
            {
                [BatchStat(Shape = "n", Init = {|#0:"normal"|})]
                private torch.Tensor? mean;
            }
            """;
        var test = new AnalyzerTest<DeclarationAnalyzer>(source);
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.BadInit).WithLocation(0).WithArguments("mean",
            "a [BatchStat] draws no RNG key (as NNX's nnx.BatchStat(jnp.zeros(...))), so its Init must be zeros, ones or constant(c), not 'normal'; use [Param] for randomly initialised state"));

        await test.RunAsync();
    }

    [Fact]
    public void The_message_lists_every_family_of_jax_initializers()
    {
        foreach (string name in new[] { "normal", "truncated_normal", "uniform", "zeros", "ones", "constant", "variance_scaling",
                     "lecun_normal", "lecun_uniform", "glorot_normal", "glorot_uniform", "xavier_normal", "xavier_uniform",
                     "he_normal", "he_uniform", "kaiming_normal", "kaiming_uniform" })
            Assert.Contains(name, InitSyntax.ValidForms);
    }
}
