using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nnx;

/// <summary>
/// The 32-bit words of <c>random_bits(key, 32, shape)</c> for a shape of <see cref="Count"/> elements, in either
/// layout (docs/jax-random.md#random-bits). Word <c>n</c> can be computed on its own, so any range can be filled by any thread.
/// </summary>
internal readonly struct BitStream
{
    // Legacy streams of 2^32 - 1 words or more are cut into blocks under split keys (docs/jax-random.md#random-bits); not implemented.
    private const long LegacyLimit = uint.MaxValue - 1L;

    private readonly uint _k0, _k1;
    private readonly bool _legacy;
    private readonly uint _half;

    public BitStream(PrngKey key, BitsLayout layout, long count)
    {
        if (layout == BitsLayout.Legacy && count > LegacyLimit)
            throw new NotSupportedException(
                $"The legacy bits layout is implemented for up to {LegacyLimit} elements; this shape has {count}. Use BitsLayout.Partitionable (the JAX >= 0.5 default) for tensors this large.");
        if (layout is not (BitsLayout.Partitionable or BitsLayout.Legacy))
            throw new ArgumentOutOfRangeException(nameof(layout), layout, "Expected BitsLayout.Partitionable or BitsLayout.Legacy.");
        _k0 = key.K0;
        _k1 = key.K1;
        _legacy = layout == BitsLayout.Legacy;
        Count = count;
        _half = (uint)((count + 1) / 2);
    }

    public long Count { get; }

    /// <summary>Word <paramref name="n"/> of the stream.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint At(long n)
    {
        if (!_legacy)
        {
            var (y0, y1) = Threefry.Hash(_k0, _k1, (uint)((ulong)n >> 32), (uint)n);
            return y0 ^ y1;
        }
        // Legacy: counters 0..L-1 (odd L padded with a 0) split into halves X0 = [0, h), X1 = [h, L); the output is
        // concat(Y0, Y1), so word w < h is Y0 of the pair (w, w + h) and word w >= h is Y1 of (w - h, w).
        uint w = (uint)n;
        if (w < _half)
        {
            uint partner = w + _half;
            return Threefry.Hash(_k0, _k1, w, partner < Count ? partner : 0).Y0;
        }
        return Threefry.Hash(_k0, _k1, w - _half, w).Y1;
    }

    /// <summary>Words <paramref name="n"/> .. <paramref name="n"/> + 7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<uint> At256(long n)
    {
        Vector256<uint> lo = Vector256.Create((uint)n) + Vector256<uint>.Indices;
        if (!_legacy)
        {
            // The high word carries where the low word wrapped past 2^32 inside this vector.
            Vector256<uint> carry = Vector256.LessThan(lo, Vector256.Create((uint)n));
            Vector256<uint> hi = Vector256.Create((uint)((ulong)n >> 32)) - carry;
            var (y0, y1) = ThreefryVector.Hash(_k0, _k1, hi, lo);
            return y0 ^ y1;
        }
        Vector256<uint> half = Vector256.Create(_half);
        Vector256<uint> first = Vector256.LessThan(lo, half);
        Vector256<uint> partner = lo + half;
        partner &= Vector256.LessThan(partner, Vector256.Create((uint)Count));
        var (a, b) = ThreefryVector.Hash(_k0, _k1,
            Vector256.ConditionalSelect(first, lo, lo - half),
            Vector256.ConditionalSelect(first, partner, lo));
        return Vector256.ConditionalSelect(first, a, b);
    }

    /// <summary>Words <paramref name="n"/> .. <paramref name="n"/> + 15.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<uint> At512(long n)
    {
        Vector512<uint> lo = Vector512.Create((uint)n) + Vector512<uint>.Indices;
        if (!_legacy)
        {
            Vector512<uint> carry = Vector512.LessThan(lo, Vector512.Create((uint)n));
            Vector512<uint> hi = Vector512.Create((uint)((ulong)n >> 32)) - carry;
            var (y0, y1) = ThreefryVector.Hash(_k0, _k1, hi, lo);
            return y0 ^ y1;
        }
        Vector512<uint> half = Vector512.Create(_half);
        Vector512<uint> first = Vector512.LessThan(lo, half);
        Vector512<uint> partner = lo + half;
        partner &= Vector512.LessThan(partner, Vector512.Create((uint)Count));
        var (a, b) = ThreefryVector.Hash(_k0, _k1,
            Vector512.ConditionalSelect(first, lo, lo - half),
            Vector512.ConditionalSelect(first, partner, lo));
        return Vector512.ConditionalSelect(first, a, b);
    }
}
