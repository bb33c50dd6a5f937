using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nnx;

/// <summary>
/// <see cref="JaxMath.ErfInv"/> on 8 or 16 lanes, operation for operation the same float32 steps and fused
/// multiply-adds (the log of <c>log1p</c>'s large branch included), so every lane equals the scalar path bit for bit;
/// the tests compare them on 10^7 draws.
/// </summary>
internal static class JaxMathVector
{
    // Constants are the float32 bit patterns of JaxMath (XLA log1p rational, Giles' erf_inv, Cephes log), written inline so
    // the JIT emits them as vector constants.

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

    /// <summary><see cref="JaxMath.Log"/> for y in [0, 1] (the large branch of <c>log1p</c>): XLA's float32 Cephes log.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Log(Vector256<float> y)
    {
        Vector256<float> x = Vector256.Max(y, C256(0x00800000));
        Vector256<uint> bits = x.AsUInt32();
        Vector256<float> e = Vector256.ConvertToSingle(Vector256.ShiftRightLogical(bits, 23).AsInt32() - Vector256.Create(127)) + Vector256<float>.One;
        Vector256<float> m = ((bits & Vector256.Create(0x807FFFFFu)) | Vector256.Create(0x3F000000u)).AsSingle();
        Vector256<float> below = Vector256.LessThan(m, C256(0x3F3504F3));
        e -= below & Vector256<float>.One;
        m = m - Vector256<float>.One + (below & m);
        Vector256<float> m2 = m * m, m3 = m2 * m;
        Vector256<float> y0 = Vector256.FusedMultiplyAdd(m, C256(0x3D9021BB), C256(0xBDEBD1B8));
        Vector256<float> y1 = Vector256.FusedMultiplyAdd(m, C256(0xBDFE5D4F), C256(0x3E11E9BF));
        Vector256<float> y2 = Vector256.FusedMultiplyAdd(m, C256(0x3E4CCEAC), C256(0xBE7FFFFC));
        y0 = Vector256.FusedMultiplyAdd(y0, m, C256(0x3DEF251A));
        y1 = Vector256.FusedMultiplyAdd(y1, m, C256(0xBE2AAE50));
        y2 = Vector256.FusedMultiplyAdd(y2, m, C256(0x3EAAAAAA));
        y0 = Vector256.FusedMultiplyAdd(y0, m3, y1);
        y0 = Vector256.FusedMultiplyAdd(y0, m3, y2);
        y0 = Vector256.FusedMultiplyAdd(y0, m3, C256(0xB95E8083) * e);
        m -= Vector256.Create(0.5f) * m2;
        m += y0;
        Vector256<float> log = m + C256(0x3F318000) * e;
        return Vector256.ConditionalSelect(Vector256.Equals(y, Vector256<float>.Zero), Vector256.Create(float.NegativeInfinity), log);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Log(Vector512<float> y)
    {
        Vector512<float> x = Vector512.Max(y, C512(0x00800000));
        Vector512<uint> bits = x.AsUInt32();
        Vector512<float> e = Vector512.ConvertToSingle(Vector512.ShiftRightLogical(bits, 23).AsInt32() - Vector512.Create(127)) + Vector512<float>.One;
        Vector512<float> m = ((bits & Vector512.Create(0x807FFFFFu)) | Vector512.Create(0x3F000000u)).AsSingle();
        Vector512<float> below = Vector512.LessThan(m, C512(0x3F3504F3));
        e -= below & Vector512<float>.One;
        m = m - Vector512<float>.One + (below & m);
        Vector512<float> m2 = m * m, m3 = m2 * m;
        Vector512<float> y0 = Vector512.FusedMultiplyAdd(m, C512(0x3D9021BB), C512(0xBDEBD1B8));
        Vector512<float> y1 = Vector512.FusedMultiplyAdd(m, C512(0xBDFE5D4F), C512(0x3E11E9BF));
        Vector512<float> y2 = Vector512.FusedMultiplyAdd(m, C512(0x3E4CCEAC), C512(0xBE7FFFFC));
        y0 = Vector512.FusedMultiplyAdd(y0, m, C512(0x3DEF251A));
        y1 = Vector512.FusedMultiplyAdd(y1, m, C512(0xBE2AAE50));
        y2 = Vector512.FusedMultiplyAdd(y2, m, C512(0x3EAAAAAA));
        y0 = Vector512.FusedMultiplyAdd(y0, m3, y1);
        y0 = Vector512.FusedMultiplyAdd(y0, m3, y2);
        y0 = Vector512.FusedMultiplyAdd(y0, m3, C512(0xB95E8083) * e);
        m -= Vector512.Create(0.5f) * m2;
        m += y0;
        Vector512<float> log = m + C512(0x3F318000) * e;
        return Vector512.ConditionalSelect(Vector512.Equals(y, Vector512<float>.Zero), Vector512.Create(float.NegativeInfinity), log);
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
