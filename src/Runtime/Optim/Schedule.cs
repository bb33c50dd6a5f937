using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Nnx;

/// <summary>
/// A learning rate as a function of the update count, as optax's schedules: the first update uses the value at
/// count 0, the next at count 1, and so on. A number converts to a constant schedule, so
/// <c>UpdateRule.Adam(1e-3)</c> and <c>UpdateRule.Adam(Schedule.CosineDecay(1e-3, 10_000))</c> both work.
/// </summary>
/// <remarks>Values are computed in double precision; the update kernels round the rate to the parameter's type.</remarks>
public sealed class Schedule
{
    private readonly Func<long, double> _valueAt;
    private readonly string _description;

    private Schedule(Func<long, double> valueAt, string description)
    {
        _valueAt = valueAt;
        _description = description;
    }

    /// <summary>The value for the update that follows <paramref name="count"/> earlier updates.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative.</exception>
    public double At(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return _valueAt(count);
    }

    /// <summary>A constant schedule.</summary>
    public static implicit operator Schedule(double value) => Constant(value);

    /// <summary>The same value at every count (<c>optax.constant_schedule</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite.</exception>
    public static Schedule Constant(double value)
    {
        CheckFinite(value, nameof(value));
        return new(_ => value, Format(value));
    }

    /// <summary>
    /// From <paramref name="initValue"/> to <paramref name="endValue"/> along <c>(1 - k / transitionSteps)^power</c>
    /// during <paramref name="transitionSteps"/> counts that start at <paramref name="transitionBegin"/>, then constant
    /// (<c>optax.polynomial_schedule</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is not finite, <paramref name="transitionSteps"/> is below 1, or <paramref name="transitionBegin"/> is negative.</exception>
    public static Schedule Polynomial(double initValue, double endValue, double power, long transitionSteps, long transitionBegin = 0)
    {
        CheckFinite(initValue, nameof(initValue));
        CheckFinite(endValue, nameof(endValue));
        CheckFinite(power, nameof(power));
        CheckSteps(transitionSteps, nameof(transitionSteps));
        ArgumentOutOfRangeException.ThrowIfNegative(transitionBegin);
        return new(count =>
        {
            double k = Math.Clamp(count - transitionBegin, 0, transitionSteps);
            double fraction = 1 - k / transitionSteps;
            return (initValue - endValue) * Math.Pow(fraction, power) + endValue;
        }, $"polynomial({Format(initValue)} -> {Format(endValue)}, power {Format(power)}, {transitionSteps} steps from {transitionBegin})");
    }

    /// <summary>A straight line from <paramref name="initValue"/> to <paramref name="endValue"/> (<c>optax.linear_schedule</c>); a warm-up when rising.</summary>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="Polynomial"/>.</exception>
    public static Schedule Linear(double initValue, double endValue, long transitionSteps, long transitionBegin = 0) =>
        Polynomial(initValue, endValue, 1.0, transitionSteps, transitionBegin);

    /// <summary>
    /// <c>initValue · decayRate^((count - transitionBegin) / transitionSteps)</c> after <paramref name="transitionBegin"/>,
    /// the exponent rounded down when <paramref name="staircase"/>, and bounded by <paramref name="endValue"/> if given
    /// (<c>optax.exponential_decay</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is not finite, the decay rate is not positive, <paramref name="transitionSteps"/> is below 1, or <paramref name="transitionBegin"/> is negative.</exception>
    public static Schedule ExponentialDecay(
        double initValue, long transitionSteps, double decayRate, long transitionBegin = 0, bool staircase = false, double? endValue = null)
    {
        CheckFinite(initValue, nameof(initValue));
        CheckFinite(decayRate, nameof(decayRate));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(decayRate);
        CheckSteps(transitionSteps, nameof(transitionSteps));
        ArgumentOutOfRangeException.ThrowIfNegative(transitionBegin);
        if (endValue is double end) CheckFinite(end, nameof(endValue));
        return new(count =>
        {
            long decayed = count - transitionBegin;
            double exponent = (double)decayed / transitionSteps;
            if (staircase) exponent = Math.Floor(exponent);
            double value = decayed <= 0 ? initValue : initValue * Math.Pow(decayRate, exponent);
            if (endValue is not double bound) return value;
            return decayRate < 1 ? Math.Max(value, bound) : Math.Min(value, bound);
        }, $"exponential_decay({Format(initValue)}, rate {Format(decayRate)} per {transitionSteps} steps from {transitionBegin}{(staircase ? ", staircase" : "")}{(endValue is double e ? $", bound {Format(e)}" : "")})");
    }

