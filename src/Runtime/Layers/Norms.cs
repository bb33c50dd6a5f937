using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>Checks, statistics and dtype rules shared by <see cref="LayerNorm"/> and <see cref="RMSNorm"/> (NNX's <c>_compute_stats</c>, <c>_normalize</c>).</summary>
internal static class Norms
{
    public static void CheckInput(Tensor x, Tensor? mask, long numFeatures, string layer, Tensor? scale, Tensor? bias)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() == 0 || x.size(-1) != numFeatures)
            throw new ArgumentException(
                $"{layer}({numFeatures}) normalises the last axis, which must have size {numFeatures}; got an input of shape [{string.Join(", ", x.shape)}].",
                nameof(x));
        if (!x.is_floating_point())
            throw new ArgumentException($"{layer} needs a floating-point input; got {x.dtype}.", nameof(x));
        Promotion.RequireOneDevice([x, mask, scale, bias]);
        if (mask is null) return;
        if (mask.dtype != ScalarType.Bool)
            throw new ArgumentException($"{layer}'s mask must be a bool tensor (true where elements count); got {mask.dtype}.", nameof(mask));
        try
        {
            long[] broadcast = torch.broadcast_shapes(x.shape, mask.shape).Shape;
            if (!broadcast.AsSpan().SequenceEqual(x.shape)) throw new ArgumentException("mask widens the input");
        }
        catch (Exception e) when (e is ArgumentException or System.Runtime.InteropServices.ExternalException)
        {
            throw new ArgumentException(
                $"{layer}'s mask of shape [{string.Join(", ", mask.shape)}] does not broadcast to the input's [{string.Join(", ", x.shape)}].", nameof(mask), e);
        }
    }

    // NNX computes statistics in at least float32 (half and bfloat16 inputs are promoted), then casts the result.
    public static Tensor StatisticsType(Tensor x, ScalarType? dtype)
    {
        ScalarType statistics = Promotion.StatisticsDtype(x.dtype, dtype);
        return x.dtype == statistics ? x : x.to(statistics);
    }

    /// <summary>The mean over the last axis, of the masked elements only when a mask is given (NNX's <c>where=mask</c>).</summary>
    public static Tensor Mean(Tensor x, Tensor? mask)
    {
        if (mask is null) return x.mean([-1L], keepdim: true);
        Tensor weights = mask.expand_as(x).to(x.dtype);
        return x.mul(weights).sum([-1L], keepdim: true).div_(weights.sum([-1L], keepdim: true));
    }

    /// <summary>The output dtype (NNX's <c>canonicalize_dtype</c>): the layer's dtype option, else the promotion of the input and its parameters.</summary>
    public static ScalarType OutputType(Tensor x, Tensor? scale, Tensor? bias, ScalarType? dtype) =>
        Promotion.CanonicalizeDtype([x, scale, bias], dtype);
}
