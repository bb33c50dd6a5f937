using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// NNX's dtype rules for layers (<c>promote_dtype</c>): a layer computes in its <c>dtype</c> option, else in the
/// promoted type of its input and parameters, and casts everything to it first, so no native call ever sees two
/// dtypes (some of TorchSharp's, such as <c>matmul</c>, abort the process on a mismatch instead of throwing).
/// </summary>
internal static class Promotion
{
    /// <summary>The computation dtype for <paramref name="input"/> and <paramref name="parameter"/>, after checking both.</summary>
    /// <exception cref="ArgumentException">The input is not a number (bool, complex), or it is on another device.</exception>
    public static ScalarType Computation(string layer, Tensor input, Tensor parameter, ScalarType? dtype)
    {
        if (input.dtype is ScalarType.Bool or ScalarType.ComplexFloat32 or ScalarType.ComplexFloat64)
            throw new ArgumentException($"{layer} needs a real-valued input; got {input.dtype}. Convert it, e.g. x.to(ScalarType.Float32).", nameof(input));
        if (input.device.type != parameter.device.type || input.device.index != parameter.device.index)
            throw new ArgumentException($"{layer}'s input is on {input.device}, its parameters on {parameter.device}; move one, e.g. x.to(layer's device).", nameof(input));
        ScalarType promoted = dtype ?? torch.promote_types(input.dtype, parameter.dtype);
        if (!torch.is_floating_point(promoted))
            throw new ArgumentException($"{layer} computes in {promoted}, which is not a floating-point type; set its dtype option to a float type.", nameof(dtype));
        return promoted;
    }

    /// <summary><paramref name="tensor"/> in <paramref name="dtype"/>: itself when it already is (no copy).</summary>
    public static Tensor To(Tensor tensor, ScalarType dtype) => tensor.dtype == dtype ? tensor : tensor.to(dtype);
}
