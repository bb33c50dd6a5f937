using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>Checks and dtype rules shared by <see cref="LayerNorm"/> and <see cref="RMSNorm"/>.</summary>
internal static class Norms
{
    public static void CheckInput(Tensor x, long numFeatures, string layer)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() == 0 || x.size(-1) != numFeatures)
            throw new ArgumentException(
                $"{layer}({numFeatures}) normalises the last axis, which must have size {numFeatures}; got an input of shape [{string.Join(", ", x.shape)}].",
                nameof(x));
        if (!x.is_floating_point())
            throw new ArgumentException($"{layer} needs a floating-point input; got {x.dtype}.", nameof(x));
    }

    // NNX computes statistics in at least float32 (half and bfloat16 inputs are promoted), then casts back.
    public static Tensor StatisticsType(Tensor x) =>
        x.dtype is ScalarType.Float16 or ScalarType.BFloat16 ? x.to(ScalarType.Float32) : x;
}
