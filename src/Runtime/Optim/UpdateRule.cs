using System;
using System.Globalization;

namespace Nnx;

/// <summary>
/// How an <see cref="Optimizer"/> turns gradients into parameter updates: optax's <c>sgd</c>, <c>adam</c> and
/// <c>adamw</c>, with their formulas and defaults, optionally after <c>clip_by_global_norm</c>. Immutable; build one
/// with <see cref="Sgd"/>, <see cref="Adam"/> or <see cref="AdamW"/> (the properties have private setters, so
/// every rule has passed the factories' checks).
/// </summary>
/// <remarks>
/// <para>With <c>g</c> the gradient, <c>t</c> the update number (1 for the first) and <c>lr</c> the learning rate at
/// count <c>t - 1</c>, one update is, element by element in the parameter's precision:</para>
/// <list type="bullet">
/// <item><c>sgd</c>: <c>p += -lr · g</c>; with momentum μ, <c>trace = g + μ · trace</c> and <c>p += -lr · trace</c>
/// (Nesterov: <c>p += -lr · (g + μ · trace)</c>).</item>
/// <item><c>adam</c>: <c>mu = (1 - b1) · g + b1 · mu</c>, <c>nu = (1 - b2) · g² + b2 · nu</c>,
/// <c>u = (mu / (1 - b1^t)) / (sqrt(nu / (1 - b2^t) + epsRoot) + eps)</c>, <c>p += -lr · u</c>.</item>
/// <item><c>adamw</c>: as <c>adam</c> with <c>u += weightDecay · p</c> before the learning rate (decoupled weight decay).</item>
/// </list>
/// <para><see cref="ClipByGlobalNorm"/> first scales every gradient by <c>maxNorm / ‖g‖</c> when the norm over all
/// of them reaches <c>maxNorm</c> (<c>optax.chain(optax.clip_by_global_norm(maxNorm), rule)</c>).</para>
/// </remarks>
public sealed record UpdateRule
{
    private UpdateRule(UpdateKind kind, Schedule learningRate)
    {
        Kind = kind;
        LearningRate = learningRate;
    }

    /// <summary>The learning rate by update count.</summary>
    public Schedule LearningRate { get; }

    /// <summary>Adam's decay of the first moment; 0 for SGD.</summary>
    public double B1 { get; private init; }

    /// <summary>Adam's decay of the second moment; 0 for SGD.</summary>
    public double B2 { get; private init; }

    /// <summary>Adam's term added to the denominator, outside the square root.</summary>
    public double Eps { get; private init; }

    /// <summary>Adam's term added inside the square root.</summary>
    public double EpsRoot { get; private init; }

    /// <summary>AdamW's decoupled weight decay; 0 for SGD and Adam.</summary>
    public double WeightDecay { get; private init; }

    /// <summary>The variables AdamW decays (optax's <c>mask</c>); null decays every updated variable.</summary>
    public StateFilter? WeightDecayMask { get; private init; }

    /// <summary>SGD's momentum, or null for plain SGD.</summary>
    public double? Momentum { get; private init; }

    /// <summary>Whether SGD's momentum is Nesterov's.</summary>
    public bool Nesterov { get; private init; }

    /// <summary>The global gradient norm above which gradients are scaled down, or null for no clipping.</summary>
    public double? MaxGlobalNorm { get; private init; }

    internal UpdateKind Kind { get; }

    /// <summary>The names of the per-parameter state this rule keeps, in optax's words.</summary>
    internal string[] MomentNames => Kind switch
    {
        UpdateKind.Adam => ["mu", "nu"],
        UpdateKind.Sgd when Momentum is not null => ["trace"],
        _ => [],
    };

    /// <summary>Stochastic gradient descent, with optional (Nesterov) momentum (<c>optax.sgd</c>).</summary>
    /// <param name="learningRate">A number or a <see cref="Schedule"/>.</param>
    /// <param name="momentum">The decay of the momentum trace, or null for none.</param>
    /// <param name="nesterov">Nesterov momentum; needs <paramref name="momentum"/>.</param>
    /// <exception cref="ArgumentException">A number is not finite, or Nesterov is asked for without momentum.</exception>
    public static UpdateRule Sgd(Schedule learningRate, double? momentum = null, bool nesterov = false)
    {
        ArgumentNullException.ThrowIfNull(learningRate);
        if (momentum is double mu) CheckFinite(mu, nameof(momentum));
        if (nesterov && momentum is null)
            throw new ArgumentException("Nesterov momentum needs a momentum; pass momentum: 0.9, say.", nameof(nesterov));
        return new UpdateRule(UpdateKind.Sgd, learningRate) { Momentum = momentum, Nesterov = nesterov };
    }

