using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static Nnx.Runtime.Tests.Crash.ProbeKind;

namespace Nnx.Runtime.Tests.Crash;

/// <summary>
/// Nnx layers on mismatched dtypes, each in a child process: an exception or a correct result is fine, a crash is
/// not. The Linear cases aborted the process before the layers promoted dtypes as NNX does (issue 15).
/// </summary>
public class LayerDtypeCrashTests : IClassFixture<LayerDtypeCrashTests.Outcomes>
{
    private readonly IReadOnlyDictionary<string, ProbeOutcome> _outcomes;

    public LayerDtypeCrashTests(Outcomes outcomes) => _outcomes = outcomes.ByCase;

    /// <summary>All cases of <see cref="LayerCases"/>, run once for the class.</summary>
    public sealed class Outcomes
    {
        public IReadOnlyDictionary<string, ProbeOutcome> ByCase { get; } = ChildProcessProbe.Run(typeof(LayerCases),
            typeof(LayerCases).GetMethods().Where(m => m.IsStatic && m.IsPublic && m.DeclaringType == typeof(LayerCases))
                .Select(m => m.Name).ToArray());
    }

    // x = [[0, .1, .2], [.3, .4, .5]], kernel [[1, 2], [3, 4], [5, 6]], bias [.5, -.5], by hand.
    private static readonly double[] LinearByHand = [1.8, 1.1, 4.5, 4.7];

    [Fact]
    public void Linear_on_float32_input_returns_x_times_kernel_plus_bias()
    {
        ProbeOutcome o = _outcomes[nameof(LayerCases.Linear_float32_input)];

        Assert.Equal(Returned, o.Kind);
        Assert.Equal("Float32", o.Dtype);
        AssertClose(LinearByHand, o.Values, 1e-6);
    }

    [Theory]
    [InlineData(nameof(LayerCases.Linear_float64_input_float32_parameters), "Float64", 1e-6)]
    [InlineData(nameof(LayerCases.Linear_float32_input_float16_parameters), "Float32", 1e-2)]
    public void Linear_on_mixed_dtypes_computes_in_the_promoted_type_as_flax(string @case, string dtype, double tolerance)
    {
        // Flax promotes: float64 input -> float64 result, float16 parameters with float32 input -> float32. Before
        // the layer promoted, libtorch's matmul aborted the process on these (issue 15).
        ProbeOutcome o = _outcomes[@case];

        Assert.Equal(Returned, o.Kind);
        Assert.Equal(dtype, o.Dtype);
        AssertClose(LinearByHand, o.Values, tolerance);
    }

    [Fact]
    public void Linear_on_integer_input_computes_in_float32_as_flax()
    {
        ProbeOutcome o = _outcomes[nameof(LayerCases.Linear_int64_input)];

        Assert.Equal(Returned, o.Kind);
        Assert.Equal("Float32", o.Dtype);
        // ones(2, 3) @ kernel = [9, 12] per row, plus the bias.
        AssertClose([9.5, 11.5, 9.5, 11.5], o.Values, 1e-6);
    }

    [Fact]
    public void LayerNorm_on_float64_input_returns_float64_normalised_rows()
    {
        ProbeOutcome o = _outcomes[nameof(LayerCases.LayerNorm_float64_input_float32_parameters)];

        Assert.Equal(Returned, o.Kind);
        Assert.Equal("Float64", o.Dtype);
        // Each row is an arithmetic progression with step .1: (x - mean) / sqrt(var + 1e-6), var = 2/3 * .01.
        double z = 0.1 / Math.Sqrt(0.02 / 3 + 1e-6);
        AssertClose([-z, 0, z, -z, 0, z], o.Values, 1e-12);
    }

    [Fact]
    public void RMSNorm_returns_float64_for_float64_input()
    {
        ProbeOutcome o = _outcomes[nameof(LayerCases.RMSNorm_float64_input_float32_parameters)];

        Assert.Equal(Returned, o.Kind);
        Assert.Equal("Float64", o.Dtype);
        Assert.Equal(new[] { 2L, 3L }, o.Shape);
    }

    [Fact]
    public void Embed_attend_computes_in_the_table_s_dtype_as_NNX_whose_dtype_defaults_to_the_table_s()
    {
        ProbeOutcome o = _outcomes[nameof(LayerCases.EmbedAttend_float64_query_float32_table)];

        Assert.Equal(Returned, o.Kind);
        Assert.Equal("Float32", o.Dtype);
        Assert.Equal(new[] { 2L, 4L }, o.Shape);
    }

