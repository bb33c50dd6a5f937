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
/// The generated constructor is <c>Linear(inFeatures, outFeatures, rngs, paramDtype = null, kernelInit = null,
/// biasInit = null)</c>. It draws the kernel key, then the bias key (which <c>zeros</c> ignores), as NNX does, so
/// <c>new Linear(5, 3, new Rngs(0))</c> equals <c>nnx.Linear(5, 3, rngs=nnx.Rngs(0))</c> and a following layer gets
/// the same keys as in NNX. The kernel is stored <c>(in, out)</c> as in NNX, not <c>(out, in)</c> as in PyTorch.
/// </remarks>
public partial class Linear
{
    [Param(Shape = "inFeatures,outFeatures", Init = "lecun_normal")]
    private Parameter kernel;

    [Param(Shape = "outFeatures", Init = "zeros")]
    private Parameter bias;

    /// <summary>The weight matrix, <c>(InFeatures, OutFeatures)</c>.</summary>
    public Parameter Kernel => kernel;

    /// <summary>The bias, <c>(OutFeatures,)</c>.</summary>
    public Parameter Bias => bias;

    /// <summary><c>x @ kernel + bias</c> for inputs <c>(..., InFeatures)</c>; the result is <c>(..., OutFeatures)</c>.</summary>
    /// <exception cref="ArgumentException">The input is a scalar or its last dimension is not <see cref="InFeatures"/>.</exception>
    public Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() == 0 || x.size(-1) != InFeatures)
            throw new ArgumentException(
                $"Linear({InFeatures}, {OutFeatures}) needs inputs of shape (..., {InFeatures}); got [{string.Join(", ", x.shape)}]. " +
                "The last dimension must equal inFeatures.", nameof(x));
        using var scope = torch.NewDisposeScope();
        // As NNX: the dot product first, then the bias as a separate add.
        return x.matmul(kernel).add_(bias).MoveToOuterDisposeScope();
    }
}
