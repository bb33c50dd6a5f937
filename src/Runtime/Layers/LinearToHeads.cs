using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// Flax NNX's <c>nnx.LinearGeneral(inFeatures, (heads, headDim))</c>, the query, key and value projections of
/// <see cref="MultiHeadAttention"/>: <c>(..., InFeatures)</c> to <c>(..., Heads, HeadDim)</c> with a
/// <c>(InFeatures, Heads, HeadDim)</c> kernel (<c>lecun_normal</c>) and a <c>(Heads, HeadDim)</c> bias (zeros).
/// </summary>
/// <remarks>
/// NNX's <c>LinearGeneral</c> draws its kernel as the flat <c>(in, heads * headDim)</c> matrix and reshapes it; the
/// same numbers in the same order fill the three-axis kernel here, and the <c>Init</c> axes give <c>lecun_normal</c>
/// the flat matrix's fan-in. A <c>kernelInit</c> passed to the constructor sees the three-axis shape. The bias key is
/// drawn only when there is a bias, as in NNX.
/// </remarks>
public partial class LinearToHeads
{
    /// <summary>Whether the layer adds a bias (NNX's <c>use_bias</c>); without one there is no <c>bias</c> variable.</summary>
    [Option] private readonly bool useBias = true;

    /// <summary>The computation's dtype (NNX's <c>dtype</c>); by default the promotion of the input's and the parameters'.</summary>
    [Option] private readonly ScalarType? dtype = null;

    [Param(Shape = "inFeatures, heads, headDim", Init = "lecun_normal(in_axis=0, out_axis=(1, 2))")]
    private Parameter kernel;

    [Param(Shape = "heads, headDim", Init = "zeros", When = "useBias")]
    private Parameter? bias;

    /// <summary>The kernel, <c>(InFeatures, Heads, HeadDim)</c>, NNX's layout.</summary>
    public Parameter Kernel => kernel;

    /// <summary>The bias, <c>(Heads, HeadDim)</c>, or null when <see cref="UseBias"/> is false.</summary>
    public Parameter? Bias => bias;

    /// <summary><c>(..., InFeatures)</c> to <c>(..., Heads, HeadDim)</c>, in <see cref="Dtype"/> or the promoted type of the input and the parameters.</summary>
    /// <exception cref="ArgumentException">The input is a scalar, its last dimension is not <see cref="InFeatures"/>, or
    /// it is on another device than the parameters.</exception>
    public Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() == 0 || x.size(-1) != InFeatures)
            throw new ArgumentException(
                $"LinearToHeads({InFeatures}, ({Heads}, {HeadDim})) needs inputs of shape (..., {InFeatures}); got [{string.Join(", ", x.shape)}].", nameof(x));
        using var scope = torch.NewDisposeScope();
        // The bias is added before the heads are split: the same sums, but libtorch's add and its backward run
        // about 10 % faster on (..., Heads * HeadDim) than broadcast over (..., Heads, HeadDim) (docs/benchmarks.md, 9).
        Tensor flat = Dense.Apply(x, kernel.view(InFeatures, Heads * HeadDim), bias?.view(Heads * HeadDim), Dtype);
        // TorchSharp's unflatten takes no negative axis.
        return flat.unflatten(flat.dim() - 1, Heads, HeadDim).MoveToOuterDisposeScope();
    }
}
