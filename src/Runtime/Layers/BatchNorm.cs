using System;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// Flax NNX's <c>nnx.BatchNorm</c>: normalises each feature with statistics over every other axis,
/// <c>(x - mean) * (rsqrt(var + epsilon) * scale) + bias</c>, and keeps running averages of those statistics, written
/// with the Nnx DSL.
/// </summary>
/// <remarks>
/// <para>The generated constructor is <c>BatchNorm(numFeatures, rngs, momentum = 0.99, epsilon = 1e-5,
/// useRunningAverage = false, axis = -1, dtype = null, useBias = true, useScale = true, useFastVariance = true,
/// paramDtype = null, scaleInit = null, biasInit = null)</c>. As NNX's <c>__init__</c> it creates the running
/// <c>mean</c> (zeros) and <c>var</c> (ones) first, float32 <see cref="VariableKind.BatchStat"/> state that draws no
/// key, then draws one <c>rngs.Params()</c> key for the scale and one for the bias when they exist.</para>
/// <para><b>Training and evaluation</b>: NNX's <c>use_running_average</c> attribute, which <c>model.train()</c> and
/// <c>model.eval()</c> set, is TorchSharp's <c>training</c> flag here (<see cref="UseRunningAverage"/> is
/// <c>!training</c>). In training the layer normalises with the batch's statistics and moves the running ones towards
/// them, <c>running = momentum * running + (1 - momentum) * batch</c>; with running averages (after <c>eval()</c>) it
/// normalises with the running statistics and changes nothing. The argument of <see cref="Forward"/> wins over the
/// flag, as NNX's call argument wins over the attribute.</para>
/// <para><b>Numerics</b>: float32 and float64 inputs without a mask run libtorch's fused <c>batch_norm</c> (statistics
/// in one pass, a fused backward), which computes <c>x * a + (bias - mean * a)</c> with <c>a = scale / sqrt(var +
/// epsilon)</c>; with a mask, in half precision, or for a single element per feature the layer evaluates NNX's
/// <c>(x - mean) * a + bias</c> and its variance formulas itself. Both agree with JAX within float rounding, not bit
/// for bit; the folded form's error grows with <c>|mean| / std</c> (about 1000 ulps, 6e-5 in float32, for a mean 1000
/// standard deviations from zero).</para>
/// <para>Dtypes follow NNX: the input, the running statistics and the parameters are promoted together (or cast to
/// <see cref="Dtype"/>), batch statistics are computed in at least float32, and the result has the promoted type. The
/// running statistics keep their float32 (JAX with 64-bit types enabled would widen them after a float64 batch).</para>
/// </remarks>
public partial class BatchNorm
{
    /// <summary>How much of the running statistics survives each training step (NNX's <c>momentum</c>).</summary>
    [Option] private readonly double momentum = 0.99;

    /// <summary>Added to the variance before the square root (NNX's <c>epsilon</c>).</summary>
    [Option] private readonly double epsilon = 1e-5;

    /// <summary>Start in evaluation mode, normalising with the running statistics (NNX's <c>use_running_average</c>).</summary>
    [Option] private readonly bool useRunningAverage = false;

    /// <summary>The feature axis (NNX's <c>axis</c>); statistics are taken over every other axis. Negative values count from the end.</summary>
    [Option] private readonly int axis = -1;

    /// <summary>The computation's dtype (NNX's <c>dtype</c>); by default the promotion of the input's, the statistics' and the parameters'.</summary>
    [Option] private readonly ScalarType? dtype = null;

    /// <summary>Whether the layer adds a learned bias (NNX's <c>use_bias</c>).</summary>
    [Option] private readonly bool useBias = true;

    /// <summary>Whether the layer multiplies by a learned scale (NNX's <c>use_scale</c>).</summary>
    [Option] private readonly bool useScale = true;

