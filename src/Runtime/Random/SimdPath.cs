using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nnx;

/// <summary>Which instruction width the random kernels use; every path gives the same bits.</summary>
internal enum SimdPath
{
    Scalar,
    Vector256,
    Vector512,
}

internal static class SimdPaths
{
    /// <summary>
    /// The widest path the CPU runs natively. Vector256 needs hardware FMA: without it .NET emulates the fused
    /// multiply-add lane by lane, exact but slower than the scalar path.
    /// </summary>
    public static readonly SimdPath Best =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? SimdPath.Vector512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? SimdPath.Vector256
        : SimdPath.Scalar;
}
