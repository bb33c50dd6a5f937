using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nnx;

/// <summary>
/// <see cref="Threefry.Hash"/> on 8 or 16 counters at once (same key), lane for lane the same 20 rounds.
/// </summary>
internal static class ThreefryVector
{
    private const uint Parity = 0x1BD11BDA;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<uint> Y0, Vector256<uint> Y1) Hash(uint k0, uint k1, Vector256<uint> x0, Vector256<uint> x1)
    {
        uint k2 = k0 ^ k1 ^ Parity;
        x0 += Vector256.Create(k0); x1 += Vector256.Create(k1);
        Rounds13_15_26_6(ref x0, ref x1); x0 += Vector256.Create(k1); x1 += Vector256.Create(k2 + 1);
        Rounds17_29_16_24(ref x0, ref x1); x0 += Vector256.Create(k2); x1 += Vector256.Create(k0 + 2);
        Rounds13_15_26_6(ref x0, ref x1); x0 += Vector256.Create(k0); x1 += Vector256.Create(k1 + 3);
        Rounds17_29_16_24(ref x0, ref x1); x0 += Vector256.Create(k1); x1 += Vector256.Create(k2 + 4);
        Rounds13_15_26_6(ref x0, ref x1); x0 += Vector256.Create(k2); x1 += Vector256.Create(k0 + 5);
        return (x0, x1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<uint> Y0, Vector512<uint> Y1) Hash(uint k0, uint k1, Vector512<uint> x0, Vector512<uint> x1)
    {
        uint k2 = k0 ^ k1 ^ Parity;
        x0 += Vector512.Create(k0); x1 += Vector512.Create(k1);
        Rounds13_15_26_6(ref x0, ref x1); x0 += Vector512.Create(k1); x1 += Vector512.Create(k2 + 1);
        Rounds17_29_16_24(ref x0, ref x1); x0 += Vector512.Create(k2); x1 += Vector512.Create(k0 + 2);
        Rounds13_15_26_6(ref x0, ref x1); x0 += Vector512.Create(k0); x1 += Vector512.Create(k1 + 3);
        Rounds17_29_16_24(ref x0, ref x1); x0 += Vector512.Create(k1); x1 += Vector512.Create(k2 + 4);
        Rounds13_15_26_6(ref x0, ref x1); x0 += Vector512.Create(k2); x1 += Vector512.Create(k0 + 5);
        return (x0, x1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rounds13_15_26_6(ref Vector256<uint> x0, ref Vector256<uint> x1)
    {
        x0 += x1; x1 = Rotl(x1, 13) ^ x0;
        x0 += x1; x1 = Rotl(x1, 15) ^ x0;
        x0 += x1; x1 = Rotl(x1, 26) ^ x0;
        x0 += x1; x1 = Rotl(x1, 6) ^ x0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rounds17_29_16_24(ref Vector256<uint> x0, ref Vector256<uint> x1)
    {
        x0 += x1; x1 = Rotl(x1, 17) ^ x0;
        x0 += x1; x1 = Rotl(x1, 29) ^ x0;
        x0 += x1; x1 = Rotl(x1, 16) ^ x0;
        x0 += x1; x1 = Rotl(x1, 24) ^ x0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rounds13_15_26_6(ref Vector512<uint> x0, ref Vector512<uint> x1)
    {
        x0 += x1; x1 = Rotl(x1, 13) ^ x0;
        x0 += x1; x1 = Rotl(x1, 15) ^ x0;
        x0 += x1; x1 = Rotl(x1, 26) ^ x0;
        x0 += x1; x1 = Rotl(x1, 6) ^ x0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rounds17_29_16_24(ref Vector512<uint> x0, ref Vector512<uint> x1)
    {
        x0 += x1; x1 = Rotl(x1, 17) ^ x0;
        x0 += x1; x1 = Rotl(x1, 29) ^ x0;
        x0 += x1; x1 = Rotl(x1, 16) ^ x0;
        x0 += x1; x1 = Rotl(x1, 24) ^ x0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Rotl(Vector256<uint> x, [ConstantExpected] int r) =>
        Vector256.ShiftLeft(x, r) | Vector256.ShiftRightLogical(x, 32 - r);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Rotl(Vector512<uint> x, [ConstantExpected] int r) =>
        Vector512.ShiftLeft(x, r) | Vector512.ShiftRightLogical(x, 32 - r);
}
