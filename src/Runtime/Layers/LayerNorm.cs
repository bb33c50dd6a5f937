using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// Flax NNX's <c>nnx.LayerNorm</c> over the last axis: <c>(x - mean) * (rsqrt(var + epsilon) * scale) + bias</c>,
/// with a <c>scale</c> of ones and a <c>bias</c> of zeros, written with the Nnx DSL.
/// </summary>
/// <remarks>
/// The generated constructor is <c>LayerNorm(numFeatures, rngs, epsilon = 1e-6, useBias = true, useScale = true,
/// useFastVariance = true, dtype = null, paramDtype = null, scaleInit = null, biasInit = null)</c>; it draws one
/// <c>rngs.Params()</c> key for the scale and one for the bias when they exist, although both initializers ignore
/// them, exactly as NNX, so the layers after it get NNX's keys. Statistics are computed in at least float32. Results
/// agree with JAX within float rounding (reduction order is backend specific), not bit for bit.
/// </remarks>
public partial class LayerNorm
{
    /// <summary>Added to the variance before the square root; NNX's default 1e-6 (GPT-2 uses 1e-5).</summary>
    [Option] private readonly double epsilon = 1e-6;

    /// <summary>Whether the layer adds a learned bias (NNX's <c>use_bias</c>).</summary>
    [Option] private readonly bool useBias = true;

    /// <summary>Whether the layer multiplies by a learned scale (NNX's <c>use_scale</c>).</summary>
    [Option] private readonly bool useScale = true;

    /// <summary>The variance as <c>max(0, E[x²] - E[x]²)</c> (true, NNX's default) or as <c>E[(x - E[x])²]</c>, slower and more accurate.</summary>
    [Option] private readonly bool useFastVariance = true;

    /// <summary>The output dtype (NNX's <c>dtype</c>); by default the promotion of the input's and the parameters'.</summary>
    [Option] private readonly ScalarType? dtype = null;

    [Param(Shape = "numFeatures", Init = "ones", When = "useScale")]
    private Parameter? scale;

    [Param(Shape = "numFeatures", Init = "zeros", When = "useBias")]
    private Parameter? bias;

    /// <summary>The learned scale, <c>(NumFeatures,)</c>, or null without <see cref="UseScale"/>.</summary>
    public Parameter? Scale => scale;

    /// <summary>The learned shift, <c>(NumFeatures,)</c>, or null without <see cref="UseBias"/>.</summary>
    public Parameter? Bias => bias;

    /// <summary>
    /// Normalises <paramref name="x"/> <c>(..., NumFeatures)</c> over its last axis. With a <paramref name="mask"/>
    /// (bool, broadcastable to <paramref name="x"/>), the statistics use only the elements where it is true, as NNX's
    /// <c>mask</c>; every element is normalised.
    /// </summary>
    /// <exception cref="ArgumentException">The input is a scalar or complex, its last dimension is not
    /// <see cref="NumFeatures"/>, or it is on another device than the parameters; or the mask is not bool or does not
    /// broadcast to the input.</exception>
    public Tensor Forward(Tensor x, Tensor? mask = null)
    {
        Norms.CheckInput(x, mask, NumFeatures, "LayerNorm", scale, bias);
        using var scope = torch.NewDisposeScope();
        // As NNX: input and parameters cast to the computation type first, statistics in at least float32.
        Tensor?[] p = Promotion.PromoteDtype([x, scale, bias], Dtype);
        ScalarType compute = p[0]!.dtype;
        Tensor xs = Norms.Cast(p[0]!, Norms.StatisticsType(compute));
        var (mean, variance) = Norms.Statistics(xs, LastAxis, mask, useMean: true, UseFastVariance);
        Tensor y = Norms.Normalize(xs, mean, variance, p[1], p[2], Epsilon);
        return Norms.Cast(y, compute).MoveToOuterDisposeScope();
    }

    private static readonly long[] LastAxis = [-1];
}
