using System;
using System.Threading.Tasks;

namespace Nnx;

/// <summary>
/// Fills memory from a <see cref="BitStream"/>: the vector path of the CPU (or the one asked for), chunks spread over
/// all cores for large outputs. Element n is always element n of the stream, whatever the chunking.
/// </summary>
internal static unsafe class RandomFill
{
    // Below this many elements one thread is faster than the cost of fanning out.
    private const long ParallelThreshold = 1 << 16;
    private const int ChunkElements = 1 << 15;

    public static void Floats<TMap>(BitStream stream, float* data, TMap map, SimdPath path, bool parallel)
        where TMap : struct, IFloatMap
    {
        ForChunks(stream.Count, parallel, (start, end) =>
        {
            long i = path switch
            {
                SimdPath.Vector512 => FloatBlocks<Lanes512x2, TMap>(stream, data, map, start, end),
                SimdPath.Vector256 => FloatBlocks<Lanes256x2, TMap>(stream, data, map, start, end),
                _ => start,
            };
            for (; i < end; i++) data[i] = map.Map(stream.At(i));
        });
    }

    public static void Words(BitStream stream, uint* data, SimdPath path, bool parallel) =>
        ForChunks(stream.Count, parallel, (start, end) =>
        {
            long i = path switch
            {
                SimdPath.Vector512 => WordBlocks<Lanes512x2>(stream, data, start, end),
                SimdPath.Vector256 => WordBlocks<Lanes256x2>(stream, data, start, end),
                _ => start,
            };
            for (; i < end; i++) data[i] = stream.At(i);
        });

    /// <summary>Bytes 1 where word n, as a uniform in [0, 1), is below <paramref name="threshold"/> · 2^-23.</summary>
    public static void BelowThreshold(BitStream stream, byte* data, uint threshold, SimdPath path, bool parallel) =>
        ForChunks(stream.Count, parallel, (start, end) =>
        {
            long i = path switch
            {
                SimdPath.Vector512 => BelowThresholdBlocks<Lanes512x2>(stream, data, threshold, start, end),
                SimdPath.Vector256 => BelowThresholdBlocks<Lanes256x2>(stream, data, threshold, start, end),
                _ => start,
            };
            for (; i < end; i++) data[i] = (stream.At(i) >> 9) < threshold ? (byte)1 : (byte)0;
        });

    /// <summary>
    /// 16-bit values <c>table[m]</c> with <c>m = element bits &gt;&gt; shift</c> (the uniform's mantissa index), or the
    /// sampler's bits computed directly when the output is smaller than its table.
    /// </summary>
    public static void Halves(NarrowBitStream stream, ushort* data, HalfSampler sampler, SimdPath path, bool parallel)
    {
        int shift = sampler.Format.RandomBits - sampler.Format.MantissaBits;
        if (stream.Count < sampler.TableLength)
        {
            for (long i = 0; i < stream.Count; i++) data[i] = sampler.Bits((int)(stream.At(i) >> shift));
            return;
        }
        ushort[] table = sampler.Table();
        ForChunks(stream.Count, parallel, (start, end) =>
        {
            if (stream.Legacy)
            {
                LegacyHalfRange(stream, data, table, shift, start, end);
                return;
            }
            long i = path switch
            {
                SimdPath.Vector512 => HalfBlocks<Lanes512x2>(stream, data, table, shift, start, end),
                SimdPath.Vector256 => HalfBlocks<Lanes256x2>(stream, data, table, shift, start, end),
                _ => start,
            };
            for (; i < end; i++) data[i] = table[stream.At(i) >> shift];
        });
    }

    /// <summary>Fills whole blocks from <paramref name="start"/>; returns where the blocks stop.</summary>
    private static long FloatBlocks<TLanes, TMap>(BitStream stream, float* data, TMap map, long start, long end)
        where TLanes : struct, ILanes<TLanes>
        where TMap : struct, IFloatMap
    {
        long i = start;
        for (; i + TLanes.Count <= end; i += TLanes.Count) map.Map(stream.Words<TLanes>(i)).Store(data + i);
        return i;
    }

    private static long WordBlocks<TLanes>(BitStream stream, uint* data, long start, long end) where TLanes : struct, ILanes<TLanes>
    {
        long i = start;
        for (; i + TLanes.Count <= end; i += TLanes.Count) stream.Words<TLanes>(i).Store(data + i);
        return i;
    }

    private static long BelowThresholdBlocks<TLanes>(BitStream stream, byte* data, uint threshold, long start, long end)
        where TLanes : struct, ILanes<TLanes>
    {
        TLanes limit = TLanes.SplatBits(threshold);
        long i = start;
        for (; i + TLanes.Count <= end; i += TLanes.Count)
        {
            ulong below = TLanes.LessThanU(TLanes.ShiftRightLogicalU(stream.Words<TLanes>(i), 9), limit).ExtractMostSignificantBits();
            for (int j = 0; j < TLanes.Count; j++) data[i + j] = (byte)((below >> j) & 1);
        }
        return i;
    }

    private static long HalfBlocks<TLanes>(NarrowBitStream stream, ushort* data, ushort[] table, int shift, long start, long end)
        where TLanes : struct, ILanes<TLanes>
    {
        TLanes mask = TLanes.SplatBits(stream.Mask);
        uint* m = stackalloc uint[TLanes.Count];
        long i = start;
        for (; i + TLanes.Count <= end; i += TLanes.Count)
        {
            TLanes bits = stream.Words.Words<TLanes>(i) & mask;
            bits.Store(m);
            for (int j = 0; j < TLanes.Count; j++) data[i + j] = table[m[j] >> shift];
        }
        return i;
    }

    private static void LegacyHalfRange(NarrowBitStream stream, ushort* data, ushort[] table, int shift, long start, long end)
    {
        // One Threefry word serves PerWord consecutive elements.
        for (long i = start; i < end;)
        {
            uint word = stream.Words.At(i / stream.PerWord);
            for (int piece = (int)(i % stream.PerWord); piece < stream.PerWord && i < end; piece++, i++)
                data[i] = table[stream.Piece(word, piece) >> shift];
        }
    }

    private static void ForChunks(long n, bool parallel, Action<long, long> range)
    {
        if (!parallel || n < ParallelThreshold)
        {
            range(0, n);
            return;
        }
        long chunks = (n + ChunkElements - 1) / ChunkElements;
        Parallel.For(0L, chunks, c =>
        {
            long start = c * ChunkElements;
            range(start, Math.Min(start + ChunkElements, n));
        });
    }
}
