using System.Collections.Generic;
using System.Linq;
using static Nnx.Runtime.Tests.Crash.ProbeKind;

namespace Nnx.Runtime.Tests.Crash;

/// <summary>
/// Which TorchSharp 0.107 calls abort the process on bad input and which throw: every case of
/// <see cref="NativeCallCases"/> in a child process, against the outcome <c>docs/errors.md</c> records. A change
/// here (a TorchSharp upgrade that adds a handler, say) fails the matching row, so the document stays true.
/// </summary>
public class NativeAbortSurveyTests : IClassFixture<NativeAbortSurveyTests.Outcomes>
{
    private readonly IReadOnlyDictionary<string, ProbeOutcome> _outcomes;

    public NativeAbortSurveyTests(Outcomes outcomes) => _outcomes = outcomes.ByCase;

    /// <summary>All survey cases, run once for the class.</summary>
    public sealed class Outcomes
    {
        public IReadOnlyDictionary<string, ProbeOutcome> ByCase { get; } =
            ChildProcessProbe.Run(typeof(NativeCallCases), Expected.Select(e => (string)e[0]).ToArray());
    }

    // case, outcome, a fragment of the result, the exception message or libtorch's last words on stderr.
    public static TheoryData<string, ProbeKind, string> Expected => new()
    {
        { "Matmul_same_dtype", Returned, "Float32 [2,4]" },
        { "Matmul_float32_by_float64", Crashed, "expected m1 and m2 to have the same dtype, but got: float != double" },
        { "Matmul_float32_by_float16", Crashed, "expected m1 and m2 to have the same dtype, but got: float != c10::Half" },
        { "Matmul_int64_by_float32", Crashed, "expected m1 and m2 to have the same dtype, but got: long int != float" },
        { "Matmul_inner_sizes_differ", Crashed, "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)" },
        { "Matmul_scalar_operand", Crashed, "both arguments to matmul need to be at least 1D" },
        { "Matmul_cpu_by_meta", Returned, "meta [2,4]" },
        { "Mm_float32_by_float64", Threw, "expected m1 and m2 to have the same dtype" },
        { "Bmm_float32_by_float64", Threw, "expected scalar type Float but found Double" },
        { "Einsum_float32_by_float64", Threw, "expected scalar type Float but found Double" },
        { "Linear_float32_input_float64_weight", Threw, "expected m1 and m2 to have the same dtype" },
        { "Linear_inner_sizes_differ", Threw, "mat1 and mat2 shapes cannot be multiplied" },
        { "Linear_cpu_input_meta_weight", Returned, "meta [2,4]" },
        { "LayerNorm_float64_input_float32_weight", Threw, "mixed dtype (CPU): all inputs must share same datatype" },
        { "LayerNorm_normalized_shape_differs", Threw, "Given normalized_shape=[4], expected input with shape [*, 4]" },
        { "Softmax_int64_input", Threw, "not implemented for 'Long'" },
        { "Softmax_dim_out_of_range", Threw, "Dimension out of range" },
        { "Softmax_float16_input", Returned, "Float16 [2,3]" },
        { "Sdpa_float32_query_float64_key", Threw, "Expected query, key, and value to have the same dtype" },
        { "Sdpa_float64_mask_float32_query", Threw, "Expected attn_mask dtype to be bool or float or to match query dtype" },
        { "Sdpa_mask_not_broadcastable", Threw, "must match the size of tensor b (5)" },
        { "Sdpa_head_dims_differ", Threw, "Expected size for first two dimensions of batch2 tensor" },
        { "Sdpa_cpu_query_meta_key", Threw, "Expected query, key, and value to have the same device type" },
        // Unlike JAX (the mean of the values), a query whose keys are all masked gets zeros.
        { "Sdpa_fully_masked_row_bool_mask", Returned, "Float32 [1,1,3,2] 0,0," },
        { "Conv1d_float64_input_float32_weight", Threw, "expected scalar type Double but found Float" },
        { "Conv1d_channels_differ", Threw, "expected input[1, 2, 5] to have 4 channels, but got 2 channels" },
        { "Conv1d_kernel_longer_than_input", Threw, "Kernel size can't be greater than actual input size" },
        { "Conv2d_float64_input_float32_weight", Threw, "expected scalar type Double but found Float" },
        { "Conv2d_channels_differ", Threw, "to have 4 channels, but got 2 channels" },
        { "Conv2d_cpu_input_meta_weight", Threw, "Meta tensors" },
        { "Conv3d_float64_input_float32_weight", Threw, "expected scalar type Double but found Float" },
        { "Pad_circular_wider_than_the_input", Threw, "Padding value causes wrapping around more than once" },
        { "Pad_reflect_wider_than_the_input", Threw, "Padding size should be less than the corresponding input dimension" },
        { "Mean_over_no_dimensions", Returned, "Float32 [1,1]" },
        { "BatchNorm_float64_input_float32_statistics", Threw, "mixed dtype (CPU): all inputs must share same datatype" },
        { "BatchNorm_feature_count_differs", Threw, "running_mean should contain 3 elements not 5" },
        { "IndexSelect_float_index", Threw, "Expected dtype int32 or int64 for index" },
        { "IndexSelect_index_out_of_range", Threw, "index out of range in self" },
        { "IndexSelect_meta_index", Threw, "Meta tensors" },
        { "Where_float_condition", Threw, "must be a boolean tensor" },
        { "Where_float32_and_float64_branches", Returned, "Float64 [2,2]" },
        { "Where_shapes_not_broadcastable", Threw, "must match the size of tensor b" },
        { "MaskedFill_float_mask", Threw, "only supports boolean masks" },
        { "Add_float32_and_float64", Returned, "Float64 [2,2]" },
        { "AddInPlace_float_into_int64", Threw, "result type Float can't be cast to the desired output type Long" },
        { "Add_shapes_not_broadcastable", Threw, "must match the size of tensor b (5)" },
        { "Add_cpu_and_meta", Threw, "Expected all tensors to be on the same device" },
        { "Mul_shapes_not_broadcastable", Threw, "must match the size of tensor b (5)" },
        { "Div_float16_by_float32", Returned, "Float32 [2,2]" },
        { "AutogradGrad_output_without_grad", Crashed, "element 0 of tensors does not require grad and does not have a grad_fn" },
        { "Cummax_dim_out_of_range", Crashed, "Dimension out of range" },
        { "Backward_twice_through_a_freed_graph", Threw, "Trying to backward through the graph a second time" },
        { "SetNumThreads_zero", Crashed, "Expected positive number of threads" },
        { "ScalarToByte_out_of_range", Crashed, "value cannot be converted to type uint8_t without overflow" },
        { "GeneratorSetState_wrong_tensor", Crashed, "RNG state must be a torch.ByteTensor" },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void Each_call_returns_throws_or_aborts_as_docs_errors_md_records(string @case, ProbeKind kind, string fragment)
    {
        ProbeOutcome o = _outcomes[@case];

        Assert.True(o.Kind == kind, $"expected {kind}, got {o}");
        Assert.Contains(fragment, kind switch { Returned => o.Result, Threw => o.Message, _ => o.Stderr });
        if (kind == Crashed) Assert.Equal(134, o.ExitCode);
        if (kind == Threw) Assert.DoesNotContain("terminate called", o.Message);
    }

    [Fact]
    public void Every_survey_case_has_an_expected_outcome()
    {
        string[] declared = typeof(NativeCallCases).GetMethods()
            .Where(m => m.IsStatic && m.IsPublic && m.DeclaringType == typeof(NativeCallCases)).Select(m => m.Name).ToArray();

        Assert.Equal(declared.Order(), Expected.Select(e => (string)e[0]).Order());
    }
}
