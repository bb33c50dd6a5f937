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
/// The generated constructor is <c>LayerNorm(numFeatures, rngs, paramDtype = null, scaleInit = null, biasInit = null)</c>;
/// it draws one <c>rngs.Params()</c> key for the scale and one for the bias although both initializers ignore them,
/// exactly as NNX, so the layers after it get NNX's keys. The variance is NNX's fast form
/// <c>max(0, E[x²] - E[x]²)</c>, computed in at least float32. Results agree with JAX within float rounding
/// (reduction order is backend specific), not bit for bit.
/// </remarks>
public partial class LayerNorm
{
    [Param(Shape = "numFeatures", Init = "ones")]
    private Parameter scale;

    [Param(Shape = "numFeatures", Init = "zeros")]
    private Parameter bias;

    /// <summary>The learned scale, <c>(NumFeatures,)</c>.</summary>
    public Parameter Scale => scale;

    /// <summary>The learned shift, <c>(NumFeatures,)</c>.</summary>
    public Parameter Bias => bias;

    /// <summary>Added to the variance before the square root; NNX's default 1e-6.</summary>
    public double Epsilon { get => _epsilon; init => _epsilon = value; }

    private double _epsilon = 1e-6;

    /// <inheritdoc/>
    protected override void CopySettingsTo(Module copy)
    {
        base.CopySettingsTo(copy);
        ((LayerNorm)copy)._epsilon = _epsilon;
    }

    /// <summary>Normalises <paramref name="x"/> <c>(..., NumFeatures)</c> over its last axis; same shape and dtype out.</summary>
    /// <exception cref="ArgumentException">The input is a scalar or its last dimension is not <see cref="NumFeatures"/>.</exception>
    public Tensor Forward(Tensor x)
    {
        Norms.CheckInput(x, NumFeatures, "LayerNorm");
        using var scope = torch.NewDisposeScope();
        Tensor xs = Norms.StatisticsType(x);
        Tensor mean = xs.mean([-1L], keepdim: true);
        Tensor variance = xs.square().mean([-1L], keepdim: true).sub_(mean.square()).clamp_min_(0.0);
        Tensor multiplier = variance.add_(Epsilon).rsqrt_().mul(scale);
        Tensor y = xs.sub(mean).mul_(multiplier).add_(bias);
        return (y.dtype == x.dtype ? y : y.to(x.dtype)).MoveToOuterDisposeScope();
    }
}