    /// <summary>
    /// Half a cosine from <paramref name="initValue"/> down to <c>alpha · initValue</c> over <paramref name="decaySteps"/>
    /// counts, then constant (<c>optax.cosine_decay_schedule</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is not finite or <paramref name="decaySteps"/> is below 1.</exception>
    public static Schedule CosineDecay(double initValue, long decaySteps, double alpha = 0.0, double exponent = 1.0)
    {
        CheckFinite(initValue, nameof(initValue));
        CheckFinite(alpha, nameof(alpha));
        CheckFinite(exponent, nameof(exponent));
        CheckSteps(decaySteps, nameof(decaySteps));
        return new(count =>
        {
            double k = Math.Min(count, decaySteps);
            double cosine = 0.5 * (1 + Math.Cos(Math.PI * k / decaySteps));
            return initValue * ((1 - alpha) * Math.Pow(cosine, exponent) + alpha);
        }, $"cosine_decay({Format(initValue)}, {decaySteps} steps, alpha {Format(alpha)})");
    }

    /// <summary>
    /// A linear warm-up from <paramref name="initValue"/> to <paramref name="peakValue"/> over <paramref name="warmupSteps"/>,
    /// then a cosine decay to <paramref name="endValue"/> at count <paramref name="decaySteps"/> (warm-up included), as
    /// <c>optax.warmup_cosine_decay_schedule</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is not finite, <paramref name="warmupSteps"/> is below 1, or <paramref name="decaySteps"/> is not above it.</exception>
    public static Schedule WarmupCosineDecay(double initValue, double peakValue, long warmupSteps, long decaySteps, double endValue = 0.0, double exponent = 1.0)
    {
        CheckFinite(peakValue, nameof(peakValue));
        CheckFinite(endValue, nameof(endValue));
        CheckSteps(warmupSteps, nameof(warmupSteps));
        if (decaySteps <= warmupSteps)
            throw new ArgumentOutOfRangeException(nameof(decaySteps), decaySteps,
                $"decaySteps counts the warm-up too, so it must exceed warmupSteps ({warmupSteps}).");
        double alpha = peakValue == 0 ? 0 : endValue / peakValue;
        return Join(
            [Linear(initValue, peakValue, warmupSteps), CosineDecay(peakValue, decaySteps - warmupSteps, alpha, exponent)],
            [warmupSteps]);
    }

    /// <summary>
    /// <paramref name="schedules"/>[0] until the first boundary, then each next schedule restarted from count 0 at its
    /// boundary (<c>optax.join_schedules</c>).
    /// </summary>
    /// <exception cref="ArgumentException">There is not exactly one boundary fewer than schedules, or the boundaries are not increasing and positive.</exception>
    public static Schedule Join(IReadOnlyList<Schedule> schedules, IReadOnlyList<long> boundaries)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        ArgumentNullException.ThrowIfNull(boundaries);
        if (schedules.Count == 0 || schedules.Any(s => s is null) || boundaries.Count != schedules.Count - 1)
            throw new ArgumentException(
                $"Join needs at least one schedule, none null, and one boundary fewer than schedules; got {schedules.Count} schedules and {boundaries.Count} boundaries.", nameof(boundaries));
        for (int i = 0; i < boundaries.Count; i++)
            if (boundaries[i] <= (i == 0 ? 0 : boundaries[i - 1]))
                throw new ArgumentException($"Boundaries must be positive and increasing; got [{string.Join(", ", boundaries)}].", nameof(boundaries));
        Schedule[] parts = schedules.ToArray();
        long[] starts = boundaries.Prepend(0).ToArray();
        return new(count =>
        {
            int part = Array.FindLastIndex(starts, start => count >= start);
            return parts[part]._valueAt(count - starts[part]);
        }, $"join({string.Join(", ", parts.Select((p, i) => i == 0 ? p.ToString() : $"from {starts[i]}: {p}"))})");
    }

    /// <summary>Any function of the update count; it must return a finite number.</summary>
    /// <param name="valueAt">The value for a count of earlier updates.</param>
    /// <param name="description">Shown by <see cref="ToString"/> and in error messages.</param>
    public static Schedule FromFunction(Func<long, double> valueAt, string description = "custom")
    {
        ArgumentNullException.ThrowIfNull(valueAt);
        ArgumentNullException.ThrowIfNull(description);
        return new(valueAt, description);
    }

    /// <summary>What the schedule is, e.g. <c>cosine_decay(0.001, 10000 steps, alpha 0)</c>.</summary>
    public override string ToString() => _description;

    private static void CheckFinite(double value, string name)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(name, value, "Expected a finite number.");
    }

    private static void CheckSteps(long steps, string name)
    {
        if (steps < 1)
            throw new ArgumentOutOfRangeException(name, steps, "Expected at least 1 step; for a value that never changes use Schedule.Constant.");
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
