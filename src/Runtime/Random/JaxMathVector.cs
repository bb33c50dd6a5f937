using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nnx;

/// <summary>
/// <see cref="JaxMath.ErfInv"/> on 8 or 16 lanes, operation for operation the same float32 steps and fused
/// multiply-adds. The one difference is the float32 <c>log</c> of the large branch: the scalar path rounds
/// <c>Math.Log</c> once, this path rounds a double-precision polynomial once (SPEC.md section 13); both are the correctly
/// rounded float log except within ~1e-16 of a rounding midpoint, and the tests compare them on 10^7 draws.
/// </summary>
internal static class JaxMathVector
{
    // Constants are the float32 bit patterns of JaxMath (XLA log1p rational, Giles' erf_inv), written inline so the JIT
    // emits them as vector constants.

    // log(m) = 2 atanh(s), s = (m - 1) / (m + 1): 2 * sum s^(2k+1) / (2k+1), k = 0..10 (Log below). For m in
    // [sqrt(1/2), sqrt(2)], |s| <= 0.1716 and the first omitted term is below 1e-18 of the sum.
    private const float Sqrt2Float = 1.41421354f;

    // ln 2 split so that e * Ln2Hi is exact for |e| < 2^11 (fdlibm's e_log.c constants).
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;

    /// <summary>The uniform of <c>normal</c> from 32 random bits: <c>(4m - 16777215) / 2^24</c>, m = bits &gt;&gt; 9.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SymmetricUniform(Vector256<uint> bits)
    {
        Vector256<int> m = Vector256.ShiftRightLogical(bits, 9).AsInt32();
        return Vector256.ConvertToSingle(m * 4 - Vector256.Create(16777215)) * Vector256.Create(1f / 16777216f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SymmetricUniform(Vector512<uint> bits)
    {
        Vector512<int> m = Vector512.ShiftRightLogical(bits, 9).AsInt32();
        return Vector512.ConvertToSingle(m * 4 - Vector512.Create(16777215)) * Vector512.Create(1f / 16777216f);
    }

    /// <summary><c>jax.random.uniform</c>'s float from bits: <c>bitcast((bits &gt;&gt; 9) | 1.0f) - 1</c>, exact.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> UnitUniform(Vector256<uint> bits) =>
        (Vector256.ShiftRightLogical(bits, 9) | Vector256.Create(0x3F800000u)).AsSingle() - Vector256<float>.One;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> UnitUniform(Vector512<uint> bits) =>
        (Vector512.ShiftRightLogical(bits, 9) | Vector512.Create(0x3F800000u)).AsSingle() - Vector512<float>.One;

    /// <summary>XLA's float32 <c>erf_inv</c> for |u| &lt;= 1 (see <see cref="JaxMath.ErfInv"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ErfInv(Vector256<float> u)
    {
        Vector256<float> w = -Log1p(u * -u);
        Vector256<float> below5 = Vector256.LessThan(w, Vector256.Create(5f));
        Vector256<float> wp = Vector256.ConditionalSelect(below5, w - Vector256.Create(2.5f), Vector256.Sqrt(w) - Vector256.Create(3f));
        Vector256<float> p = Vector256.ConditionalSelect(below5, C256(0x32F16588), C256(0xB951F09B));
        p = Horner(p, wp, below5, 0x34B84B36, 0x38D3B56B);
        p = Horner(p, wp, below5, 0xB66C7357, 0x3AB0DC72);
        p = Horner(p, wp, below5, 0xB6935AC1, 0xBB70BDE7);
        p = Horner(p, wp, below5, 0x396532DB, 0x3BBC127B);
        p = Horner(p, wp, below5, 0xBAA45408, 0xBBF9C5D7);
        p = Horner(p, wp, below5, 0xBB88E4EF, 0x3C1AA57E);
        p = Horner(p, wp, below5, 0x3E7C8F63, 0x3F8036DB);
        p = Horner(p, wp, below5, 0x3FC02E2F, 0x40354F7E);
        Vector256<float> r = p * u;
        Vector256<float> edge = Vector256.Equals(Vector256.Abs(u), Vector256<float>.One);
        return Vector256.ConditionalSelect(edge, u * Vector256.Create(float.PositiveInfinity), r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ErfInv(Vector512<float> u)
    {
        Vector512<float> w = -Log1p(u * -u);
        Vector512<float> below5 = Vector512.LessThan(w, Vector512.Create(5f));
        Vector512<float> wp = Vector512.ConditionalSelect(below5, w - Vector512.Create(2.5f), Vector512.Sqrt(w) - Vector512.Create(3f));
        Vector512<float> p = Vector512.ConditionalSelect(below5, C512(0x32F16588), C512(0xB951F09B));
        p = Horner(p, wp, below5, 0x34B84B36, 0x38D3B56B);
        p = Horner(p, wp, below5, 0xB66C7357, 0x3AB0DC72);
        p = Horner(p, wp, below5, 0xB6935AC1, 0xBB70BDE7);
        p = Horner(p, wp, below5, 0x396532DB, 0x3BBC127B);
        p = Horner(p, wp, below5, 0xBAA45408, 0xBBF9C5D7);
        p = Horner(p, wp, below5, 0xBB88E4EF, 0x3C1AA57E);
        p = Horner(p, wp, below5, 0x3E7C8F63, 0x3F8036DB);
        p = Horner(p, wp, below5, 0x3FC02E2F, 0x40354F7E);
        Vector512<float> r = p * u;
        Vector512<float> edge = Vector512.Equals(Vector512.Abs(u), Vector512<float>.One);
        return Vector512.ConditionalSelect(edge, u * Vector512.Create(float.PositiveInfinity), r);
    }

    /// <summary>XLA:CPU's float32 <c>log1p</c> for x in [-1, 0] (see <see cref="JaxMath.Log1p"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log1p(Vector256<float> x)
    {
        Vector256<float> x2 = x * x;
        // Horner from 0: the first step is fma(0, x, c) = c exactly.
        Vector256<float> num = C256(0x383DE04B), den = C256(0x3F800000);
        num = Vector256.FusedMultiplyAdd(num, x, C256(0x3EFF40C5)); den = Vector256.FusedMultiplyAdd(den, x, C256(0x417101AD));
        num = Vector256.FusedMultiplyAdd(num, x, C256(0x40D284FA)); den = Vector256.FusedMultiplyAdd(den, x, C256(0x42A6185B));
        num = Vector256.FusedMultiplyAdd(num, x, C256(0x41EF4B9C)); den = Vector256.FusedMultiplyAdd(den, x, C256(0x435DC32D));
        num = Vector256.FusedMultiplyAdd(num, x, C256(0x4273CC76)); den = Vector256.FusedMultiplyAdd(den, x, C256(0x439A8CA3));
        num = Vector256.FusedMultiplyAdd(num, x, C256(0x426473AD)); den = Vector256.FusedMultiplyAdd(den, x, C256(0x43586D8A));
        num = Vector256.FusedMultiplyAdd(num, x, C256(0x41A05101)); den = Vector256.FusedMultiplyAdd(den, x, C256(0x42707982));
        Vector256<float> r = x * x2 * (num / den);
        Vector256<float> small = x + (Vector256.Create(-0.5f) * x2 + r);
        Vector256<float> isSmall = Vector256.LessThan(Vector256.Abs(x), C256(0x3ED413CD));
        if (Vector256.EqualsAll(isSmall, Vector256<float>.AllBitsSet)) return small;
        return Vector256.ConditionalSelect(isSmall, small, Log(x + Vector256<float>.One));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log1p(Vector512<float> x)
    {
        Vector512<float> x2 = x * x;
        // Horner from 0: the first step is fma(0, x, c) = c exactly.
        Vector512<float> num = C512(0x383DE04B), den = C512(0x3F800000);
        num = Vector512.FusedMultiplyAdd(num, x, C512(0x3EFF40C5)); den = Vector512.FusedMultiplyAdd(den, x, C512(0x417101AD));
        num = Vector512.FusedMultiplyAdd(num, x, C512(0x40D284FA)); den = Vector512.FusedMultiplyAdd(den, x, C512(0x42A6185B));
        num = Vector512.FusedMultiplyAdd(num, x, C512(0x41EF4B9C)); den = Vector512.FusedMultiplyAdd(den, x, C512(0x435DC32D));
        num = Vector512.FusedMultiplyAdd(num, x, C512(0x4273CC76)); den = Vector512.FusedMultiplyAdd(den, x, C512(0x439A8CA3));
        num = Vector512.FusedMultiplyAdd(num, x, C512(0x426473AD)); den = Vector512.FusedMultiplyAdd(den, x, C512(0x43586D8A));
        num = Vector512.FusedMultiplyAdd(num, x, C512(0x41A05101)); den = Vector512.FusedMultiplyAdd(den, x, C512(0x42707982));
        Vector512<float> r = x * x2 * (num / den);
        Vector512<float> small = x + (Vector512.Create(-0.5f) * x2 + r);
        Vector512<float> isSmall = Vector512.LessThan(Vector512.Abs(x), C512(0x3ED413CD));
        if (Vector512.EqualsAll(isSmall, Vector512<float>.AllBitsSet)) return small;
        return Vector512.ConditionalSelect(isSmall, small, Log(x + Vector512<float>.One));
    }

    /// <summary>
    /// The float32 log of y in [0, 1], computed in double and rounded once. y = 2^e * m with m in [sqrt(1/2), sqrt(2)) is
    /// split in float32 (exact for the normal floats y can be), so only m and e are widened to double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Log(Vector256<float> y)
    {
        Vector256<int> bits = y.AsInt32();
        Vector256<float> m = ((bits & Vector256.Create(0x007FFFFF)) | Vector256.Create(0x3F800000)).AsSingle();
        Vector256<float> above = Vector256.GreaterThan(m, Vector256.Create(Sqrt2Float));
        m = Vector256.ConditionalSelect(above, m * 0.5f, m);
        Vector256<float> e = Vector256.ConvertToSingle(Vector256.ShiftRightLogical(bits, 23) - Vector256.Create(127) - above.AsInt32());
        var (mLower, mUpper) = Vector256.Widen(m);
        var (eLower, eUpper) = Vector256.Widen(e);
        Vector256<float> log = Vector256.Narrow(Log(mLower, eLower), Log(mUpper, eUpper));
        return Vector256.ConditionalSelect(Vector256.Equals(y, Vector256<float>.Zero), Vector256.Create(float.NegativeInfinity), log);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Log(Vector512<float> y)
    {
        Vector512<int> bits = y.AsInt32();
        Vector512<float> m = ((bits & Vector512.Create(0x007FFFFF)) | Vector512.Create(0x3F800000)).AsSingle();
        Vector512<float> above = Vector512.GreaterThan(m, Vector512.Create(Sqrt2Float));
        m = Vector512.ConditionalSelect(above, m * 0.5f, m);
        Vector512<float> e = Vector512.ConvertToSingle(Vector512.ShiftRightLogical(bits, 23) - Vector512.Create(127) - above.AsInt32());
        var (mLower, mUpper) = Vector512.Widen(m);
        var (eLower, eUpper) = Vector512.Widen(e);
        Vector512<float> log = Vector512.Narrow(Log(mLower, eLower), Log(mUpper, eUpper));
        return Vector512.ConditionalSelect(Vector512.Equals(y, Vector512<float>.Zero), Vector512.Create(float.NegativeInfinity), log);
    }

    /// <summary>e ln 2 + log m for m in [sqrt(1/2), sqrt(2)]: the atanh series in s = (m - 1) / (m + 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Log(Vector256<double> m, Vector256<double> e)
    {
        Vector256<double> s = (m - Vector256<double>.One) / (m + Vector256<double>.One);
        Vector256<double> z = s * s;
        Vector256<double> q = Vector256.Create(2.0 / 21);
        q = Vector256.FusedMultiplyAdd(q, z, Vector256.Create(2.0 / 19));
        q = Vector256.FusedMultiplyAdd(q, z, Vector256.Create(2.0 / 17));
        q = Vector256.FusedMultiplyAdd(q, z, Vector256.Create(2.0 / 15));
        q = Vector256.FusedMultiplyAdd(q, z, Vector256.Create(2.0 / 13));
        q = Vector256.FusedMultiplyAdd(q, z, Vector256.Create(2.0 / 11));
        q = Vector256.FusedMultiplyAdd(q, z, Vector256.Create(2.0 / 9));
        q = Vector256.FusedMultiplyAdd(q, z, Vector256.Create(2.0 / 7));
        q = Vector256.FusedMultiplyAdd(q, z, Vector256.Create(2.0 / 5));
        q = Vector256.FusedMultiplyAdd(q, z, Vector256.Create(2.0 / 3));
        // 2s + s z q, then the exponent's low part before its exact high part.
        Vector256<double> logm = Vector256.FusedMultiplyAdd(s * z, q, s + s);
        return Vector256.FusedMultiplyAdd(e, Vector256.Create(Ln2Hi), Vector256.FusedMultiplyAdd(e, Vector256.Create(Ln2Lo), logm));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Log(Vector512<double> m, Vector512<double> e)
    {
        Vector512<double> s = (m - Vector512<double>.One) / (m + Vector512<double>.One);
        Vector512<double> z = s * s;
        Vector512<double> q = Vector512.Create(2.0 / 21);
        q = Vector512.FusedMultiplyAdd(q, z, Vector512.Create(2.0 / 19));
        q = Vector512.FusedMultiplyAdd(q, z, Vector512.Create(2.0 / 17));
        q = Vector512.FusedMultiplyAdd(q, z, Vector512.Create(2.0 / 15));
        q = Vector512.FusedMultiplyAdd(q, z, Vector512.Create(2.0 / 13));
        q = Vector512.FusedMultiplyAdd(q, z, Vector512.Create(2.0 / 11));
        q = Vector512.FusedMultiplyAdd(q, z, Vector512.Create(2.0 / 9));
        q = Vector512.FusedMultiplyAdd(q, z, Vector512.Create(2.0 / 7));
        q = Vector512.FusedMultiplyAdd(q, z, Vector512.Create(2.0 / 5));
        q = Vector512.FusedMultiplyAdd(q, z, Vector512.Create(2.0 / 3));
        Vector512<double> logm = Vector512.FusedMultiplyAdd(s * z, q, s + s);
        return Vector512.FusedMultiplyAdd(e, Vector512.Create(Ln2Hi), Vector512.FusedMultiplyAdd(e, Vector512.Create(Ln2Lo), logm));
    }

    /// <summary>One fused Horner step with the coefficient of the lane's branch (w &lt; 5 or not).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Horner(Vector256<float> p, Vector256<float> w, Vector256<float> below5, uint below, uint from) =>
        Vector256.FusedMultiplyAdd(p, w, Vector256.ConditionalSelect(below5, C256(below), C256(from)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Horner(Vector512<float> p, Vector512<float> w, Vector512<float> below5, uint below, uint from) =>
        Vector512.FusedMultiplyAdd(p, w, Vector512.ConditionalSelect(below5, C512(below), C512(from)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> C256(uint bits) => Vector256.Create(bits).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> C512(uint bits) => Vector512.Create(bits).AsSingle();
}
