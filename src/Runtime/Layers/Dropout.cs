using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// Flax NNX's <c>nnx.Dropout</c> (Flax &gt;= 0.11): zeroes each element with probability <see cref="Rate"/> and scales
/// the rest by <c>1 / (1 - rate)</c>, with JAX's <c>bernoulli</c> masks bit for bit, written with the Nnx DSL.
/// </summary>
/// <remarks>
/// <para>The generated constructor is <c>Dropout(rate, rngs, broadcastDims = null, deterministic = false,
/// rngCollection = "dropout", paramDtype = null)</c>. At construction it forks the <c>dropout</c> stream of
/// <c>rngs</c> (or <c>default</c>, if there is none), exactly <c>rngs['dropout'].fork()</c>: the layer keeps its own
/// <see cref="RngStream"/>, whose key and count are state (<c>rngs.key</c>, <c>rngs.count</c>), so <c>Clone</c>,
/// <c>Merge</c> and checkpoints carry where it stands. Each training-mode <see cref="Forward"/> takes the next key of
/// that stream, so <c>new Linear(3, 4, rngs)</c> followed by <c>new Dropout(0.5, rngs)</c> masks exactly as the NNX
/// docstring model.</para>
/// <para><b>Deterministic</b>: as NNX's <c>deterministic</c> attribute, which <c>model.eval()</c>/<c>model.train()</c>
/// set; here it is TorchSharp's <c>training</c> flag, so <c>eval()</c> makes the layer the identity and <c>train()</c>
/// (the default for a new module) makes it drop. The <c>deterministic</c> argument of <see cref="Forward"/>, when given,
/// wins over the flag, as NNX's call argument wins over the attribute.</para>
/// </remarks>
public partial class Dropout
{
    /// <summary>The probability of dropping an element, in [0, 1].</summary>
    [Option] private readonly double rate;

    /// <summary>Dimensions along which the mask is shared (size 1 in the mask); negative ones count from the end.</summary>
    [Option] private readonly int[]? broadcastDims = null;

    /// <summary>Start in eval mode (the identity) instead of training mode.</summary>
    [Option] private readonly bool deterministic = false;

    /// <summary>The stream to fork; <c>dropout</c> by default.</summary>
    [Option] private readonly string rngCollection = "dropout";

    [Fork("rngCollection")]
    private RngStream rngs;

    /// <summary>The layer's own stream (key and count): <c>fold_in(key, count)</c> is the next mask key.</summary>
    public RngStream Stream => rngs;

    /// <summary>
    /// Whether <see cref="Forward"/> is the identity: <c>!training</c>, as NNX's attribute that <c>eval()</c> sets. Setting
    /// it calls <c>train(!value)</c>. The <c>deterministic</c> constructor option only chooses the starting mode.
    /// </summary>
    public bool Deterministic
    {
        get => !training;
        set => train(!value);
    }

    partial void OnInitialized()
    {
        if (!(rate >= 0.0 && rate <= 1.0))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, $"Dropout rate {rate} is not a probability; expected a value in [0, 1] (0.1 drops 10 % of elements).");
        if (deterministic) eval();
    }

    /// <summary>
    /// Training mode: <c>where(mask, x / keepProb, 0)</c> with <c>mask = jax.random.bernoulli(key, 1 - rate, shape)</c>
    /// and the next key of the layer's stream (or of <paramref name="rngs"/>' <see cref="RngCollection"/> stream, when
    /// given). Deterministic, or <c>rate == 0</c>: <paramref name="x"/> itself (a new handle to the same tensor), no key
    /// drawn. <c>rate == 1</c>: zeros.
    /// </summary>
    /// <param name="x">Any tensor; in training, integer and bool inputs give a float32 result, as in NNX.</param>
    /// <param name="deterministic">Overrides <see cref="Deterministic"/> for this call.</param>
    /// <param name="rngs">Draw this call's key from here instead of the layer's stream.</param>
    /// <exception cref="ArgumentException">A broadcast dimension is outside the input's rank.</exception>
    public Tensor Forward(Tensor x, bool? deterministic = null, Rngs? rngs = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if ((deterministic ?? Deterministic) || Rate == 0.0) return x.alias();
        if (Rate == 1.0) return torch.zeros_like(x);
        PrngKey key = rngs is null ? this.rngs.Next() : rngs.Next(RngCollection);
        double keepProb = 1.0 - Rate;
        using var scope = torch.NewDisposeScope();
        Tensor mask = JaxRandom.Bernoulli(key, keepProb, MaskShape(x)).to(x.device);
        // Integer and bool inputs become float32, as NNX's division by the (weakly typed) keep probability makes them.
        Tensor input = x.is_floating_point() || x.is_complex() ? x : x.to(Promotion.CanonicalizeDtype([x]));
        // Eager JAX divides by the float32 keep probability (a true division; docs/jax-random.md).
        Tensor kept = input.div(torch.tensor((float)keepProb, input.dtype, input.device).expand_as(input));
        return torch.where(mask, kept, torch.zeros_like(input)).MoveToOuterDisposeScope();
    }

    private long[] MaskShape(Tensor x)
    {
        long[] shape = x.shape;
        foreach (int d in broadcastDims ?? [])
        {
            int axis = d < 0 ? d + shape.Length : d;
            if (axis < 0 || axis >= shape.Length)
                throw new ArgumentException(
                    $"Dropout broadcast dimension {d} is outside an input of rank {shape.Length} (shape [{string.Join(", ", x.shape)}]); use dimensions in [-{shape.Length}, {shape.Length}).",
                    nameof(x));
            shape[axis] = 1;
        }
        return shape;
    }
}
