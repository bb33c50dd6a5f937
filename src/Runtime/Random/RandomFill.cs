using System;
using System.Runtime.Intrinsics;
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
        ForChunks(stream.Count, parallel, (start, end) => FloatRange(stream, data, start, end, map, path));
    }

    public static void Words(BitStream stream, uint* data, SimdPath path, bool parallel) =>
        ForChunks(stream.Count, parallel, (start, end) =>
        {
            long i = start;
            if (path == SimdPath.Vector512)
                for (; i + 16 <= end; i += 16) stream.At512(i).Store(data + i);
            else if (path == SimdPath.Vector256)
                for (; i + 8 <= end; i += 8) stream.At256(i).Store(data + i);
            for (; i < end; i++) data[i] = stream.At(i);
        });

    /// <summary>Bytes 1 where word n, as a uniform in [0, 1), is below <paramref name="threshold"/> · 2^-23.</summary>
    public static void BelowThreshold(BitStream stream, byte* data, uint threshold, SimdPath path, bool parallel) =>
        ForChunks(stream.Count, parallel, (start, end) =>
        {
            long i = start;
            if (path != SimdPath.Scalar)
            {
                Vector256<uint> limit = Vector256.Create(threshold);
                for (; i + 8 <= end; i += 8)
                {
                    uint below = Vector256.LessThan(Vector256.ShiftRightLogical(stream.At256(i), 9), limit).ExtractMostSignificantBits();
                    for (int j = 0; j < 8; j++) data[i + j] = (byte)((below >> j) & 1);
                }
            }
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
            if (stream.Legacy) LegacyHalfRange(stream, data, table, shift, start, end);
            else PartitionableHalfRange(stream, data, table, shift, start, end, path);
        });
    }

    private static void PartitionableHalfRange(NarrowBitStream stream, ushort* data, ushort[] table, int shift, long start, long end, SimdPath path)
    {
        long i = start;
        if (path == SimdPath.Vector512)
        {
            Vector512<uint> mask = Vector512.Create(stream.Mask);
            for (; i + 16 <= end; i += 16)
            {
                Vector512<uint> m = Vector512.ShiftRightLogical(stream.Words.At512(i) & mask, shift);
                for (int j = 0; j < 16; j++) data[i + j] = table[m.GetElement(j)];
            }
        }
        else if (path == SimdPath.Vector256)
        {
            Vector256<uint> mask = Vector256.Create(stream.Mask);
            for (; i + 8 <= end; i += 8)
            {
                Vector256<uint> m = Vector256.ShiftRightLogical(stream.Words.At256(i) & mask, shift);
                for (int j = 0; j < 8; j++) data[i + j] = table[m.GetElement(j)];
            }
        }
        for (; i < end; i++) data[i] = table[stream.At(i) >> shift];
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

    private static void FloatRange<TMap>(BitStream stream, float* data, long start, long end, TMap map, SimdPath path)
        where TMap : struct, IFloatMap
    {
        long i = start;
        if (path == SimdPath.Vector512)
            for (; i + 16 <= end; i += 16) map.Map(stream.At512(i)).Store(data + i);
        else if (path == SimdPath.Vector256)
            for (; i + 8 <= end; i += 8) map.Map(stream.At256(i)).Store(data + i);
        for (; i < end; i++) data[i] = map.Map(stream.At(i));
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