    /// <summary>The batch variance as <c>max(0, E[x²] - E[x]²)</c> (true, NNX's default) or as <c>E[(x - E[x])²]</c>, where
    /// the layer computes it itself (with a mask, or in half precision); float32 and float64 batches without a mask go
    /// through libtorch's fused kernel, which agrees with both within rounding and never cancels.</summary>
    [Option] private readonly bool useFastVariance = true;

    [BatchStat(Shape = "numFeatures", Init = "zeros")]
    private Tensor mean;

    [BatchStat(Shape = "numFeatures", Init = "ones")]
    private Tensor var;

    [Param(Shape = "numFeatures", Init = "ones", When = "useScale")]
    private Parameter? scale;

    [Param(Shape = "numFeatures", Init = "zeros", When = "useBias")]
    private Parameter? bias;

    /// <summary>The running mean, <c>(NumFeatures,)</c>, float32 (<c>bn.mean</c> in NNX).</summary>
    public Tensor Mean => mean;

    /// <summary>The running variance, <c>(NumFeatures,)</c>, float32 (<c>bn.var</c> in NNX).</summary>
    public Tensor Var => var;

    /// <summary>The learned scale, <c>(NumFeatures,)</c>, or null without <see cref="UseScale"/>.</summary>
    public Parameter? Scale => scale;

    /// <summary>The learned shift, <c>(NumFeatures,)</c>, or null without <see cref="UseBias"/>.</summary>
    public Parameter? Bias => bias;

    /// <summary>
    /// Whether <see cref="Forward"/> normalises with the running statistics: <c>!training</c>, as NNX's attribute that
    /// <c>eval()</c> sets. Setting it calls <c>train(!value)</c>. The <c>useRunningAverage</c> constructor option only
    /// chooses the starting mode.
    /// </summary>
    public bool UseRunningAverage
    {
        get => !training;
        set => train(!value);
    }

    partial void OnInitialized()
    {
        if (!(momentum >= 0.0 && momentum <= 1.0))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum,
                $"BatchNorm momentum {momentum} is outside [0, 1]; it is the share of the running statistics kept each step (NNX's default is 0.99).");
        if (!(epsilon >= 0.0) || double.IsPositiveInfinity(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"BatchNorm epsilon {epsilon} must be a finite number of at least 0 (NNX's default is 1e-5).");
        if (useRunningAverage) eval();
    }

    /// <summary>
    /// Normalises <paramref name="x"/> per feature along <see cref="Axis"/>. In training (or with
    /// <paramref name="useRunningAverage"/> false) the statistics are the batch's, over every other axis, and the running
    /// statistics are updated; otherwise the running statistics are used and nothing changes.
    /// </summary>
    /// <param name="x">Any shape whose <see cref="Axis"/> has size <see cref="NumFeatures"/>; real (integers compute in float32).</param>
    /// <param name="useRunningAverage">Overrides <see cref="UseRunningAverage"/> for this call.</param>
    /// <param name="mask">Bool, broadcastable to <paramref name="x"/>: only the elements where it is true enter the batch
    /// statistics (NNX's <c>mask</c>); every element is normalised.</param>
    /// <exception cref="ArgumentException">The input is a scalar or complex, <see cref="Axis"/> is outside its rank or has
    /// another size than <see cref="NumFeatures"/>, or it is on another device than the layer; or the mask is not bool
    /// or does not broadcast to the input.</exception>
    public Tensor Forward(Tensor x, bool? useRunningAverage = null, Tensor? mask = null)
    {
        int featureAxis = CheckInput(x);
        Norms.CheckDtypeAndMask(x, mask, "BatchNorm", [x, mask, mean, var, scale, bias]);
        bool running = useRunningAverage ?? UseRunningAverage;

        using var scope = torch.NewDisposeScope();
        // NNX promotes the input, the running statistics and the parameters together.
        Tensor?[] p = Promotion.PromoteDtype([x, mean, var, scale, bias], Dtype);
        ScalarType compute = p[0]!.dtype;
        long count = x.numel() / NumFeatures;
        if (mask is null && x.dim() >= 2 && (compute is ScalarType.Float32 or ScalarType.Float64) && (running || count >= 2))
            return Fused(p, featureAxis, running, count).MoveToOuterDisposeScope();
        return Composed(p, featureAxis, running, mask).MoveToOuterDisposeScope();
    }

