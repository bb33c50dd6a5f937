using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// Checks, statistics and dtype rules shared by <see cref="LayerNorm"/>, <see cref="RMSNorm"/> and <see cref="BatchNorm"/>
/// (NNX's <c>_compute_stats</c> and <c>_normalize</c> in <c>flax/nnx/nn/normalization.py</c>).
/// </summary>
internal static class Norms
{
    /// <summary>The input and mask checks of a layer normalising over the last axis of size <paramref name="numFeatures"/>.</summary>
    public static void CheckInput(Tensor x, Tensor? mask, long numFeatures, string layer, Tensor? scale, Tensor? bias)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() == 0 || x.size(-1) != numFeatures)
            throw new ArgumentException(
                $"{layer}({numFeatures}) normalises the last axis, which must have size {numFeatures}; got an input of shape [{string.Join(", ", x.shape)}].",
                nameof(x));
        CheckDtypeAndMask(x, mask, layer, [x, mask, scale, bias]);
    }

    /// <summary>
    /// Rejects complex inputs (NNX normalises <c>|x|²</c> there, which these layers do not implement, so they would
    /// return wrong numbers), tensors on several devices, and a mask that is not bool or does not broadcast to the input.
    /// Integer and bool inputs are fine: NNX's promotion computes them in float32.
    /// </summary>
    public static void CheckDtypeAndMask(Tensor x, Tensor? mask, string layer, Tensor?[] all)
    {
        if (x.is_complex())
            throw new ArgumentException(
                $"{layer} takes real inputs; got {x.dtype}. Normalise the real and imaginary parts separately, or their magnitude (x.abs()).",
                nameof(x));
        Promotion.RequireOneDevice(all);
        if (mask is null) return;
        if (mask.dtype != ScalarType.Bool)
            throw new ArgumentException($"{layer}'s mask must be a bool tensor (true where elements count); got {mask.dtype}.", nameof(mask));
        if (!BroadcastsTo(mask.shape, x.shape))
            throw new ArgumentException(
                $"{layer}'s mask of shape [{string.Join(", ", mask.shape)}] does not broadcast to the input's [{string.Join(", ", x.shape)}].", nameof(mask));
    }

    // NumPy's rule, axes aligned from the right. (TorchSharp 0.107's torch.broadcast_shapes aligns them from the left,
    // so it rejects a (features,) mask for a (batch, features) input.)
    private static bool BroadcastsTo(long[] shape, long[] target)
    {
        if (shape.Length > target.Length) return false;
        for (int i = 1; i <= shape.Length; i++)
            if (shape[^i] != 1 && shape[^i] != target[^i]) return false;
        return true;
    }

    /// <summary>
    /// The type NNX computes statistics in (<c>_compute_stats</c>): the computation type raised to at least float32, so
    /// half and bfloat16 inputs get float32 statistics and float64 stays float64.
    /// </summary>
    public static ScalarType StatisticsType(ScalarType compute) => Promotion.PromoteTypes(compute, ScalarType.Float32);

    /// <summary><paramref name="x"/> in <paramref name="dtype"/>: the tensor itself when it already is, else a cast copy.</summary>
    public static Tensor Cast(Tensor x, ScalarType dtype) => x.dtype == dtype ? x : x.to(dtype);

    /// <summary>
    /// NNX's <c>_compute_stats</c> over <paramref name="axes"/> of <paramref name="xs"/> (already in the statistics type):
    /// the mean (zero without <paramref name="useMean"/>, RMSNorm) and the variance, <c>max(0, E[x²] - E[x]²)</c> with
    /// <paramref name="useFastVariance"/>, else <c>E[(x - E[x])²]</c>; only the elements where <paramref name="mask"/> is
    /// true count. Both keep the reduced axes as size 1.
    /// </summary>
    public static (Tensor? Mean, Tensor Variance) Statistics(Tensor xs, long[] axes, Tensor? mask, bool useMean, bool useFastVariance)
    {
        if (!useMean) return (null, Mean(xs.square(), axes, mask));
        Tensor mean = Mean(xs, axes, mask);
        Tensor variance = useFastVariance
            ? Mean(xs.square(), axes, mask).sub_(mean.square()).clamp_min_(0.0)
            : Mean(xs.sub(mean).square(), axes, mask);
        return (mean, variance);
    }

    /// <summary>
    /// NNX's <c>_normalize</c> before its final cast: <c>(x - mean) * (rsqrt(variance + epsilon) * scale) + bias</c>, with
    /// <paramref name="scale"/> and <paramref name="bias"/> already shaped to broadcast against <paramref name="x"/>.
    /// </summary>
    public static Tensor Normalize(Tensor x, Tensor? mean, Tensor variance, Tensor? scale, Tensor? bias, double epsilon)
    {
        Tensor multiplier = variance.add(epsilon).rsqrt_();
        if (scale is not null) multiplier = multiplier.mul(scale);
        Tensor centered = mean is null ? x : x.sub(mean);
        if (bias is null) return centered.mul(multiplier);
        // One pass over the input instead of a product and a sum; bias joins in the type of the product, as in NNX.
        ScalarType product = Promotion.PromoteTypes(centered.dtype, multiplier.dtype);
        using Scalar one = 1.ToScalar();
        return torch.addcmul(Cast(bias, product), centered, multiplier, one);
    }

    // The mean over axes, of the masked elements only when a mask is given (NNX's `x.mean(axes, where=mask)`): a
    // selection, not a product, so an inf or NaN outside the mask cannot leak into the statistics. No axes (BatchNorm
    // on a vector of features) means no reduction, as in JAX; libtorch would reduce over all axes instead.
    private static Tensor Mean(Tensor x, long[] axes, Tensor? mask)
    {
        if (mask is null) return axes.Length == 0 ? x.clone() : x.mean(axes, keepdim: true);
        Tensor kept = torch.where(mask, x, torch.zeros(1, x.dtype, x.device));
        Tensor count = mask.expand_as(x).to(x.dtype);
        return axes.Length == 0 ? kept.div_(count) : kept.sum(axes, keepdim: true).div_(count.sum(axes, keepdim: true));
    }
}
