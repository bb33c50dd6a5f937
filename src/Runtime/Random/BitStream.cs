using System;
using System.Runtime.CompilerServices;

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

    /// <summary>Words <paramref name="n"/> .. <paramref name="n"/> + <c>TLanes.Count</c> - 1.</summary>
    /// <remarks>
    /// Not inlined: the JIT inlines a limited number of small methods into one method, and Threefry plus <c>erf_inv</c>
    /// over a two-register block need more than that; past the limit it emits calls for the lane operations.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public TLanes Words<TLanes>(long n) where TLanes : struct, ILanes<TLanes>
    {
        TLanes first = TLanes.SplatBits((uint)n);
        TLanes lo = TLanes.AddU(first, TLanes.Indices);
        TLanes x0, x1, isFirst = default;
        if (!_legacy)
        {
            // The high word carries where the low word wrapped past 2^32 inside this block.
            x0 = TLanes.SubtractU(TLanes.SplatBits((uint)((ulong)n >> 32)), TLanes.LessThanU(lo, first));
            x1 = lo;
        }
        else
        {
            TLanes half = TLanes.SplatBits(_half);
            isFirst = TLanes.LessThanU(lo, half);
            TLanes partner = TLanes.AddU(lo, half);
            partner &= TLanes.LessThanU(partner, TLanes.SplatBits((uint)Count));
            x0 = TLanes.Select(isFirst, lo, TLanes.SubtractU(lo, half));
            x1 = TLanes.Select(isFirst, partner, lo);
        }
        // One Threefry expansion for both layouts keeps this method within the JIT's inlining limit.
        var (y0, y1) = ThreefryVector.Hash(_k0, _k1, x0, x1);
        return _legacy ? TLanes.Select(isFirst, y0, y1) : y0 ^ y1;
    }
}
