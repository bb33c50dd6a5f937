using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Nnx;

/// <summary>
/// <see cref="Threefry.Hash"/> on a block of lanes at once (same key), lane for lane the same 20 rounds.
/// </summary>
internal static class ThreefryVector
{
    private const uint Parity = 0x1BD11BDA;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (TLanes Y0, TLanes Y1) Hash<TLanes>(uint k0, uint k1, TLanes x0, TLanes x1)
        where TLanes : struct, ILanes<TLanes>
    {
        uint k2 = k0 ^ k1 ^ Parity;
        x0 = TLanes.AddU(x0, TLanes.SplatBits(k0)); x1 = TLanes.AddU(x1, TLanes.SplatBits(k1));
        Rounds13_15_26_6(ref x0, ref x1); Inject(ref x0, ref x1, k1, k2 + 1);
        Rounds17_29_16_24(ref x0, ref x1); Inject(ref x0, ref x1, k2, k0 + 2);
        Rounds13_15_26_6(ref x0, ref x1); Inject(ref x0, ref x1, k0, k1 + 3);
        Rounds17_29_16_24(ref x0, ref x1); Inject(ref x0, ref x1, k1, k2 + 4);
        Rounds13_15_26_6(ref x0, ref x1); Inject(ref x0, ref x1, k2, k0 + 5);
        return (x0, x1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Inject<TLanes>(ref TLanes x0, ref TLanes x1, uint a, uint b) where TLanes : struct, ILanes<TLanes>
    {
        x0 = TLanes.AddU(x0, TLanes.SplatBits(a));
        x1 = TLanes.AddU(x1, TLanes.SplatBits(b));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rounds13_15_26_6<TLanes>(ref TLanes x0, ref TLanes x1) where TLanes : struct, ILanes<TLanes>
    {
        Round(ref x0, ref x1, 13);
        Round(ref x0, ref x1, 15);
        Round(ref x0, ref x1, 26);
        Round(ref x0, ref x1, 6);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rounds17_29_16_24<TLanes>(ref TLanes x0, ref TLanes x1) where TLanes : struct, ILanes<TLanes>
    {
        Round(ref x0, ref x1, 17);
        Round(ref x0, ref x1, 29);
        Round(ref x0, ref x1, 16);
        Round(ref x0, ref x1, 24);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round<TLanes>(ref TLanes x0, ref TLanes x1, [ConstantExpected] byte rotation) where TLanes : struct, ILanes<TLanes>
    {
        x0 = TLanes.AddU(x0, x1);
        x1 = TLanes.RotateLeftU(x1, rotation) ^ x0;
    }
}
