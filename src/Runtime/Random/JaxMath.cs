using System;
using System.Runtime.CompilerServices;

namespace Nnx;

/// <summary>
/// Float32 kernels exactly as XLA:CPU evaluates them for <c>jax.random.normal</c>: every operation rounds to float32,
/// and a multiply feeds an add through a fused multiply-add only where XLA's LLVM backend contracts it
/// (<c>AllowFPOpFusion = Fast</c>). The steps are explained in <c>docs/jax-random.md</c> (#normal, #erf_inv, #the-log).
/// </summary>
internal static class JaxMath
{
    // f32(sqrt(2)); jax/_src/random/core.py _normal_real multiplies erf_inv by np.sqrt(2) cast to float32.
    internal static readonly float Sqrt2 = BitConverter.UInt32BitsToSingle(0x3FB504F3);

    // f32(sqrt(2) - 1): XLA's EmitLog1p uses the rational approximation below this magnitude.
    private static readonly float Log1pSmallLimit = BitConverter.UInt32BitsToSingle(0x3ED413CD);

    // XLA log1p rational (Cephes), xla/codegen/intrinsic/log1p.cc kNumeratorCoeffs / kDenominatorCoeffs, highest power first.
    private static readonly float[] Log1pNumerator = FromBits(
        0x383DE04B, 0x3EFF40C5, 0x40D284FA, 0x41EF4B9C, 0x4273CC76, 0x426473AD, 0x41A05101);
    private static readonly float[] Log1pDenominator = FromBits(
        0x3F800000, 0x417101AD, 0x42A6185B, 0x435DC32D, 0x439A8CA3, 0x43586D8A, 0x42707982);

    // Giles' erf_inv coefficients, stablehlo ChloLegalizeToStablehlo.cpp erfInv32 (= xla math.cc ErfInv32).
    private static readonly float[] ErfInvBelow5 = FromBits(
        0x32F16588, 0x34B84B36, 0xB66C7357, 0xB6935AC1, 0x396532DB, 0xBAA45408, 0xBB88E4EF, 0x3E7C8F63, 0x3FC02E2F);
    private static readonly float[] ErfInvFrom5 = FromBits(
        0xB951F09B, 0x38D3B56B, 0x3AB0DC72, 0xBB70BDE7, 0x3BBC127B, 0xBBF9C5D7, 0x3C1AA57E, 0x3F8036DB, 0x40354F7E);

    // Eigen/Cephes plog_float (xla/service/cpu/llvm_ir_runtime.cc GenerateVF32Log): p0..p8, q1, q2, sqrt(1/2), and the
    // smallest normal float, below which the input is raised.
    private static readonly float[] LogP = FromBits(
        0x3D9021BB, 0xBDEBD1B8, 0x3DEF251A, 0xBDFE5D4F, 0x3E11E9BF, 0xBE2AAE50, 0x3E4CCEAC, 0xBE7FFFFC, 0x3EAAAAAA);
    private static readonly float LogQ1 = BitConverter.UInt32BitsToSingle(0xB95E8083);
    private static readonly float LogQ2 = BitConverter.UInt32BitsToSingle(0x3F318000);
    private static readonly float LogSqrtHalf = BitConverter.UInt32BitsToSingle(0x3F3504F3);
    private static readonly float LogSmallestNormal = BitConverter.UInt32BitsToSingle(0x00800000);

    // Eigen generic_fast_erf_float (xla/service/llvm_ir/math_ops.cc EmitErfF32): a9..a1 and b12..b0, highest power first.
    private static readonly float ErfSaturation = BitConverter.UInt32BitsToSingle(0x407547CB);
    private static readonly float[] ErfNumerator = FromBits(0x39702D51, 0x3B5F5DA2, 0x3D50B6EB, 0x3E3DA740, 0x3F906EBA);
    private static readonly float[] ErfDenominator = FromBits(
        0xB3FD3906, 0x37C588DF, 0x3A856D28, 0x3C6687D4, 0x3DE34C21, 0x3EFEB44A, 0x3F800000);

    /// <summary>
    /// The uniform in (-1, 1) that <c>jax.random.normal</c> feeds to <c>erf_inv</c>: <c>uniform(minval = nextafter(-1, 0),
    /// maxval = 1)</c>, which for 23 random mantissa bits <c>m</c> is exactly <c>(4m - 16777215) / 2^24</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float SymmetricUniform(uint bits)
    {
        int m = (int)(bits >> 9);
        return (4 * m - 16777215) * (1f / 16777216f);
    }

    /// <summary><c>sqrt(2) * erf_inv(u)</c> in float32: one standard normal from 32 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float NormalFromBits(uint bits) => Sqrt2 * ErfInv(SymmetricUniform(bits));