    /// <summary>Adam (<c>optax.adam</c>, same defaults).</summary>
    /// <param name="learningRate">A number or a <see cref="Schedule"/>.</param>
    /// <param name="b1">Decay of the first moment, in [0, 1).</param>
    /// <param name="b2">Decay of the second moment, in [0, 1).</param>
    /// <param name="eps">Added to the denominator; at least 0.</param>
    /// <param name="epsRoot">Added inside the square root; at least 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A decay is outside [0, 1) or an epsilon is negative or not finite.</exception>
    public static UpdateRule Adam(Schedule learningRate, double b1 = 0.9, double b2 = 0.999, double eps = 1e-8, double epsRoot = 0.0)
    {
        ArgumentNullException.ThrowIfNull(learningRate);
        CheckDecay(b1, nameof(b1));
        CheckDecay(b2, nameof(b2));
        CheckNonNegative(eps, nameof(eps));
        CheckNonNegative(epsRoot, nameof(epsRoot));
        return new UpdateRule(UpdateKind.Adam, learningRate) { B1 = b1, B2 = b2, Eps = eps, EpsRoot = epsRoot };
    }

    /// <summary>Adam with decoupled weight decay (<c>optax.adamw</c>, same defaults: weight decay 1e-4).</summary>
    /// <param name="learningRate">A number or a <see cref="Schedule"/>.</param>
    /// <param name="b1">Decay of the first moment, in [0, 1).</param>
    /// <param name="b2">Decay of the second moment, in [0, 1).</param>
    /// <param name="eps">Added to the denominator; at least 0.</param>
    /// <param name="epsRoot">Added inside the square root; at least 0.</param>
    /// <param name="weightDecay">The decay rate, finite.</param>
    /// <param name="weightDecayMask">The variables to decay (e.g. <c>!StateFilter.PathContains("bias")</c>); null decays all.</param>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="Adam"/>, or the weight decay is not finite.</exception>
    public static UpdateRule AdamW(
        Schedule learningRate, double b1 = 0.9, double b2 = 0.999, double eps = 1e-8, double epsRoot = 0.0,
        double weightDecay = 1e-4, StateFilter? weightDecayMask = null)
    {
        CheckFinite(weightDecay, nameof(weightDecay));
        return Adam(learningRate, b1, b2, eps, epsRoot) with { WeightDecay = weightDecay, WeightDecayMask = weightDecayMask };
    }

    /// <summary>
    /// This rule applied to gradients scaled down to a global norm of at most <paramref name="maxNorm"/>
    /// (<c>optax.chain(optax.clip_by_global_norm(maxNorm), rule)</c>); the norm runs over every updated variable.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The norm is not positive and finite.</exception>
    public UpdateRule ClipByGlobalNorm(double maxNorm)
    {
        if (!(maxNorm > 0) || !double.IsFinite(maxNorm))
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "Expected a positive, finite norm.");
        return this with { MaxGlobalNorm = maxNorm };
    }

    /// <summary>The rule in optax's words, e.g. <c>adamw(lr=0.001, b1=0.9, b2=0.999, eps=1E-08, weight_decay=0.0001)</c>.</summary>
    public override string ToString()
    {
        string rule = Kind switch
        {
            UpdateKind.Adam when WeightDecay != 0 || WeightDecayMask is not null =>
                $"adamw(lr={LearningRate}, b1={F(B1)}, b2={F(B2)}, eps={F(Eps)}, eps_root={F(EpsRoot)}, weight_decay={F(WeightDecay)}{(WeightDecayMask is null ? "" : $", mask={WeightDecayMask}")})",
            UpdateKind.Adam => $"adam(lr={LearningRate}, b1={F(B1)}, b2={F(B2)}, eps={F(Eps)}, eps_root={F(EpsRoot)})",
            _ => $"sgd(lr={LearningRate}{(Momentum is double mu ? $", momentum={F(mu)}" : "")}{(Nesterov ? ", nesterov" : "")})",
        };
        return MaxGlobalNorm is double max ? $"chain(clip_by_global_norm({F(max)}), {rule})" : rule;
    }

    private static void CheckDecay(double decay, string name)
    {
        if (!(decay >= 0 && decay < 1)) throw new ArgumentOutOfRangeException(name, decay, "Expected a decay rate in [0, 1).");
    }

    private static void CheckNonNegative(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value)) throw new ArgumentOutOfRangeException(name, value, "Expected a finite number at least 0.");
    }

    private static void CheckFinite(double value, string name)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(name, value, "Expected a finite number.");
    }

    private static string F(double value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The update families <see cref="UpdateRule"/> covers.</summary>
internal enum UpdateKind
{
    Sgd,
    Adam,
}
