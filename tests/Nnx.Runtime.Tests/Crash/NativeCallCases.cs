using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Crash;

/// <summary>
/// TorchSharp calls the layers make, fed a dtype, device or shape mismatch. Run by <see cref="ChildProcessProbe"/>
/// (each may abort the process); <see cref="NativeAbortSurveyTests"/> records which abort, which throw and which
/// return, and <c>docs/errors.md</c> lists them.
/// </summary>
public static class NativeCallCases
{
    private static Tensor T(ScalarType dtype, params long[] shape) =>
        torch.arange(Size(shape), ScalarType.Float32).div(10f).reshape(shape).to(dtype);

    private static Tensor Meta(params long[] shape) => torch.empty(shape, device: torch.META);

    // A meta tensor has no values to print: its device and shape say where the mismatch went.
    private static string Where(Tensor t) => $"{t.device} [{string.Join(",", t.shape)}]";

    private static long Size(long[] shape)
    {
        long n = 1;
        foreach (long d in shape) n *= d;
        return n;
    }

    // THSTensor_matmul: the one layer op whose native entry point has no error handler.
    public static Tensor Matmul_same_dtype() => T(ScalarType.Float32, 2, 3).matmul(T(ScalarType.Float32, 3, 4));
    public static Tensor Matmul_float32_by_float64() => T(ScalarType.Float32, 2, 3).matmul(T(ScalarType.Float64, 3, 4));
    public static Tensor Matmul_float32_by_float16() => T(ScalarType.Float32, 2, 3).matmul(T(ScalarType.Float16, 3, 4));
    public static Tensor Matmul_int64_by_float32() => T(ScalarType.Int64, 2, 3).matmul(T(ScalarType.Float32, 3, 4));
    public static string Matmul_cpu_by_meta() => Where(T(ScalarType.Float32, 2, 3).matmul(Meta(3, 4)));
    public static Tensor Matmul_inner_sizes_differ() => T(ScalarType.Float32, 2, 3).matmul(T(ScalarType.Float32, 4, 5));
    public static Tensor Matmul_scalar_operand() => T(ScalarType.Float32, 2, 3).matmul(torch.tensor(2f));

    // The other products have handlers.
    public static Tensor Mm_float32_by_float64() => T(ScalarType.Float32, 2, 3).mm(T(ScalarType.Float64, 3, 4));
    public static Tensor Bmm_float32_by_float64() => T(ScalarType.Float32, 1, 2, 3).bmm(T(ScalarType.Float64, 1, 3, 4));
    public static Tensor Einsum_float32_by_float64() => torch.einsum("ij,jk->ik", T(ScalarType.Float32, 2, 3), T(ScalarType.Float64, 3, 4));
    public static Tensor Linear_float32_input_float64_weight() =>
        torch.nn.functional.linear(T(ScalarType.Float32, 2, 3), T(ScalarType.Float64, 4, 3));
    public static Tensor Linear_inner_sizes_differ() =>
        torch.nn.functional.linear(T(ScalarType.Float32, 2, 3), T(ScalarType.Float32, 4, 5));
    public static string Linear_cpu_input_meta_weight() => Where(torch.nn.functional.linear(T(ScalarType.Float32, 2, 3), Meta(4, 3)));

    public static Tensor LayerNorm_float64_input_float32_weight() =>
        torch.nn.functional.layer_norm(T(ScalarType.Float64, 2, 3), [3], T(ScalarType.Float32, 3), T(ScalarType.Float32, 3));
    public static Tensor LayerNorm_normalized_shape_differs() =>
        torch.nn.functional.layer_norm(T(ScalarType.Float32, 2, 3), [4], T(ScalarType.Float32, 4), T(ScalarType.Float32, 4));

    public static Tensor Softmax_int64_input() => torch.nn.functional.softmax(T(ScalarType.Int64, 2, 3), -1);
    public static Tensor Softmax_dim_out_of_range() => torch.nn.functional.softmax(T(ScalarType.Float32, 2, 3), 5);
    public static Tensor Softmax_float16_input() => torch.nn.functional.softmax(T(ScalarType.Float16, 2, 3), -1);

