using System;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// Flax NNX's <c>nnx.Conv</c> for 1, 2 or 3 spatial axes: a convolution (cross-correlation, as
/// <c>lax.conv_general_dilated</c>) of channels-last inputs <c>(*batch, *spatial, InFeatures)</c> with a
/// <c>(*kernelSize, InFeatures / FeatureGroupCount, OutFeatures)</c> kernel (<c>lecun_normal</c>) and a
/// <c>(OutFeatures,)</c> bias (zeros), written with the Nnx DSL.
/// </summary>
/// <remarks>
/// <para>The generated constructor is <c>Conv(inFeatures, outFeatures, kernelSize, rngs, strides = null, padding =
/// "SAME", explicitPadding = null, inputDilation = null, kernelDilation = null, featureGroupCount = 1, useBias = true,
/// dtype = null, paramDtype = null, kernelInit = null, biasInit = null)</c>. It draws the kernel key, then the bias key
/// only when there is a bias, as NNX does, so <c>new Conv(3, 4, [3], new Rngs(0))</c> holds exactly the kernel of
/// <c>nnx.Conv(3, 4, kernel_size=(3,), rngs=nnx.Rngs(0))</c>; <c>lecun_normal</c>'s fan-in is
/// <c>prod(kernelSize) * InFeatures / FeatureGroupCount</c>.</para>
/// <para>NNX's arguments that take an int or a sequence (<c>strides</c>, <c>input_dilation</c>,
/// <c>kernel_dilation</c>) take an array here: one value for every axis, or one per axis; null is 1. NNX's
/// <c>padding</c> is a name or sizes, so it is two options: <c>padding</c> names the form (<c>"SAME"</c>,
/// <c>"SAME_LOWER"</c>, <c>"VALID"</c>, <c>"CIRCULAR"</c>, <c>"REFLECT"</c>, <c>"CAUSAL"</c>), and
/// <c>explicitPadding</c> gives sizes instead: <c>[p]</c> for NNX's <c>padding=p</c>, one value per axis, or
/// <c>low, high</c> per axis (<c>[1, 0, 0, 1]</c> for <c>((1, 0), (0, 1))</c>).</para>
/// <para>The convolution runs in libtorch (<c>conv1d</c>/<c>conv2d</c>/<c>conv3d</c>) on the channels-first view of the
/// same memory; for two spatial axes libtorch keeps the channels-last layout, so no copy is made either way. Results
/// agree with JAX within float rounding (summation order), not bit for bit.</para>
/// </remarks>
public partial class Conv
{
    [Param(Shape = "..kernelSize, inFeatures/featureGroupCount, outFeatures", Init = "lecun_normal")]
    private Parameter kernel;

    /// <summary>The kernel's spatial size, one entry per spatial axis (NNX's <c>kernel_size</c>); 1 to 3 axes.</summary>
    [Option] private readonly long[] kernelSize;

    /// <summary>The step between windows: one value for every spatial axis or one per axis; null is 1 (NNX's <c>strides</c>).</summary>
    [Option] private readonly long[]? strides = null;

    /// <summary>The padding form: <c>"SAME"</c> (the default), <c>"SAME_LOWER"</c>, <c>"VALID"</c>, <c>"CIRCULAR"</c>,
    /// <c>"REFLECT"</c> or <c>"CAUSAL"</c> (1-D), as NNX's <c>padding</c> strings; ignored when <c>explicitPadding</c> is given.</summary>
    [Option] private readonly string padding = "SAME";

    /// <summary>Zero padding by size instead of a named form (NNX's int and sequence <c>padding</c>): one value for every
    /// side, one per axis, or <c>low, high</c> per axis; negative values crop.</summary>
    [Option] private readonly long[]? explicitPadding = null;

    /// <summary>Zeros inserted between input elements, <c>d - 1</c> per gap (NNX's <c>input_dilation</c>, a transposed
    /// convolution's stride): one value or one per axis; null is 1. As in JAX, only with <c>explicitPadding</c>.</summary>
    [Option] private readonly long[]? inputDilation = null;

