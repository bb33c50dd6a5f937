using System;

namespace Nnx;

/// <summary>
/// A <c>jax.random</c> draw in a 16-bit type, times a multiplier in that type. JAX maps the random bits to
/// <c>floats = m * 2^-MantissaBits</c> first, so a draw is a function of the mantissa index m alone (1024 values for
/// float16, 128 for bfloat16); <see cref="Table"/> evaluates all of them once and fills look them up.
/// </summary>
internal abstract class HalfSampler(HalfFormat format, float multiplier)
{
    public HalfFormat Format { get; } = format;

    /// <summary>The multiplier in the 16-bit type (1 for a plain draw: multiplying by 1 changes nothing).</summary>
    public float Multiplier { get; } = multiplier;

    /// <summary>The number of distinct draws: 2^MantissaBits.</summary>
    public int TableLength => 1 << Format.MantissaBits;

    /// <summary>The draw for mantissa index <paramref name="m"/>, before the multiplier.</summary>
    public abstract float Sample(int m);

    /// <summary>The stored bits for mantissa index <paramref name="m"/>: <c>sample * multiplier</c>, rounded.</summary>
    public ushort Bits(int m) => Format.ToBits(Format.Multiply(Sample(m), Multiplier));

    public ushort[] Table()
    {
        var table = new ushort[TableLength];
        for (int m = 0; m < table.Length; m++) table[m] = Bits(m);
        return table;
    }

    /// <summary><c>_uniform</c>'s last steps in the 16-bit type: <c>max(lo, floats * (hi - lo) + lo)</c>, each op rounded.</summary>
    protected float Uniform(int m, float low, float high)
    {
        float floats = m * MathF.ScaleB(1f, -Format.MantissaBits);
        return MathF.Max(low, Format.Add(Format.Multiply(floats, Format.Subtract(high, low)), low));
    }

    /// <summary><c>sqrt2 * erf_inv(u)</c>: erf_inv in float32 (CHLO upcasts 16-bit types), rounded back, then the 16-bit multiply.</summary>
    protected float Sqrt2ErfInv(float u) => Format.Multiply(Format.Sqrt2, Format.Round(JaxMath.ErfInv(u)));
}

/// <summary><c>jax.random.normal</c> in a 16-bit type: the uniform on (nextafter(-1, 0), 1) is exact, erf_inv in float32.</summary>
internal sealed class HalfNormal(HalfFormat format, float multiplier) : HalfSampler(format, multiplier)
{
    private readonly float _low = format.NextAfter(-1f, 0f);

    public override float Sample(int m) => Sqrt2ErfInv(Uniform(m, _low, 1f));
}

/// <summary><c>jax.random.uniform(minval, maxval)</c> in a 16-bit type.</summary>
internal sealed class HalfUniform : HalfSampler
{
    private readonly float _low, _high;

    public HalfUniform(HalfFormat format, double minval, double maxval, float multiplier) : base(format, multiplier)
    {
        (_low, _high) = (format.FromTraced(minval), format.FromTraced(maxval));
        if (!float.IsFinite(_low) || !float.IsFinite(_high) || !(_low < _high))
            throw new ArgumentOutOfRangeException(nameof(minval),
                $"uniform needs finite minval < maxval in {format.Dtype}, got minval = {minval}, maxval = {maxval} (as {format.Dtype}: {_low}, {_high}).");
    }

    public override float Sample(int m) => Uniform(m, _low, _high);
}

/// <summary>
/// <c>jax.random.truncated_normal(lower, upper)</c> in a 16-bit type: bounds times the 16-bit <c>1 / sqrt2</c>, erf in
/// float32 rounded back, the uniform between them, <c>sqrt2 * erf_inv</c>, clipped to the open interval.
/// </summary>
internal sealed class HalfTruncatedNormal : HalfSampler
{
    private readonly float _a, _b, _clipLow, _clipHigh;

    public HalfTruncatedNormal(HalfFormat format, double lower, double upper, float multiplier) : base(format, multiplier)
    {
        float lo = format.FromTraced(lower), hi = format.FromTraced(upper);
        if (float.IsNaN(lo) || float.IsNaN(hi) || !(lo < hi))
            throw new ArgumentOutOfRangeException(nameof(lower),
                $"truncated_normal needs lower < upper in {format.Dtype}, got lower = {lower}, upper = {upper} (as {format.Dtype}: {lo}, {hi}). Pass bounds such as (-2, 2).");
        // XLA turns `bound / sqrt2` into a multiply by 1 / sqrt2, inverted in the 16-bit type.
        float inverseSqrt2 = format.Divide(1f, format.Sqrt2);
        _a = format.Round(JaxMath.Erf(format.Multiply(lo, inverseSqrt2)));
        _b = format.Round(JaxMath.Erf(format.Multiply(hi, inverseSqrt2)));
        _clipLow = format.NextAfter(lo, float.PositiveInfinity);
        _clipHigh = format.NextAfter(hi, float.NegativeInfinity);
    }

    public override float Sample(int m) => MathF.Min(_clipHigh, MathF.Max(_clipLow, Sqrt2ErfInv(Uniform(m, _a, _b))));

    /// <summary>The uniform's range and the clip bounds, for tests against the reference.</summary>
    internal (float A, float B, float ClipLow, float ClipHigh) Bounds => (_a, _b, _clipLow, _clipHigh);
}