    /// <summary>XLA's float32 <c>erf_inv</c> for |u| &lt;= 1 (±1 gives ±infinity, as <c>u * inf</c> in XLA).</summary>
    internal static float ErfInv(float u)
    {
        if (MathF.Abs(u) == 1f) return u * float.PositiveInfinity;
        float w = -Log1p(u * -u);
        float[] c;
        if (w < 5f)
        {
            w -= 2.5f;
            c = ErfInvBelow5;
        }
        else
        {
            w = MathF.Sqrt(w) - 3f;
            c = ErfInvFrom5;
        }
        float p = c[0];
        for (int i = 1; i < c.Length; i++) p = MathF.FusedMultiplyAdd(p, w, c[i]);
        return p * u;
    }

    /// <summary><c>jax.random.uniform</c>'s float in [0, 1) from 32 random bits: the mantissa trick, exact.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float UnitUniform(uint bits) => BitConverter.UInt32BitsToSingle((bits >> 9) | 0x3F800000u) - 1f;

    /// <summary>
    /// XLA:CPU's float32 <c>erf</c> (Eigen's <c>generic_fast_erf_float</c>, docs/jax-random.md#truncated-normal): odd rational in x
    /// with fused Horner steps, ±1 from |x| &gt;= 3.8325069.
    /// </summary>
    internal static float Erf(float x)
    {
        if (MathF.Abs(x) >= ErfSaturation) return MathF.CopySign(1f, x);
        float x2 = x * x;
        float p = ErfNumerator[0];
        for (int i = 1; i < ErfNumerator.Length; i++) p = MathF.FusedMultiplyAdd(x2, p, ErfNumerator[i]);
        p = x * p;
        float q = ErfDenominator[0];
        for (int i = 1; i < ErfDenominator.Length; i++) q = MathF.FusedMultiplyAdd(x2, q, ErfDenominator[i]);
        return p / q;
    }

    /// <summary>
    /// XLA:CPU's float32 <c>log1p</c> for x in [-1, 0]: the Cephes rational below |x| &lt; sqrt(2) - 1, otherwise XLA's
    /// float32 <see cref="Log"/> of <c>1 + x</c> (docs/jax-random.md#the-log).
    /// </summary>
    internal static float Log1p(float x)
    {
        if (MathF.Abs(x) < Log1pSmallLimit)
        {
            float x2 = x * x;
            float num = 0f, den = 0f;
            for (int i = 0; i < Log1pNumerator.Length; i++)
            {
                num = MathF.FusedMultiplyAdd(num, x, Log1pNumerator[i]);
                den = MathF.FusedMultiplyAdd(den, x, Log1pDenominator[i]);
            }
            float r = num / den;
            r = x * x2 * r;
            r = -0.5f * x2 + r;
            return x + r;
        }
        return Log(x + 1f);
    }

    /// <summary>
    /// XLA:CPU's float32 <c>log</c> (Eigen/Cephes <c>plog</c>, emitted by XLA as <c>GenerateVF32Log</c>): y = 2^e m with m in
    /// [sqrt(1/2), sqrt(2)), a degree-9 polynomial in m - 1 with the fused multiply-adds XLA's LLVM backend forms, and e ln 2
    /// added in two parts. Within 1 ulp of the true log, but not correctly rounded, and JAX returns exactly these bits.
    /// </summary>
    internal static float Log(float y)
    {
        if (y == 0f) return float.NegativeInfinity;
        if (!(y > 0f)) return float.NaN;
        if (float.IsPositiveInfinity(y)) return y;
        y = MathF.Max(y, LogSmallestNormal);
        uint bits = BitConverter.SingleToUInt32Bits(y);
        float e = (int)(bits >> 23) - 127 + 1f;
        float m = BitConverter.UInt32BitsToSingle((bits & 0x807FFFFFu) | 0x3F000000u);
        float below = 0f;
        if (m < LogSqrtHalf)
        {
            below = m;
            e -= 1f;
        }
        m = m - 1f + below;
        float m2 = m * m, m3 = m2 * m;
        float y0 = MathF.FusedMultiplyAdd(m, LogP[0], LogP[1]);
        float y1 = MathF.FusedMultiplyAdd(m, LogP[3], LogP[4]);
        float y2 = MathF.FusedMultiplyAdd(m, LogP[6], LogP[7]);
        y0 = MathF.FusedMultiplyAdd(y0, m, LogP[2]);
        y1 = MathF.FusedMultiplyAdd(y1, m, LogP[5]);
        y2 = MathF.FusedMultiplyAdd(y2, m, LogP[8]);
        y0 = MathF.FusedMultiplyAdd(y0, m3, y1);
        y0 = MathF.FusedMultiplyAdd(y0, m3, y2);
        // y * m^3 + q1 * e: of the two single-use products LLVM fuses the first into the add.
        y0 = MathF.FusedMultiplyAdd(y0, m3, LogQ1 * e);
        m -= 0.5f * m2;
        m += y0;
        return m + LogQ2 * e;
    }

    private static float[] FromBits(params uint[] bits)
    {
        var values = new float[bits.Length];
        for (int i = 0; i < bits.Length; i++) values[i] = BitConverter.UInt32BitsToSingle(bits[i]);
        return values;
    }
}