    // scaled_dot_product_attention over (batch, heads, length, headDim).
    public static Tensor Sdpa_float32_query_float64_key() =>
        torch.nn.functional.scaled_dot_product_attention(T(ScalarType.Float32, 1, 2, 3, 4), T(ScalarType.Float64, 1, 2, 3, 4), T(ScalarType.Float32, 1, 2, 3, 4));
    public static Tensor Sdpa_float64_mask_float32_query() =>
        torch.nn.functional.scaled_dot_product_attention(T(ScalarType.Float32, 1, 2, 3, 4), T(ScalarType.Float32, 1, 2, 3, 4), T(ScalarType.Float32, 1, 2, 3, 4),
            attn_mask: torch.zeros(3, 3, ScalarType.Float64));
    public static Tensor Sdpa_mask_not_broadcastable() =>
        torch.nn.functional.scaled_dot_product_attention(T(ScalarType.Float32, 1, 2, 3, 4), T(ScalarType.Float32, 1, 2, 3, 4), T(ScalarType.Float32, 1, 2, 3, 4),
            attn_mask: torch.ones(5, 5, ScalarType.Bool));
    public static Tensor Sdpa_head_dims_differ() =>
        torch.nn.functional.scaled_dot_product_attention(T(ScalarType.Float32, 1, 2, 3, 4), T(ScalarType.Float32, 1, 2, 3, 5), T(ScalarType.Float32, 1, 2, 3, 4));
    public static Tensor Sdpa_cpu_query_meta_key() =>
        torch.nn.functional.scaled_dot_product_attention(T(ScalarType.Float32, 1, 2, 3, 4), Meta(1, 2, 3, 4), T(ScalarType.Float32, 1, 2, 3, 4));

    // A query row whose keys are all masked out (a padded query): JAX gives the mean of the values.
    public static Tensor Sdpa_fully_masked_row_bool_mask()
    {
        Tensor mask = torch.ones(3, 3, ScalarType.Bool);
        mask[0] = torch.tensor(false);
        return torch.nn.functional.scaled_dot_product_attention(T(ScalarType.Float32, 1, 1, 3, 2), T(ScalarType.Float32, 1, 1, 3, 2), T(ScalarType.Float32, 1, 1, 3, 2), attn_mask: mask);
    }

    public static Tensor Conv1d_float64_input_float32_weight() =>
        torch.nn.functional.conv1d(T(ScalarType.Float64, 1, 2, 5), T(ScalarType.Float32, 3, 2, 2));
    public static Tensor Conv1d_channels_differ() =>
        torch.nn.functional.conv1d(T(ScalarType.Float32, 1, 2, 5), T(ScalarType.Float32, 3, 4, 2));
    public static Tensor Conv1d_kernel_longer_than_input() =>
        torch.nn.functional.conv1d(T(ScalarType.Float32, 1, 2, 2), T(ScalarType.Float32, 3, 2, 5));
    public static Tensor Conv2d_float64_input_float32_weight() =>
        torch.nn.functional.conv2d(T(ScalarType.Float64, 1, 2, 4, 4), T(ScalarType.Float32, 3, 2, 2, 2));
    public static Tensor Conv2d_channels_differ() =>
        torch.nn.functional.conv2d(T(ScalarType.Float32, 1, 2, 4, 4), T(ScalarType.Float32, 3, 4, 2, 2));
    public static Tensor Conv2d_cpu_input_meta_weight() =>
        torch.nn.functional.conv2d(T(ScalarType.Float32, 1, 2, 4, 4), Meta(3, 2, 2, 2));
    public static Tensor Conv3d_float64_input_float32_weight() =>
        torch.nn.functional.conv3d(T(ScalarType.Float64, 1, 2, 3, 3, 3), T(ScalarType.Float32, 3, 2, 2, 2, 2));

    // What nnx.Conv's CIRCULAR and REFLECT padding (jnp.pad) allow and libtorch's pads do not: wider than the input.
    public static Tensor Pad_circular_wider_than_the_input() =>
        torch.nn.functional.pad(T(ScalarType.Float32, 1, 1, 2), [3, 3], PaddingModes.Circular);
    public static Tensor Pad_reflect_wider_than_the_input() =>
        torch.nn.functional.pad(T(ScalarType.Float32, 1, 1, 2), [3, 3], PaddingModes.Reflect);

