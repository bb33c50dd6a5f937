using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// Flax NNX's <c>nnx.RMSNorm</c> over the last axis: <c>x * (rsqrt(E[x²] + epsilon) * scale)</c>, with a <c>scale</c>
/// of ones, written with the Nnx DSL.
/// </summary>
/// <remarks>
/// The generated constructor is <c>RMSNorm(numFeatures, rngs, epsilon = 1e-6, useScale = true, useFastVariance =
/// true, dtype = null, paramDtype = null, scaleInit = null)</c>; it draws one <c>rngs.Params()</c> key for the scale
/// when there is one, as NNX does. Statistics are computed in at least float32; results agree with JAX within float
/// rounding, not bit for bit.
/// </remarks>
public partial class RMSNorm
{
    /// <summary>Added to the mean square before the square root; NNX's default 1e-6.</summary>
    [Option] private readonly double epsilon = 1e-6;

    /// <summary>Whether the layer multiplies by a learned scale (NNX's <c>use_scale</c>).</summary>
    [Option] private readonly bool useScale = true;

    /// <summary>NNX's <c>use_fast_variance</c>; RMSNorm uses no mean, so both settings compute <c>E[x²]</c>.</summary>
    [Option] private readonly bool useFastVariance = true;

    /// <summary>The output dtype (NNX's <c>dtype</c>); by default the promotion of the input's and the scale's.</summary>
    [Option] private readonly ScalarType? dtype = null;

    [Param(Shape = "numFeatures", Init = "ones", When = "useScale")]
    private Parameter? scale;

    /// <summary>The learned scale, <c>(NumFeatures,)</c>, or null without <see cref="UseScale"/>.</summary>
    public Parameter? Scale => scale;

    /// <summary>
    /// Normalises <paramref name="x"/> <c>(..., NumFeatures)</c> over its last axis; with a <paramref name="mask"/>,
    /// the mean square uses only the elements where it is true.
    /// </summary>
    /// <exception cref="ArgumentException">The input is a scalar or complex, its last dimension is not
    /// <see cref="NumFeatures"/>, or it is on another device than the parameters; or the mask is not bool or does not
    /// broadcast to the input.</exception>
    public Tensor Forward(Tensor x, Tensor? mask = null)
    {
        Norms.CheckInput(x, mask, NumFeatures, "RMSNorm", scale, null);
        using var scope = torch.NewDisposeScope();
        Tensor?[] p = Promotion.PromoteDtype([x, scale], Dtype);
        ScalarType compute = p[0]!.dtype;
        Tensor xs = Norms.Cast(p[0]!, Norms.StatisticsType(compute));
        var (_, meanSquare) = Norms.Statistics(xs, LastAxis, mask, useMean: false, UseFastVariance);
        Tensor y = Norms.Normalize(xs, null, meanSquare, p[1], null, Epsilon);
        return Norms.Cast(y, compute).MoveToOuterDisposeScope();
    }

    private static readonly long[] LastAxis = [-1];
}