    [Fact]
    public void Linear_with_a_dtype_option_computes_and_returns_that_dtype()
    {
        ProbeOutcome o = _outcomes[nameof(LayerCases.Linear_bfloat16_dtype_option)];

        Assert.Equal(Returned, o.Kind);
        Assert.Equal("BFloat16", o.Dtype);
        AssertClose(LinearByHand, o.Values, 5e-2);
    }

    [Theory]
    [InlineData(nameof(LayerCases.Conv_float64_input_float32_parameters), "Float64", 1e-12)]
    [InlineData(nameof(LayerCases.Conv_float32_input_float16_parameters), "Float32", 1e-6)]
    public void Conv_on_mixed_dtypes_computes_in_the_promoted_type(string @case, string dtype, double tolerance)
    {
        ProbeOutcome o = _outcomes[@case];

        Assert.Equal(Returned, o.Kind);
        Assert.Equal(dtype, o.Dtype);
        // VALID over [0, .1, .2] with kernel [1, 2] and bias .5: [0 + .2 + .5, .1 + .4 + .5]; float32 rounding of .1
        // and .2 in the float16-parameter case stays below the tolerance.
        Assert.Equal(new[] { 1L, 2L, 1L }, o.Shape);
        AssertClose([0.7, 1.0], o.Values, Math.Max(tolerance, 1e-7));
    }

    [Fact]
    public void Conv_on_integer_input_computes_in_float32()
    {
        ProbeOutcome o = _outcomes[nameof(LayerCases.Conv_int64_input)];

        Assert.Equal(Returned, o.Kind);
        Assert.Equal("Float32", o.Dtype);
        AssertClose([5.5, 8.5], o.Values, 1e-6);
    }

    [Fact]
    public void Conv_rejects_an_input_on_another_device_than_its_kernel()
    {
        ProbeOutcome o = _outcomes[nameof(LayerCases.Conv_input_on_another_device)];

        Assert.Equal(Threw, o.Kind);
        Assert.Equal("System.ArgumentException", o.ExceptionType);
        Assert.Contains("on meta", o.Message);
    }

    [Theory]
    [InlineData(nameof(LayerCases.BatchNorm_float64_input_float32_statistics), "Float64", 1e-9)]
    [InlineData(nameof(LayerCases.BatchNorm_float16_input), "Float32", 2e-3)]
    [InlineData(nameof(LayerCases.BatchNorm_bfloat16_dtype_option), "BFloat16", 2e-2)]
    public void BatchNorm_on_mixed_dtypes_computes_in_the_type_NNX_promotes_to(string @case, string dtype, double tolerance)
    {
        ProbeOutcome o = _outcomes[@case];

        Assert.Equal(Returned, o.Kind);
        Assert.Equal(dtype, o.Dtype);
        // Columns [0, .3], [.1, .4], [.2, .5]: each row is -/+ .15 / sqrt(.0225 + 1e-5) from its column's mean.
        double z = 0.15 / Math.Sqrt(0.0225 + 1e-5);
        AssertClose([-z, -z, -z, z, z, z], o.Values, tolerance);
    }

    [Fact]
    public void LayerNorm_on_integer_input_computes_in_float32_as_flax()
    {
        ProbeOutcome o = _outcomes[nameof(LayerCases.LayerNorm_int64_input)];

        Assert.Equal(Returned, o.Kind);
        Assert.Equal("Float32", o.Dtype);
        double z = 1 / Math.Sqrt(2.0 / 3 + 1e-6);
        AssertClose([-z, 0, z, -z, 0, z], o.Values, 1e-5);
    }

    [Fact]
    public void Dropout_on_integer_input_returns_float32_kept_values_scaled_by_the_keep_probability()
    {
        ProbeOutcome o = _outcomes[nameof(LayerCases.Dropout_int64_input)];

        Assert.Equal(Returned, o.Kind);
        Assert.Equal("Float32", o.Dtype);
        Assert.All(o.Values, v => Assert.True(v == 0 || v == 2, $"{v} is neither dropped (0) nor kept and scaled by 1 / 0.5"));
        Assert.Contains(2.0, o.Values);
    }

