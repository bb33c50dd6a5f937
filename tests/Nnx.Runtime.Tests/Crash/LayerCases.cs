using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Crash;

/// <summary>Nnx layers and <see cref="Promotion"/> fed mixed dtypes; run in a child process by <see cref="LayerDtypeCrashTests"/>.</summary>
public static class LayerCases
{
    // x = [[0, .1, .2], [.3, .4, .5]] in the given dtype; the layers below have known parameters.
    private static Tensor X(ScalarType dtype) => torch.arange(6, ScalarType.Float64).div(10.0).reshape(2, 3).to(dtype);

    private static Linear KnownLinear(ScalarType? dtype = null)
    {
        var linear = new Linear(3, 2, new Rngs(0), dtype: dtype);
        using (torch.no_grad())
        {
            linear.Kernel.copy_(torch.tensor(new double[] { 1, 2, 3, 4, 5, 6 }).reshape(3, 2));
            linear.Bias!.copy_(torch.tensor(new double[] { 0.5, -0.5 }));
        }
        return linear;
    }

    public static Tensor Linear_float32_input() => KnownLinear().Forward(X(ScalarType.Float32));
    public static Tensor Linear_float64_input_float32_parameters() => KnownLinear().Forward(X(ScalarType.Float64));
    public static Tensor Linear_float32_input_float16_parameters() => KnownLinear().to(ScalarType.Float16).Forward(X(ScalarType.Float32));
    public static Tensor Linear_int64_input() => KnownLinear().Forward(torch.ones(2, 3, ScalarType.Int64));

    public static Tensor Linear_bfloat16_dtype_option() => KnownLinear(ScalarType.BFloat16).Forward(X(ScalarType.Float32));

    // Conv(1, 1, [2]) VALID with kernel [1, 2] and bias 0.5 over the sequence x.
    private static Conv KnownConv(ScalarType? paramDtype = null)
    {
        var conv = new Conv(1, 1, [2], new Rngs(0), padding: "VALID", paramDtype: paramDtype);
        using (torch.no_grad())
        {
            conv.Kernel.copy_(torch.tensor(new double[] { 1, 2 }).reshape(2, 1, 1));
            conv.Bias!.copy_(torch.tensor(new double[] { 0.5 }));
        }
        return conv;
    }

    private static Tensor Sequence(ScalarType dtype) => torch.tensor(new double[] { 0, 0.1, 0.2 }).reshape(1, 3, 1).to(dtype);

    public static Tensor Conv_float64_input_float32_parameters() => KnownConv().Forward(Sequence(ScalarType.Float64));
    public static Tensor Conv_float32_input_float16_parameters() => KnownConv(ScalarType.Float16).Forward(Sequence(ScalarType.Float32));
    public static Tensor Conv_int64_input() => KnownConv().Forward(torch.tensor(new long[] { 1, 2, 3 }).reshape(1, 3, 1));
    public static Tensor Conv_input_on_another_device() => KnownConv().Forward(torch.zeros([1, 3, 1], device: torch.META));

    public static Tensor BatchNorm_float64_input_float32_statistics() => new BatchNorm(3, new Rngs(0)).Forward(X(ScalarType.Float64));
    public static Tensor BatchNorm_float16_input() => new BatchNorm(3, new Rngs(0)).Forward(X(ScalarType.Float16));
    public static Tensor BatchNorm_bfloat16_dtype_option() => new BatchNorm(3, new Rngs(0), dtype: ScalarType.BFloat16).Forward(X(ScalarType.Float64));

    public static Tensor LayerNorm_float64_input_float32_parameters() => new LayerNorm(3, new Rngs(0)).Forward(X(ScalarType.Float64));
    public static Tensor LayerNorm_int64_input() => new LayerNorm(3, new Rngs(0)).Forward(torch.arange(6, ScalarType.Int64).reshape(2, 3));
    public static Tensor Dropout_int64_input() => new Dropout(0.5, new Rngs(0)).Forward(torch.ones(2, 3, ScalarType.Int64));
    public static Tensor RMSNorm_float64_input_float32_parameters() => new RMSNorm(3, new Rngs(0)).Forward(X(ScalarType.Float64));
    public static Tensor EmbedAttend_float64_query_float32_table() => new Embed(4, 3, new Rngs(0)).Attend(X(ScalarType.Float64));

    // Self-attention over two equal rows attends them equally, so the result is out(value(row)) whatever the weights:
    // LayerDtypeCrashTests checks it against that formula, from a module built the same way in the test process.
    internal static MultiHeadAttention KnownAttention(ScalarType? paramDtype = null, ScalarType? dtype = null) =>
        new(1, 3, new Rngs(0), paramDtype: paramDtype, dtype: dtype);

    internal static Tensor EqualRows(ScalarType dtype) => torch.tensor(new double[] { 0.1, 0.2, 0.3 }).expand(2, 3).reshape(1, 2, 3).to(dtype);

    public static Tensor MultiHeadAttention_float64_input_float32_parameters() => KnownAttention().Forward(EqualRows(ScalarType.Float64));
    public static Tensor MultiHeadAttention_float32_input_float16_parameters() => KnownAttention(ScalarType.Float16).Forward(EqualRows(ScalarType.Float32));
    public static Tensor MultiHeadAttention_float32_queries_float64_keys() => KnownAttention().Forward(EqualRows(ScalarType.Float32), EqualRows(ScalarType.Float64));
    public static Tensor MultiHeadAttention_bfloat16_dtype_option() => KnownAttention(dtype: ScalarType.BFloat16).Forward(EqualRows(ScalarType.Float64));
    public static Tensor MultiHeadAttention_int64_input() => KnownAttention().Forward(torch.ones(1, 2, 3, ScalarType.Int64));
    public static Tensor MultiHeadAttention_float_mask() => KnownAttention().Forward(EqualRows(ScalarType.Float32), mask: torch.tensor(new[] { 1f, 0f }));
    public static Tensor MultiHeadAttention_input_on_another_device() => KnownAttention().Forward(torch.zeros([1, 2, 3], device: torch.META));

    // The same products, each operand first cast by Promotion.PromoteDtype, as the layers will do.
    public static Tensor Promoted_matmul_float32_by_float64() => PromotedMatmul(X(ScalarType.Float32), X(ScalarType.Float64).t());
    public static Tensor Promoted_matmul_int64_by_float16() => PromotedMatmul(torch.ones(2, 3, ScalarType.Int64), X(ScalarType.Float16).t());
    public static Tensor Promoted_matmul_cpu_by_meta() => PromotedMatmul(X(ScalarType.Float32), torch.empty(3, 2, device: torch.META));

    private static Tensor PromotedMatmul(Tensor a, Tensor b)
    {
        Tensor?[] p = Promotion.PromoteDtype([a, b]);
        return p[0]!.matmul(p[1]!);
    }
}