    // NNX's _compute_stats and _normalize, step by step: statistics in at least float32, then cast to the promoted type.
    private Tensor Composed(Tensor?[] p, int featureAxis, bool running, Tensor? mask)
    {
        Tensor input = p[0]!, batchMean, batchVariance;
        ScalarType compute = input.dtype;
        int rank = (int)input.dim();
        long[] featureShape = Enumerable.Range(0, rank).Select(a => a == featureAxis ? NumFeatures : 1L).ToArray();
        if (running)
        {
            batchMean = p[1]!.view(featureShape);
            batchVariance = p[2]!.view(featureShape);
        }
        else
        {
            long[] reductionAxes = Enumerable.Range(0, rank).Where(a => a != featureAxis).Select(a => (long)a).ToArray();
            input = Norms.Cast(input, Norms.StatisticsType(compute));
            (Tensor? m, batchVariance) = Norms.Statistics(input, reductionAxes, mask, useMean: true, UseFastVariance);
            batchMean = m!;
            UpdateRunningStatistics(batchMean, batchVariance);
        }
        Tensor y = Norms.Normalize(input, batchMean, batchVariance, p[3]?.view(featureShape), p[4]?.view(featureShape), Epsilon);
        return Norms.Cast(y, compute);
    }

    // Float32/float64 without a mask, through libtorch's fused batch_norm: the statistics in one pass and a fused
    // backward (see docs/benchmarks.md, section 8). libtorch's running variance is the unbiased one, so in training it
    // updates scratch statistics with momentum 1 (which gives the batch's own) and the layer rescales the variance
    // to NNX's biased one.
    private Tensor Fused(Tensor?[] p, int featureAxis, bool running, long count)
    {
        Tensor input = p[0]!.movedim([featureAxis], [1]);
        if (running)
            return torch.nn.functional.batch_norm(input, p[1], p[2], p[3], p[4], training: false, eps: Epsilon).movedim([1], [featureAxis]);
        Tensor batchMean = torch.zeros(NumFeatures, input.dtype, input.device);
        Tensor batchVariance = torch.zeros(NumFeatures, input.dtype, input.device);
        Tensor y = torch.nn.functional.batch_norm(input, batchMean, batchVariance, p[3], p[4], training: true, momentum: 1.0, eps: Epsilon);
        // Not in place: the backward of batch_norm keeps its running statistics.
        UpdateRunningStatistics(batchMean, batchVariance.mul((count - 1) / (double)count));
        return y.movedim([1], [featureAxis]);
    }

    // NNX: mean <- momentum * mean + (1 - momentum) * batch_mean, in the running statistics' float32, outside autograd.
    private void UpdateRunningStatistics(Tensor batchMean, Tensor batchVariance)
    {
        using var noGrad = torch.no_grad();
        mean.copy_(mean.mul(Momentum).add_(batchMean.reshape(-1).mul(1.0 - Momentum)));
        var.copy_(var.mul(Momentum).add_(batchVariance.reshape(-1).mul(1.0 - Momentum)));
    }

    private int CheckInput(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        long rank = x.dim();
        if (rank == 0 || Axis < -rank || Axis >= rank)
            throw new ArgumentException(
                $"BatchNorm's feature axis {Axis} is outside an input of shape [{string.Join(", ", x.shape)}]; pass inputs with at least {(Axis < 0 ? -Axis : Axis + 1)} dimensions, features on axis {Axis}.",
                nameof(x));
        int featureAxis = (int)(Axis < 0 ? Axis + rank : Axis);
        if (x.size(featureAxis) != NumFeatures)
            throw new ArgumentException(
                $"BatchNorm({NumFeatures}) normalises axis {Axis}, which must have size {NumFeatures}; got an input of shape [{string.Join(", ", x.shape)}].",
                nameof(x));
        return featureAxis;
    }
}
