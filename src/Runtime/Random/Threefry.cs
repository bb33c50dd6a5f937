using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nnx;

/// <summary>
/// Threefry-2x32 with 20 rounds, the block cipher behind JAX's default PRNG
/// (<c>jax/_src/random/threefry2x32.py</c>, Random123). All arithmetic wraps modulo 2^32.
/// </summary>
public static class Threefry
{
    // Key-schedule parity constant of Threefish/Threefry (Random123 SKEIN_KS_PARITY32).
    private const uint Parity = 0x1BD11BDA;

    /// <summary>Encrypts the counter <c>(x0, x1)</c> under the key <c>(k0, k1)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (uint Y0, uint Y1) Hash(uint k0, uint k1, uint x0, uint x1)
    {
        uint k2 = k0 ^ k1 ^ Parity;
        x0 += k0; x1 += k1;
        Rounds13_15_26_6(ref x0, ref x1); x0 += k1; x1 += k2 + 1;
        Rounds17_29_16_24(ref x0, ref x1); x0 += k2; x1 += k0 + 2;
        Rounds13_15_26_6(ref x0, ref x1); x0 += k0; x1 += k1 + 3;
        Rounds17_29_16_24(ref x0, ref x1); x0 += k1; x1 += k2 + 4;
        Rounds13_15_26_6(ref x0, ref x1); x0 += k2; x1 += k0 + 5;
        return (x0, x1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rounds13_15_26_6(ref uint x0, ref uint x1)
    {
        x0 += x1; x1 = BitOperations.RotateLeft(x1, 13) ^ x0;
        x0 += x1; x1 = BitOperations.RotateLeft(x1, 15) ^ x0;
        x0 += x1; x1 = BitOperations.RotateLeft(x1, 26) ^ x0;
        x0 += x1; x1 = BitOperations.RotateLeft(x1, 6) ^ x0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rounds17_29_16_24(ref uint x0, ref uint x1)
    {
        x0 += x1; x1 = BitOperations.RotateLeft(x1, 17) ^ x0;
        x0 += x1; x1 = BitOperations.RotateLeft(x1, 29) ^ x0;
        x0 += x1; x1 = BitOperations.RotateLeft(x1, 16) ^ x0;
        x0 += x1; x1 = BitOperations.RotateLeft(x1, 24) ^ x0;
    }
}
