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
/// The generated constructor is <c>RMSNorm(numFeatures, rngs, paramDtype = null, scaleInit = null)</c>; it draws one
/// <c>rngs.Params()</c> key for the scale, as NNX does. Statistics are computed in at least float32; results agree
/// with JAX within float rounding, not bit for bit.
/// </remarks>
public partial class RMSNorm
{
    [Param(Shape = "numFeatures", Init = "ones")]
    private Parameter scale;

    /// <summary>The learned scale, <c>(NumFeatures,)</c>.</summary>
    public Parameter Scale => scale;

    /// <summary>Added to the mean square before the square root; NNX's default 1e-6.</summary>
    public double Epsilon { get => _epsilon; init => _epsilon = value; }

    private double _epsilon = 1e-6;

    /// <inheritdoc/>
    protected override void CopySettingsTo(Module copy)
    {
        base.CopySettingsTo(copy);
        ((RMSNorm)copy)._epsilon = _epsilon;
    }

    /// <summary>Normalises <paramref name="x"/> <c>(..., NumFeatures)</c> over its last axis; same shape and dtype out.</summary>
    /// <exception cref="ArgumentException">The input is a scalar or its last dimension is not <see cref="NumFeatures"/>.</exception>
    public Tensor Forward(Tensor x)
    {
        Norms.CheckInput(x, NumFeatures, "RMSNorm");
        using var scope = torch.NewDisposeScope();
        Tensor xs = Norms.StatisticsType(x);
        Tensor multiplier = xs.square().mean([-1L], keepdim: true).add_(Epsilon).rsqrt_().mul(scale);
        Tensor y = xs.mul(multiplier);
        return (y.dtype == x.dtype ? y : y.to(x.dtype)).MoveToOuterDisposeScope();
    }
}
