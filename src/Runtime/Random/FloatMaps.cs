using System;
using System.Runtime.CompilerServices;

namespace Nnx;

/// <summary>A float32 distribution as a function of one 32-bit random word, per word and per block of lanes.</summary>
internal interface IFloatMap
{
    float Map(uint bits);

    TLanes Map<TLanes>(TLanes bits) where TLanes : struct, ILanes<TLanes>;
}

/// <summary><c>jax.random.normal</c> times a float32 <see cref="Scale"/> (1 for the plain distribution; exact).</summary>
internal readonly record struct NormalMap(float Scale) : IFloatMap
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Map(uint bits) => JaxMath.NormalFromBits(bits) * Scale;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TLanes Map<TLanes>(TLanes bits) where TLanes : struct, ILanes<TLanes> =>
        TLanes.Splat(JaxMath.Sqrt2) * JaxMathVector.ErfInv(JaxMathVector.SymmetricUniform(bits)) * TLanes.Splat(Scale);
}

/// <summary>
/// <c>jax.random.uniform(minval = Low, maxval = Low + Range)</c>: <c>max(lo, fma(f, hi - lo, lo))</c> (docs/jax-random.md#uniform),
/// times <see cref="Scale"/>.
/// </summary>
internal readonly record struct UniformMap(float Low, float Range, float Scale) : IFloatMap
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Map(uint bits) => MathF.Max(Low, MathF.FusedMultiplyAdd(JaxMath.UnitUniform(bits), Range, Low)) * Scale;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TLanes Map<TLanes>(TLanes bits) where TLanes : struct, ILanes<TLanes>
    {
        TLanes low = TLanes.Splat(Low);
        return TLanes.Max(low, TLanes.FusedMultiplyAdd(JaxMathVector.UnitUniform(bits), TLanes.Splat(Range), low)) * TLanes.Splat(Scale);
    }
}

/// <summary>
/// <c>jax.random.truncated_normal</c> (docs/jax-random.md#truncated-normal): a uniform between the erf of the bounds, <c>sqrt2 * erf_inv</c>,
/// clipped to the open interval, times <see cref="Scale"/>.
/// </summary>
internal readonly record struct TruncatedNormalMap(UniformMap Uniform, float ClipLow, float ClipHigh, float Scale) : IFloatMap
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Map(uint bits)
    {
        float value = JaxMath.Sqrt2 * JaxMath.ErfInv(Uniform.Map(bits));
        return MathF.Min(ClipHigh, MathF.Max(ClipLow, value)) * Scale;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TLanes Map<TLanes>(TLanes bits) where TLanes : struct, ILanes<TLanes>
    {
        TLanes value = TLanes.Splat(JaxMath.Sqrt2) * JaxMathVector.ErfInv(Uniform.Map(bits));
        return TLanes.Min(TLanes.Splat(ClipHigh), TLanes.Max(TLanes.Splat(ClipLow), value)) * TLanes.Splat(Scale);
    }

    /// <summary>The constants of <c>truncated_normal(lower, upper)</c> in float32, as XLA:CPU computes them eagerly.</summary>
    public static TruncatedNormalMap Create(double lower, double upper, float scale)
    {
        float lo = (float)lower, hi = (float)upper;
        if (float.IsNaN(lo) || float.IsNaN(hi) || !(lo < hi))
            throw new ArgumentOutOfRangeException(nameof(lower), $"truncated_normal needs lower < upper (as float32), got lower = {lower}, upper = {upper}. Pass bounds such as (-2, 2).");
        // XLA rewrites `bound / sqrt2` into a multiply by the float32 reciprocal 0.70710677f (docs/jax-random.md#truncated-normal).
        float inverseSqrt2 = BitConverter.UInt32BitsToSingle(0x3F3504F3);
        float a = JaxMath.Erf(lo * inverseSqrt2), b = JaxMath.Erf(hi * inverseSqrt2);
        return new TruncatedNormalMap(new UniformMap(a, b - a, 1f), MathF.BitIncrement(lo), MathF.BitDecrement(hi), scale);
    }
}
