using System;
using System.Runtime.Intrinsics;
using System.Threading.Tasks;

namespace Nnx;

/// <summary>
/// Fills memory from a <see cref="BitStream"/>: the vector path of the CPU (or the one asked for), chunks spread over
/// all cores for large outputs. Element n is always word n of the stream, whatever the chunking.
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