    /// <summary>The spacing of kernel elements (NNX's <c>kernel_dilation</c>, atrous convolution): one value or one per axis; null is 1.</summary>
    [Option] private readonly long[]? kernelDilation = null;

    /// <summary>Split the features into this many groups, each convolved with its own kernel slice (NNX's <c>feature_group_count</c>).</summary>
    [Option] private readonly int featureGroupCount = 1;

    /// <summary>Whether the layer adds a bias (NNX's <c>use_bias</c>); without one there is no <c>bias</c> variable.</summary>
    [Option] private readonly bool useBias = true;

    /// <summary>The computation's dtype (NNX's <c>dtype</c>); by default the promotion of the input's and the parameters'.</summary>
    [Option] private readonly ScalarType? dtype = null;

    [Param(Shape = "outFeatures", Init = "zeros", When = "useBias")]
    private Parameter? bias;

    // The options resolved per spatial axis.
    private long[] _strides = [], _inputDilation = [], _kernelDilation = [], _dilatedKernel = [];
    private ConvPaddingForm _form;
    private (long Low, long High)[]? _explicitPairs;

    /// <summary>The kernel, <c>(*KernelSize, InFeatures / FeatureGroupCount, OutFeatures)</c>, NNX's layout.</summary>
    public Parameter Kernel => kernel;

    /// <summary>The bias, <c>(OutFeatures,)</c>, or null when <see cref="UseBias"/> is false.</summary>
    public Parameter? Bias => bias;

    partial void OnInitialized()
    {
        int rank = kernelSize.Length;
        if (rank is < 1 or > 3)
            throw new ArgumentException(
                $"Conv kernelSize [{string.Join(", ", kernelSize)}] has {rank} spatial axes; libtorch convolves 1, 2 or 3 (pass e.g. [3] or [3, 3]).",
                nameof(kernelSize));
        if (OutFeatures % featureGroupCount != 0)
            throw new ArgumentException(
                $"Conv outFeatures ({OutFeatures}) is not divisible by featureGroupCount ({featureGroupCount}); each group needs the same number of output features.",
                nameof(featureGroupCount));
        _strides = PerAxis(strides, nameof(strides), rank);
        _inputDilation = PerAxis(inputDilation, nameof(inputDilation), rank);
        _kernelDilation = PerAxis(kernelDilation, nameof(kernelDilation), rank);
        _dilatedKernel = kernelSize.Select((k, i) => (k - 1) * _kernelDilation[i] + 1).ToArray();
        _form = ConvPadding.Parse(padding, explicitPadding, rank);
        if (explicitPadding is not null) _explicitPairs = ConvPadding.ExplicitPairs(explicitPadding, rank);
        if (_form != ConvPaddingForm.Explicit && _inputDilation.Any(d => d != 1))
            throw new ArgumentException(
                $"Conv inputDilation [{string.Join(", ", _inputDilation)}] needs explicitPadding: as in JAX (lax.conv_general_dilated), a named padding ('{padding}') is not defined for a dilated input.",
                nameof(inputDilation));
    }

    /// <summary>
    /// Convolves <paramref name="x"/>, channels last: <c>(*batch, *spatial, InFeatures)</c> with any number of batch axes
    /// (none for a single example), giving <c>(*batch, *outSpatial, OutFeatures)</c> in <see cref="Dtype"/>, or the
    /// promoted type of the input and the parameters (integers compute in float32, float64 input in float64).
    /// </summary>
    /// <exception cref="ArgumentException">The input has fewer than <c>KernelSize.Length + 1</c> axes, its last axis is not
    /// <see cref="InFeatures"/>, it is on another device than the parameters, explicit padding crops more than an axis
    /// holds, or CIRCULAR/REFLECT padding meets an empty axis.</exception>
    public Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        int rank = kernelSize.Length;
        int batchAxes = (int)x.dim() - rank - 1;
        if (batchAxes < 0 || x.size(-1) != InFeatures)
            throw new ArgumentException(
                $"Conv({InFeatures}, {OutFeatures}, kernelSize [{string.Join(", ", kernelSize)}]) needs channels-last inputs (*batch, {rank} spatial axes, {InFeatures}); " +
                $"got [{string.Join(", ", x.shape)}].", nameof(x));
        using var scope = torch.NewDisposeScope();
        Tensor?[] p = Promotion.PromoteDtype([x, kernel, bias], Dtype);
        long[] batchShape = x.shape[..batchAxes];
        long batch = batchShape.Aggregate(1L, (a, b) => a * b);
        long[] spatialAxes = Enumerable.Range(1, rank).Select(a => (long)a).ToArray();
        // (batch, *spatial, in) viewed as libtorch's (batch, in, *spatial).
        Tensor input = p[0]!.reshape([batch, .. x.shape[batchAxes..]]).permute([0, rank + 1, .. spatialAxes]);