    [Theory]
    [InlineData(nameof(LayerCases.MultiHeadAttention_float64_input_float32_parameters), "Float64", null, 1e-6)]
    [InlineData(nameof(LayerCases.MultiHeadAttention_float32_input_float16_parameters), "Float32", ScalarType.Float16, 1e-5)]
    [InlineData(nameof(LayerCases.MultiHeadAttention_float32_queries_float64_keys), "Float64", null, 1e-6)]
    [InlineData(nameof(LayerCases.MultiHeadAttention_bfloat16_dtype_option), "BFloat16", null, 5e-2)]
    [InlineData(nameof(LayerCases.MultiHeadAttention_float_mask), "Float32", null, 1e-6)]
    public void MultiHeadAttention_on_mixed_dtypes_computes_in_the_promoted_type(string @case, string dtype, ScalarType? paramDtype, double tolerance)
    {
        ProbeOutcome o = _outcomes[@case];
        using MultiHeadAttention mha = LayerCases.KnownAttention(paramDtype);
        using Tensor row = LayerCases.EqualRows(ScalarType.Float64).select(1, 0);
        double[] Weight(Parameter p) => p.detach().to(ScalarType.Float64).data<double>().ToArray();

        Assert.True(o.Kind == Returned, $"{o.Kind}: {o.ExceptionType} {o.Message}");
        Assert.Equal(dtype, o.Dtype);
        Assert.Equal(new[] { 1L, 2L, 3L }, o.Shape);
        // Both rows equal: y = (row Wv + bv) Wo + bo for each, with the module's own kernels (biases start at zero).
        double[] wv = Weight(mha.Value.Kernel), wo = Weight(mha.Out.Kernel), x = row.data<double>().ToArray();
        double[] v = Enumerable.Range(0, 3).Select(j => Enumerable.Range(0, 3).Sum(i => x[i] * wv[i * 3 + j])).ToArray();
        double[] y = Enumerable.Range(0, 3).Select(j => Enumerable.Range(0, 3).Sum(i => v[i] * wo[i * 3 + j])).ToArray();
        AssertClose([.. y, .. y], o.Values, tolerance);
    }

    [Fact]
    public void MultiHeadAttention_on_integer_input_computes_in_float32()
    {
        ProbeOutcome o = _outcomes[nameof(LayerCases.MultiHeadAttention_int64_input)];

        Assert.Equal(Returned, o.Kind);
        Assert.Equal("Float32", o.Dtype);
        Assert.Equal(o.Values[..3], o.Values[3..]);
    }

    [Fact]
    public void MultiHeadAttention_rejects_an_input_on_another_device_than_its_kernels()
    {
        ProbeOutcome o = _outcomes[nameof(LayerCases.MultiHeadAttention_input_on_another_device)];

        Assert.Equal(Threw, o.Kind);
        Assert.Equal("System.ArgumentException", o.ExceptionType);
        Assert.Contains("meta", o.Message);
    }

    [Fact]
    public void A_matmul_behind_PromoteDtype_returns_the_float64_product_instead_of_aborting()
    {
        ProbeOutcome o = _outcomes[nameof(LayerCases.Promoted_matmul_float32_by_float64)];

        Assert.Equal(Returned, o.Kind);
        Assert.Equal("Float64", o.Dtype);
        // x @ x.T with x = [[0, .1, .2], [.3, .4, .5]]; the float32 operand carries float32 rounding of .1 etc.
        AssertClose([0.05, 0.14, 0.14, 0.50], o.Values, 1e-7);
    }

    [Fact]
    public void A_matmul_behind_PromoteDtype_computes_an_integer_and_a_float16_operand_in_float16()
    {
        ProbeOutcome o = _outcomes[nameof(LayerCases.Promoted_matmul_int64_by_float16)];

        Assert.Equal(Returned, o.Kind);
        Assert.Equal("Float16", o.Dtype);
        AssertClose([0.3, 1.2, 0.3, 1.2], o.Values, 1e-3);
    }

    [Fact]
    public void PromoteDtype_rejects_tensors_on_two_devices_with_a_message_naming_both()
    {
        ProbeOutcome o = _outcomes[nameof(LayerCases.Promoted_matmul_cpu_by_meta)];

        Assert.Equal(Threw, o.Kind);
        Assert.Equal("System.ArgumentException", o.ExceptionType);
        Assert.Contains("is on cpu", o.Message);
        Assert.Contains("on meta", o.Message);
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {actual[i]}");
    }
}
