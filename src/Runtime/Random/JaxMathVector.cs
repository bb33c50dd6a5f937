using System.Runtime.CompilerServices;

namespace Nnx;

/// <summary>
/// <see cref="JaxMath.ErfInv"/> and its helpers on a block of lanes, operation for operation the same float32 steps and
/// fused multiply-adds (the log of <c>log1p</c>'s large branch included), so every lane equals the scalar path bit for
/// bit; the tests compare them on every input of the log branch and on 10^7 draws.
/// </summary>
internal static class JaxMathVector
{
    // Constants are the float32 bit patterns of JaxMath (XLA log1p rational, Giles' erf_inv, Cephes log), written inline
    // so the JIT emits them as vector constants.

    /// <summary>The uniform of <c>normal</c> from 32 random bits: <c>(4m - 16777215) / 2^24</c>, m = bits &gt;&gt; 9.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLanes SymmetricUniform<TLanes>(TLanes bits) where TLanes : struct, ILanes<TLanes>
    {
        TLanes fourM = TLanes.ShiftLeftU(TLanes.ShiftRightLogicalU(bits, 9), 2);
        return TLanes.ConvertInt32ToSingle(TLanes.SubtractU(fourM, TLanes.SplatBits(16777215))) * TLanes.Splat(1f / 16777216f);
    }

    /// <summary><c>jax.random.uniform</c>'s float from bits: <c>bitcast((bits &gt;&gt; 9) | 1.0f) - 1</c>, exact.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLanes UnitUniform<TLanes>(TLanes bits) where TLanes : struct, ILanes<TLanes> =>
        (TLanes.ShiftRightLogicalU(bits, 9) | TLanes.SplatBits(0x3F800000u)) - TLanes.Splat(1f);

    /// <summary>XLA's float32 <c>erf_inv</c> for |u| &lt;= 1 (see <see cref="JaxMath.ErfInv"/>).</summary>
    /// <remarks>Not inlined, for the JIT's inlining limit (see <see cref="BitStream.Words{TLanes}"/>).</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static TLanes ErfInv<TLanes>(TLanes u) where TLanes : struct, ILanes<TLanes>
    {
        TLanes w = -Log1p(u * -u);
        TLanes below5 = TLanes.LessThan(w, TLanes.Splat(5f));
        TLanes wp = TLanes.Select(below5, w - TLanes.Splat(2.5f), TLanes.Sqrt(w) - TLanes.Splat(3f));
        TLanes p = TLanes.Select(below5, TLanes.SplatBits(0x32F16588), TLanes.SplatBits(0xB951F09B));
        p = Horner(p, wp, below5, 0x34B84B36, 0x38D3B56B);
        p = Horner(p, wp, below5, 0xB66C7357, 0x3AB0DC72);
        p = Horner(p, wp, below5, 0xB6935AC1, 0xBB70BDE7);
        p = Horner(p, wp, below5, 0x396532DB, 0x3BBC127B);
        p = Horner(p, wp, below5, 0xBAA45408, 0xBBF9C5D7);
        p = Horner(p, wp, below5, 0xBB88E4EF, 0x3C1AA57E);
        p = Horner(p, wp, below5, 0x3E7C8F63, 0x3F8036DB);
        p = Horner(p, wp, below5, 0x3FC02E2F, 0x40354F7E);
        TLanes edge = TLanes.Equals(TLanes.Abs(u), TLanes.Splat(1f));
        return TLanes.Select(edge, u * TLanes.Splat(float.PositiveInfinity), p * u);
    }