        if (_form is ConvPaddingForm.Circular or ConvPaddingForm.Reflect)
            input = ConvSpatial.PadPeriodic(input, ConvPadding.PeriodicPairs(_dilatedKernel), _form == ConvPaddingForm.Reflect);
        input = ConvSpatial.Dilate(input, _inputDilation);
        long[] spatial = input.shape[2..];
        var pairs = ConvPadding.ZeroPairs(_form, _explicitPairs, spatial, _dilatedKernel, _strides);
        long[] outSpatial = OutputSizes(spatial, pairs);
        if (outSpatial.Contains(0))
            return torch.zeros([.. batchShape, .. outSpatial, OutFeatures], p[0]!.dtype, x.device).MoveToOuterDisposeScope();

        long[] symmetric = pairs.Select(q => q.Low).ToArray();
        if (pairs.Any(q => q.Low != q.High || q.Low < 0))
        {
            input = ConvSpatial.PadZeros(input, pairs);
            Array.Clear(symmetric);
        }
        // (*kernelSize, in / groups, out) viewed as libtorch's (out, in / groups, *kernelSize).
        Tensor weight = p[1]!.permute([rank + 1, rank, .. spatialAxes.Select(a => a - 1)]);
        Tensor y = rank switch
        {
            1 => torch.nn.functional.conv1d(input, weight, p[2], _strides[0], symmetric[0], _kernelDilation[0], featureGroupCount),
            2 => torch.nn.functional.conv2d(input, weight, p[2], _strides, symmetric, _kernelDilation, featureGroupCount),
            _ => torch.nn.functional.conv3d(input, weight, p[2], _strides, symmetric, _kernelDilation, featureGroupCount),
        };
        Tensor channelsLast = y.permute([0, .. spatialAxes.Select(a => a + 1), 1]);
        return channelsLast.reshape([.. batchShape, .. outSpatial, OutFeatures]).MoveToOuterDisposeScope();
    }

    // lax's output size per axis: floor((padded - dilatedKernel) / stride) + 1, and 0 when the kernel does not fit.
    private long[] OutputSizes(long[] spatial, (long Low, long High)[] pairs)
    {
        var sizes = new long[spatial.Length];
        for (int i = 0; i < spatial.Length; i++)
        {
            long padded = spatial[i] + pairs[i].Low + pairs[i].High;
            if (padded < 0)
                throw new ArgumentException(
                    $"Conv padding ({pairs[i].Low}, {pairs[i].High}) crops more than the {spatial[i]} elements of spatial axis {i}; use padding that leaves at least 0.",
                    "x");
            sizes[i] = padded < _dilatedKernel[i] ? 0 : (padded - _dilatedKernel[i]) / _strides[i] + 1;
        }
        return sizes;
    }

    private static long[] PerAxis(long[]? values, string name, int rank)
    {
        if (values is null) return Enumerable.Repeat(1L, rank).ToArray();
        if (values.Length != 1 && values.Length != rank)
            throw new ArgumentException(
                $"Conv {name} [{string.Join(", ", values)}] has {values.Length} values for {rank} spatial axes; give one value for every axis or {rank}.", name);
        if (values.Any(v => v < 1))
            throw new ArgumentOutOfRangeException(name, $"Conv {name} [{string.Join(", ", values)}] must be at least 1 on every axis.");
        return values.Length == rank ? (long[])values.Clone() : Enumerable.Repeat(values[0], rank).ToArray();
    }
}
