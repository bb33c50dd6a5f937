using System;
using Nnx.Generators.Shared;

namespace Nnx.Analyzers.Tests;

/// <summary>
/// The analyzer's Init grammar (src/Generators/Shared/InitSyntax.cs) and the runtime's parser
/// (<see cref="Nnx.Initializer.Parse"/>) are written separately; these samples keep them from drifting apart:
/// a text the analyzer accepts must construct at run time, and a text it rejects must fail at run time.
/// </summary>
public class InitGrammarAgreementTests
{
    public static TheoryData<string> Samples { get; } = new()
    {
        // accepted forms, one or more per initializer and arity
        "normal", "normal()", "normal(0.02)", " normal ( 0.5 ) ", "normal(1e-2)",
        "truncated_normal", "truncated_normal(0.02)", "truncated_normal(1, -1, 1)", "truncated_normal(upper=3)",
        "uniform", "uniform(0.01)",
        "zeros", "ones", "constant(0)", "constant(-2.5)",
        "variance_scaling(1.0, fan_in, truncated_normal)", "variance_scaling(2, fan_out, normal)",
        "variance_scaling(0.5, fan_avg, uniform)", "variance_scaling(1.0, fan_in, normal, -2, -1)", "variance_scaling(1.0, fan_in, normal, 0)",
        "variance_scaling(1.0, 'fan_in', \"normal\")", "variance_scaling(1.0, fan_geo_avg, uniform)", "variance_scaling(scale=2, mode=fan_in, distribution=normal)",
        "variance_scaling(1.0, fan_in, normal, in_axis=(0, 1), out_axis=[2], batch_axis=())", "variance_scaling(1, fan_in, normal, -2, -1, 0)",
        "lecun_normal", "lecun_uniform", "glorot_normal", "glorot_uniform", "xavier_normal", "xavier_uniform",
        "he_normal", "he_uniform", "kaiming_normal", "kaiming_uniform", "he_normal(-2, -1)", "glorot_uniform(0, 1)", "lecun_normal(batch_axis=0)", "he_uniform((0, 1), 2)",
        // rejected forms
        "", "   ", "gaussian", "Normal", "normal(", "normal)", "normal(0.02, 1)", "normal(x)", "normal(NaN)", "normal(Infinity)",
        "zeros(1)", "constant", "constant()", "constant(1, 2)", "uniform(1, 2)", "normal(,)", "normal(1,)", "normal(stddev=1, stddev=2)",
        "normal(stddev=1, 2)", "normal(sigma=1)", "variance_scaling(0, fan_in, normal)", "variance_scaling(-1, fan_in, normal)",
        "variance_scaling(1.0, fan_in, normal, (0, 1)", "variance_scaling(1.0, fan_in, normal, (0, x))", "variance_scaling(1, fan_in)",
        "truncated_normal(1, 2, 3, 4)", "he_normal(0, 1, 2, 3)", "he_normal(in_axis=0.5)",
        "variance_scaling", "variance_scaling(1.0)", "variance_scaling(1.0, fan_in)", "variance_scaling(1.0, fan_up, normal)",
        "variance_scaling(1.0, fan_in, cauchy)", "variance_scaling(x, fan_in, normal)", "variance_scaling(1.0, fan_in, normal, 0.5)",
        "variance_scaling(1.0, fan_in, normal, 0, 1, 2, 3)", "he_normal(0.5)", "glorot(1)", "lecun",
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void The_analyzer_and_the_runtime_agree_on(string init)
    {
        bool analyzerAccepts = InitSyntax.TryParse(init, out string error);
        string? runtimeError = null;
        try
        {
            Nnx.Initializer.Parse(init);
        }
        catch (FormatException e)
        {
            runtimeError = e.Message;
        }

        Assert.True(analyzerAccepts == (runtimeError is null),
            $"Init \"{init}\": the analyzer {(analyzerAccepts ? "accepts it" : "rejects it (" + error + ")")}, " +
            $"the runtime {(runtimeError is null ? "accepts it" : "rejects it (" + runtimeError + ")")}");
    }
}
