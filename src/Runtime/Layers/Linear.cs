using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// Flax NNX's <c>nnx.Linear</c>: <c>y = x @ kernel + bias</c> with a <c>(inFeatures, outFeatures)</c> kernel
/// (<c>lecun_normal</c>) and a <c>(outFeatures,)</c> bias (zeros), written with the Nnx DSL.
/// </summary>
/// <remarks>
/// The generated constructor is <c>Linear(inFeatures, outFeatures, rngs, useBias = true, dtype = null, paramDtype = null,
/// kernelInit = null, biasInit = null)</c>. It draws the kernel key, then the bias key (which <c>zeros</c> ignores) only
/// when there is a bias, as NNX does, so <c>new Linear(5, 3, new Rngs(0))</c> equals <c>nnx.Linear(5, 3, rngs=nnx.Rngs(0))</c>
/// and a following layer gets the same keys as in NNX. The kernel is stored <c>(in, out)</c> as in NNX, not
/// <c>(out, in)</c> as in PyTorch.
/// </remarks>
public partial class Linear
{
    /// <summary>Whether the layer adds a bias (NNX's <c>use_bias</c>); without one there is no <c>bias</c> variable.</summary>
    [Option] private readonly bool useBias = true;

    /// <summary>The computation's dtype (NNX's <c>dtype</c>); by default the promotion of the input's and the parameters'.</summary>
    [Option] private readonly ScalarType? dtype = null;

    [Param(Shape = "inFeatures,outFeatures", Init = "lecun_normal")]
    private Parameter kernel;

    [Param(Shape = "outFeatures", Init = "zeros", When = "useBias")]
    private Parameter? bias;

    /// <summary>The weight matrix, <c>(InFeatures, OutFeatures)</c>.</summary>
    public Parameter Kernel => kernel;

    /// <summary>The bias, <c>(OutFeatures,)</c>, or null when <see cref="UseBias"/> is false.</summary>
    public Parameter? Bias => bias;

    /// <summary>
    /// <c>x @ kernel + bias</c> for inputs <c>(..., InFeatures)</c>; the result is <c>(..., OutFeatures)</c> in
    /// <see cref="Dtype"/>, or the promoted type of the input and the parameters (float64 input with float32 parameters
    /// computes in float64, as JAX does).
    /// </summary>
    /// <exception cref="ArgumentException">The input is a scalar, its last dimension is not <see cref="InFeatures"/>, or
    /// it is on another device than the parameters.</exception>
    public Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() == 0 || x.size(-1) != InFeatures)
            throw new ArgumentException(
                $"Linear({InFeatures}, {OutFeatures}) needs inputs of shape (..., {InFeatures}); got [{string.Join(", ", x.shape)}]. " +
                "The last dimension must equal inFeatures.", nameof(x));
        using var scope = torch.NewDisposeScope();
        return Dense.Apply(x, kernel, bias, Dtype).MoveToOuterDisposeScope();
    }
}
