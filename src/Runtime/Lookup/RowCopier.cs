using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nnx;

/// <summary>
/// Copies one table row with inline vector moves. A lookup copies many short rows (256 bytes for dModel = 64), where
/// the call and size dispatch of <c>Buffer.MemoryCopy</c> cost as much as the copy itself.
/// </summary>
internal static unsafe class RowCopier
{
    private const int VectorBytes = 32;

    /// <summary>Copies <paramref name="bytes"/> bytes; the ranges must not overlap.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(byte* source, byte* destination, long bytes)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            Buffer.MemoryCopy(source, destination, bytes, bytes);
            return;
        }
        long i = 0;
        for (; i + 4 * VectorBytes <= bytes; i += 4 * VectorBytes)
        {
            // All loads before any store, so the four moves overlap in the pipeline.
            var a = Vector256.Load(source + i);
            var b = Vector256.Load(source + i + VectorBytes);
            var c = Vector256.Load(source + i + 2 * VectorBytes);
            var d = Vector256.Load(source + i + 3 * VectorBytes);
            a.Store(destination + i);
            b.Store(destination + i + VectorBytes);
            c.Store(destination + i + 2 * VectorBytes);
            d.Store(destination + i + 3 * VectorBytes);
        }
        for (; i + VectorBytes <= bytes; i += VectorBytes)
            Vector256.Load(source + i).Store(destination + i);
        if (i < bytes) Buffer.MemoryCopy(source + i, destination + i, bytes - i, bytes - i);
    }

    /// <summary>Whether rows of <paramref name="rowBytes"/> can be written to <paramref name="destination"/> with
    /// non-temporal stores, which need every row start aligned to a vector.</summary>
    public static bool CanStreamTo(byte* destination, long rowBytes) =>
        Avx.IsSupported && (nint)destination % VectorBytes == 0 && rowBytes % VectorBytes == 0;

    /// <summary>
    /// <see cref="Copy"/> with non-temporal stores, which bypass the cache and skip reading each destination line
    /// before writing it. Only where <see cref="CanStreamTo"/> holds; call <see cref="FenceStreamingStores"/> after
    /// the last row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CopyStreaming(byte* source, byte* destination, long bytes)
    {
        long i = 0;
        for (; i + 4 * VectorBytes <= bytes; i += 4 * VectorBytes)
        {
            var a = Vector256.Load(source + i);
            var b = Vector256.Load(source + i + VectorBytes);
            var c = Vector256.Load(source + i + 2 * VectorBytes);
            var d = Vector256.Load(source + i + 3 * VectorBytes);
            Avx.StoreAlignedNonTemporal(destination + i, a);
            Avx.StoreAlignedNonTemporal(destination + i + VectorBytes, b);
            Avx.StoreAlignedNonTemporal(destination + i + 2 * VectorBytes, c);
            Avx.StoreAlignedNonTemporal(destination + i + 3 * VectorBytes, d);
        }
        for (; i < bytes; i += VectorBytes)
            Avx.StoreAlignedNonTemporal(destination + i, Vector256.Load(source + i));
    }

    /// <summary>Orders non-temporal stores before anything this thread does next (they are weakly ordered).</summary>
    public static void FenceStreamingStores()
    {
        if (Sse.IsSupported) Sse.StoreFence();
    }

    /// <summary>Asks for every cache line of a row that will be copied soon.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch(byte* row, long bytes)
    {
        if (!Sse.IsSupported) return;
        for (long i = 0; i < bytes; i += 64)
            Sse.Prefetch0(row + i);
    }
}