    /// <summary>XLA's float32 <c>log1p</c> for x in [-1, 0] (see <see cref="JaxMath.Log1p"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLanes Log1p<TLanes>(TLanes x) where TLanes : struct, ILanes<TLanes>
    {
        TLanes x2 = x * x;
        // Horner from 0: the first step is fma(0, x, c) = c exactly.
        TLanes num = TLanes.SplatBits(0x383DE04B), den = TLanes.SplatBits(0x3F800000);
        num = TLanes.FusedMultiplyAdd(num, x, TLanes.SplatBits(0x3EFF40C5)); den = TLanes.FusedMultiplyAdd(den, x, TLanes.SplatBits(0x417101AD));
        num = TLanes.FusedMultiplyAdd(num, x, TLanes.SplatBits(0x40D284FA)); den = TLanes.FusedMultiplyAdd(den, x, TLanes.SplatBits(0x42A6185B));
        num = TLanes.FusedMultiplyAdd(num, x, TLanes.SplatBits(0x41EF4B9C)); den = TLanes.FusedMultiplyAdd(den, x, TLanes.SplatBits(0x435DC32D));
        num = TLanes.FusedMultiplyAdd(num, x, TLanes.SplatBits(0x4273CC76)); den = TLanes.FusedMultiplyAdd(den, x, TLanes.SplatBits(0x439A8CA3));
        num = TLanes.FusedMultiplyAdd(num, x, TLanes.SplatBits(0x426473AD)); den = TLanes.FusedMultiplyAdd(den, x, TLanes.SplatBits(0x43586D8A));
        num = TLanes.FusedMultiplyAdd(num, x, TLanes.SplatBits(0x41A05101)); den = TLanes.FusedMultiplyAdd(den, x, TLanes.SplatBits(0x42707982));
        TLanes r = x * x2 * (num / den);
        TLanes small = x + (TLanes.Splat(-0.5f) * x2 + r);
        TLanes isSmall = TLanes.LessThan(TLanes.Abs(x), TLanes.SplatBits(0x3ED413CD));
        if (TLanes.All(isSmall)) return small;
        return TLanes.Select(isSmall, small, Log(x + TLanes.Splat(1f)));
    }

    /// <summary><see cref="JaxMath.Log"/> for y in [0, 1] (the large branch of <c>log1p</c>): XLA's float32 Cephes log.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLanes Log<TLanes>(TLanes y) where TLanes : struct, ILanes<TLanes>
    {
        TLanes one = TLanes.Splat(1f);
        TLanes x = TLanes.Max(y, TLanes.SplatBits(0x00800000));
        TLanes exponent = TLanes.SubtractU(TLanes.ShiftRightLogicalU(x, 23), TLanes.SplatBits(127));
        TLanes e = TLanes.ConvertInt32ToSingle(exponent) + one;
        TLanes m = (x & TLanes.SplatBits(0x807FFFFFu)) | TLanes.SplatBits(0x3F000000u);
        TLanes below = TLanes.LessThan(m, TLanes.SplatBits(0x3F3504F3));
        e -= below & one;
        m = m - one + (below & m);
        TLanes m2 = m * m, m3 = m2 * m;
        TLanes y0 = TLanes.FusedMultiplyAdd(m, TLanes.SplatBits(0x3D9021BB), TLanes.SplatBits(0xBDEBD1B8));
        TLanes y1 = TLanes.FusedMultiplyAdd(m, TLanes.SplatBits(0xBDFE5D4F), TLanes.SplatBits(0x3E11E9BF));
        TLanes y2 = TLanes.FusedMultiplyAdd(m, TLanes.SplatBits(0x3E4CCEAC), TLanes.SplatBits(0xBE7FFFFC));
        y0 = TLanes.FusedMultiplyAdd(y0, m, TLanes.SplatBits(0x3DEF251A));
        y1 = TLanes.FusedMultiplyAdd(y1, m, TLanes.SplatBits(0xBE2AAE50));
        y2 = TLanes.FusedMultiplyAdd(y2, m, TLanes.SplatBits(0x3EAAAAAA));
        y0 = TLanes.FusedMultiplyAdd(y0, m3, y1);
        y0 = TLanes.FusedMultiplyAdd(y0, m3, y2);
        y0 = TLanes.FusedMultiplyAdd(y0, m3, TLanes.SplatBits(0xB95E8083) * e);
        m -= TLanes.Splat(0.5f) * m2;
        m += y0;
        TLanes log = m + TLanes.SplatBits(0x3F318000) * e;
        return TLanes.Select(TLanes.Equals(y, TLanes.Splat(0f)), TLanes.Splat(float.NegativeInfinity), log);
    }

    /// <summary>One fused Horner step with the coefficient of the lane's branch (w &lt; 5 or not).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TLanes Horner<TLanes>(TLanes p, TLanes w, TLanes below5, uint below, uint from) where TLanes : struct, ILanes<TLanes> =>
        TLanes.FusedMultiplyAdd(p, w, TLanes.Select(below5, TLanes.SplatBits(below), TLanes.SplatBits(from)));
}
