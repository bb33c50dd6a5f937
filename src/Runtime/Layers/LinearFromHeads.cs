using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// Flax NNX's <c>nnx.LinearGeneral((heads, headDim), outFeatures, axis=(-2, -1))</c>, the output projection of
/// <see cref="MultiHeadAttention"/>: <c>(..., Heads, HeadDim)</c> to <c>(..., OutFeatures)</c> with a
/// <c>(Heads, HeadDim, OutFeatures)</c> kernel (<c>lecun_normal</c>) and a <c>(OutFeatures,)</c> bias (zeros).
/// </summary>
/// <remarks>
/// As <see cref="LinearToHeads"/>: the kernel holds the numbers NNX draws for the flat <c>(heads * headDim, out)</c>
/// matrix, with that matrix's fan-in; the bias key is drawn only when there is a bias.
/// </remarks>
public partial class LinearFromHeads
{
    /// <summary>Whether the layer adds a bias (NNX's <c>use_bias</c>); without one there is no <c>bias</c> variable.</summary>
    [Option] private readonly bool useBias = true;

    /// <summary>The computation's dtype (NNX's <c>dtype</c>); by default the promotion of the input's and the parameters'.</summary>
    [Option] private readonly ScalarType? dtype = null;

    [Param(Shape = "heads, headDim, outFeatures", Init = "lecun_normal(in_axis=(0, 1), out_axis=2)")]
    private Parameter kernel;

    [Param(Shape = "outFeatures", Init = "zeros", When = "useBias")]
    private Parameter? bias;

    /// <summary>The kernel, <c>(Heads, HeadDim, OutFeatures)</c>, NNX's layout.</summary>
    public Parameter Kernel => kernel;

    /// <summary>The bias, <c>(OutFeatures,)</c>, or null when <see cref="UseBias"/> is false.</summary>
    public Parameter? Bias => bias;

    /// <summary><c>(..., Heads, HeadDim)</c> to <c>(..., OutFeatures)</c>, in <see cref="Dtype"/> or the promoted type of the input and the parameters.</summary>
    /// <exception cref="ArgumentException">The input has fewer than two dimensions, its last two are not
    /// <c>(Heads, HeadDim)</c>, or it is on another device than the parameters.</exception>
    public Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() < 2 || x.size(-2) != Heads || x.size(-1) != HeadDim)
            throw new ArgumentException(
                $"LinearFromHeads(({Heads}, {HeadDim}), {OutFeatures}) needs inputs of shape (..., {Heads}, {HeadDim}); got [{string.Join(", ", x.shape)}].", nameof(x));
        using var scope = torch.NewDisposeScope();
        return Dense.Apply(x.flatten(-2), kernel.view(Heads * HeadDim, OutFeatures), bias, Dtype).MoveToOuterDisposeScope();
    }
}