    // Not a crash but a trap for NNX code: jnp.mean over axes=() reduces nothing, libtorch reduces everything.
    public static Tensor Mean_over_no_dimensions() => T(ScalarType.Float32, 2, 3).mean(new long[0], keepdim: true);

    public static Tensor BatchNorm_float64_input_float32_statistics() =>
        torch.nn.functional.batch_norm(T(ScalarType.Float64, 4, 3), torch.zeros(3), torch.ones(3), torch.ones(3), torch.zeros(3), training: true);
    public static Tensor BatchNorm_feature_count_differs() =>
        torch.nn.functional.batch_norm(T(ScalarType.Float32, 4, 3), torch.zeros(5), torch.ones(5), training: true);

    public static Tensor IndexSelect_float_index() => T(ScalarType.Float32, 4, 3).index_select(0, torch.tensor(new float[] { 1 }));
    public static Tensor IndexSelect_index_out_of_range() => T(ScalarType.Float32, 4, 3).index_select(0, torch.tensor(new long[] { 7 }));
    public static Tensor IndexSelect_meta_index() => T(ScalarType.Float32, 4, 3).index_select(0, torch.zeros(1, ScalarType.Int64, torch.META));

    public static Tensor Where_float_condition() => torch.where(T(ScalarType.Float32, 2, 2), T(ScalarType.Float32, 2, 2), T(ScalarType.Float32, 2, 2));
    public static Tensor Where_float32_and_float64_branches() => torch.where(torch.ones(2, 2, ScalarType.Bool), T(ScalarType.Float32, 2, 2), T(ScalarType.Float64, 2, 2));
    public static Tensor Where_shapes_not_broadcastable() => torch.where(torch.ones(2, 2, ScalarType.Bool), T(ScalarType.Float32, 3, 3), T(ScalarType.Float32, 2, 2));
    public static Tensor MaskedFill_float_mask() => T(ScalarType.Float32, 2, 2).masked_fill(T(ScalarType.Float32, 2, 2), 0f);

    public static Tensor Add_float32_and_float64() => T(ScalarType.Float32, 2, 2).add(T(ScalarType.Float64, 2, 2));
    public static Tensor AddInPlace_float_into_int64() => T(ScalarType.Int64, 2, 2).add_(T(ScalarType.Float32, 2, 2));
    public static Tensor Add_shapes_not_broadcastable() => T(ScalarType.Float32, 2, 3).add(T(ScalarType.Float32, 4, 5));
    public static Tensor Add_cpu_and_meta() => T(ScalarType.Float32, 2, 2).add(Meta(2, 2));
    public static Tensor Mul_shapes_not_broadcastable() => T(ScalarType.Float32, 2, 3).mul(T(ScalarType.Float32, 4, 5));
    public static Tensor Div_float16_by_float32() => T(ScalarType.Float16, 2, 2).div(T(ScalarType.Float32, 2, 2).add(1f));

    // Entry points outside the layers that also lack a handler.
    public static Tensor AutogradGrad_output_without_grad()
    {
        Tensor x = torch.ones(2, requires_grad: true);
        return torch.autograd.grad([torch.ones(2)], [x])[0];
    }

    public static Tensor Cummax_dim_out_of_range() => T(ScalarType.Float32, 2, 3).cummax(5).values;

    public static Tensor Backward_twice_through_a_freed_graph()
    {
        Tensor x = torch.ones(2, requires_grad: true);
        Tensor y = x.mul(x).sum();
        y.backward();
        y.backward();
        return x.grad!;
    }

    public static string SetNumThreads_zero()
    {
        torch.set_num_threads(0);
        return torch.get_num_threads().ToString();
    }

    public static string ScalarToByte_out_of_range() => ((Scalar)300).ToByte().ToString();

    public static string GeneratorSetState_wrong_tensor()
    {
        using var generator = new torch.Generator(1);
        generator.set_state(torch.zeros(3));
        return "state set";
    }
}
