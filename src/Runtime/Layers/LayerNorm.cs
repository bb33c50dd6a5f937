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
    /// <exception cref="ArgumentException">The input is a scalar, not floating point, or its last dimension is not
    /// <see cref="NumFeatures"/>; or the mask is not bool or does not broadcast.</exception>
    public Tensor Forward(Tensor x, Tensor? mask = null)
    {
        Norms.CheckInput(x, mask, NumFeatures, "LayerNorm", scale, bias);
        using var scope = torch.NewDisposeScope();
        Tensor xs = Norms.StatisticsType(x, Dtype);
        Tensor mean = Norms.Mean(xs, mask);
        Tensor variance = UseFastVariance
            ? Norms.Mean(xs.square(), mask).sub_(mean.square()).clamp_min_(0.0)
            : Norms.Mean(xs.sub(mean).square(), mask);
        Tensor multiplier = variance.add_(Epsilon).rsqrt_();
        if (scale is not null) multiplier = multiplier.mul(scale);
        Tensor y = xs.sub(mean).mul_(multiplier);
        if (bias is not null) y = y.add_(bias);
        ScalarType output = Norms.OutputType(x, scale, bias, Dtype);
        return (y.dtype == output ? y : y.to(output)).MoveToOuterDisposeScope();
    }
}
