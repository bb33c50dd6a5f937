using System.Numerics;

namespace Nnx;

/// <summary>
/// Finds the first token id outside <c>[0, vocab)</c> in a contiguous block of ids. This is the range check on every
/// lookup, so it is vectorised: one unsigned compare per id (a negative id reads as a huge unsigned one).
/// </summary>
internal static unsafe class IdScan
{
    /// <summary>Position of the first Int64 id outside <c>[0, vocab)</c>, or -1.</summary>
    public static long FirstOutOfRange(long* ids, long count, long vocab)
    {
        ulong bound = (ulong)vocab;
        long i = 0;
        if (Vector.IsHardwareAccelerated && count >= Vector<ulong>.Count)
        {
            var limit = new Vector<ulong>(bound);
            for (; i <= count - Vector<ulong>.Count; i += Vector<ulong>.Count)
            {
                if (Vector.GreaterThanOrEqualAny(Vector.Load((ulong*)ids + i), limit))
                    return i + FirstOutOfRangeScalar(ids + i, Vector<ulong>.Count, vocab);
            }
        }
        long rest = FirstOutOfRangeScalar(ids + i, count - i, vocab);
        return rest < 0 ? -1 : i + rest;
    }

    /// <summary>Position of the first Int32 id outside <c>[0, vocab)</c>, or -1.</summary>
    public static long FirstOutOfRange(int* ids, long count, long vocab)
    {
        // Int32 ids never exceed int.MaxValue, so a vocabulary above 2^31 only rules out negative ids.
        uint bound = (uint)System.Math.Min(vocab, 1L << 31);
        long i = 0;
        if (Vector.IsHardwareAccelerated && count >= Vector<uint>.Count)
        {
            var limit = new Vector<uint>(bound);
            for (; i <= count - Vector<uint>.Count; i += Vector<uint>.Count)
            {
                if (Vector.GreaterThanOrEqualAny(Vector.Load((uint*)ids + i), limit))
                    return i + FirstOutOfRangeScalar(ids + i, Vector<uint>.Count, vocab);
            }
        }
        long rest = FirstOutOfRangeScalar(ids + i, count - i, vocab);
        return rest < 0 ? -1 : i + rest;
    }

    /// <summary>The scalar twin of <see cref="FirstOutOfRange(long*, long, long)"/>, which it is tested against.</summary>
    public static long FirstOutOfRangeScalar(long* ids, long count, long vocab)
    {
        for (long i = 0; i < count; i++)
            if ((ulong)ids[i] >= (ulong)vocab) return i;
        return -1;
    }

    /// <summary>The scalar twin of <see cref="FirstOutOfRange(int*, long, long)"/>, which it is tested against.</summary>
    public static long FirstOutOfRangeScalar(int* ids, long count, long vocab)
    {
        for (long i = 0; i < count; i++)
            if ((ulong)(long)ids[i] >= (ulong)vocab) return i;
        return -1;
    }
}
