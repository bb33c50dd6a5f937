using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Nnx.Generators.Shared;

namespace Nnx.Analyzers.Tests;

public class InitAnalyzerTests
{
    private static string Module(string init) => $$"""
        using Nnx;
        using TorchSharp.Modules;
        public partial class MyEmbed
        {
            [Param(Shape = "vocab,dModel", Init = {|#0:"{{init}}"|})]
            private Parameter? embedding;
        }
        """;

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
    [InlineData("", "Init is empty")]
    public async Task A_bad_init_is_an_error_that_lists_the_valid_forms(string init, string reason)
    {
        var test = new AnalyzerTest<InitAnalyzer>(Module(init));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.BadInit).WithLocation(0)
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
        await new AnalyzerTest<InitAnalyzer>(Module(init).Replace("{|#0:", "").Replace("|}", "")).RunAsync();
    }

    [Fact]
    public async Task An_omitted_init_uses_the_default_and_reports_nothing()
    {
        const string source = """
            using Nnx;
            using TorchSharp.Modules;
            public partial class MyEmbed
            {
                [Param(Shape = "vocab,dModel")]
                private Parameter? embedding;
            }
            """;

        await new AnalyzerTest<InitAnalyzer>(source).RunAsync();
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
