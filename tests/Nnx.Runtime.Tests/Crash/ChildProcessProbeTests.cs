using System.Linq;
using static Nnx.Runtime.Tests.Crash.ProbeKind;

namespace Nnx.Runtime.Tests.Crash;

/// <summary>The harness itself: it must tell a returned value, a .NET exception and a native abort apart.</summary>
public class ChildProcessProbeTests
{
    [Fact]
    public void A_native_abort_is_reported_as_a_crash_with_exit_code_134_and_libtorch_s_message()
    {
        ProbeOutcome outcome = ChildProcessProbe.RunOne(typeof(NativeCallCases), nameof(NativeCallCases.Matmul_float32_by_float64));

        Assert.Equal(Crashed, outcome.Kind);
        Assert.Equal(134, outcome.ExitCode);
        Assert.Contains("terminate called after throwing an instance of 'c10::Error'", outcome.Stderr);
        Assert.Contains("expected m1 and m2 to have the same dtype", outcome.Stderr);
    }

    [Fact]
    public void Cases_after_a_crash_run_in_a_fresh_process_and_each_gets_its_own_outcome()
    {
        var outcomes = ChildProcessProbe.Run(typeof(NativeCallCases),
            nameof(NativeCallCases.Matmul_same_dtype), nameof(NativeCallCases.Matmul_float32_by_float64),
            nameof(NativeCallCases.Mm_float32_by_float64), nameof(NativeCallCases.Matmul_inner_sizes_differ),
            nameof(NativeCallCases.Add_float32_and_float64));

        Assert.Equal([Returned, Crashed, Threw, Crashed, Returned],
            new[] { "Matmul_same_dtype", "Matmul_float32_by_float64", "Mm_float32_by_float64", "Matmul_inner_sizes_differ", "Add_float32_and_float64" }
                .Select(c => outcomes[c].Kind));
        Assert.Equal("System.Runtime.InteropServices.ExternalException", outcomes["Mm_float32_by_float64"].ExceptionType);
    }

    [Fact]
    public void A_returned_tensor_comes_back_with_its_dtype_shape_and_values()
    {
        ProbeOutcome outcome = ChildProcessProbe.RunOne(typeof(NativeCallCases), nameof(NativeCallCases.Matmul_same_dtype));

        Assert.Equal(Returned, outcome.Kind);
        Assert.Equal("Float32", outcome.Dtype);
        Assert.Equal(new long[] { 2, 4 }, outcome.Shape);
        // [[0, .1, .2], [.3, .4, .5]] @ [[0, .1, .2, .3], [.4, .5, .6, .7], [.8, .9, 1, 1.1]], by hand.
        double[] expected = [0.2, 0.23, 0.26, 0.29, 0.56, 0.68, 0.80, 0.92];
        Assert.All(expected.Zip(outcome.Values), p => Assert.Equal(p.First, p.Second, 1e-6));
    }
}
