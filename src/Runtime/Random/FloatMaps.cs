using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nnx;

/// <summary>A float32 distribution as a function of one 32-bit random word, in scalar and vector form.</summary>
internal interface IFloatMap
{
    float Map(uint bits);
    Vector256<float> Map(Vector256<uint> bits);
    Vector512<float> Map(Vector512<uint> bits);
}

/// <summary><c>jax.random.normal</c> times a float32 <see cref="Scale"/> (1 for the plain distribution; exact).</summary>
internal readonly record struct NormalMap(float Scale) : IFloatMap
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Map(uint bits) => JaxMath.NormalFromBits(bits) * Scale;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Map(Vector256<uint> bits) =>
        Vector256.Create(JaxMath.Sqrt2) * JaxMathVector.ErfInv(JaxMathVector.SymmetricUniform(bits)) * Vector256.Create(Scale);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Map(Vector512<uint> bits) =>
        Vector512.Create(JaxMath.Sqrt2) * JaxMathVector.ErfInv(JaxMathVector.SymmetricUniform(bits)) * Vector512.Create(Scale);
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
    public Vector256<float> Map(Vector256<uint> bits)
    {
        Vector256<float> low = Vector256.Create(Low);
        return Vector256.Max(low, Vector256.FusedMultiplyAdd(JaxMathVector.UnitUniform(bits), Vector256.Create(Range), low)) * Vector256.Create(Scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Map(Vector512<uint> bits)
    {
        Vector512<float> low = Vector512.Create(Low);
        return Vector512.Max(low, Vector512.FusedMultiplyAdd(JaxMathVector.UnitUniform(bits), Vector512.Create(Range), low)) * Vector512.Create(Scale);
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
    public Vector256<float> Map(Vector256<uint> bits)
    {
        Vector256<float> value = Vector256.Create(JaxMath.Sqrt2) * JaxMathVector.ErfInv(Uniform.Map(bits));
        return Vector256.Min(Vector256.Create(ClipHigh), Vector256.Max(Vector256.Create(ClipLow), value)) * Vector256.Create(Scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Map(Vector512<uint> bits)
    {
        Vector512<float> value = Vector512.Create(JaxMath.Sqrt2) * JaxMathVector.ErfInv(Uniform.Map(bits));
        return Vector512.Min(Vector512.Create(ClipHigh), Vector512.Max(Vector512.Create(ClipLow), value)) * Vector512.Create(Scale);
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
