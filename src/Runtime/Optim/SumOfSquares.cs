using System;
using System.Linq;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace Nnx;

/// <summary>
/// The squared L2 norm of gradients for <c>clip_by_global_norm</c>, in double precision. A gradient is summed row by
/// row (a row: the elements under one index of the first dimension), rows in order within fixed chunks of rows, and
/// chunk totals in order. So the result does not depend on the number of threads, and a table's dense gradient and
/// its touched rows alone (<see cref="RowSums"/>) give the same sum bit for bit: an untouched row adds an exact 0.
/// </summary>
internal static unsafe class SumOfSquares
{
    private const long ChunkElements = 1 << 16;

    /// <summary>The sum of squares of <paramref name="rows"/> rows of <paramref name="rowElements"/> elements.</summary>
    public static double OfRows<T>(T* x, long rows, long rowElements) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long chunkRows = ChunkRows(rowElements);
        long chunks = (rows + chunkRows - 1) / chunkRows;
        var partial = new double[chunks];
        ParallelRanges.For(chunks, chunkRows * rowElements, (start, end) =>
        {
            for (long c = start; c < end; c++)
            {
                double sum = 0;
                for (long row = c * chunkRows; row < Math.Min(rows, (c + 1) * chunkRows); row++) sum += Row(x + row * rowElements, rowElements);
                partial[c] = sum;
            }
        });
        double total = 0;
        foreach (double sum in partial) total += sum;
        return total;
    }

    /// <summary>The sum of squares of the summed row gradients, equal to <see cref="OfRows"/> over the dense gradient.</summary>
    public static double OfTouchedRows<T>(RowSums rows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long d = rows.RowElements, chunkRows = ChunkRows(d);
        int[] slots = Enumerable.Range(0, rows.Count).ToArray();
        Array.Sort(slots, (a, b) => rows.RowOf(a).CompareTo(rows.RowOf(b)));
        double total = 0, sum = 0;
        long chunk = -1;
        foreach (int slot in slots)
        {
            long rowChunk = rows.RowOf(slot) / chunkRows;
            if (rowChunk != chunk)
            {
                total += sum;
                (sum, chunk) = (0, rowChunk);
            }
            sum += Row(rows.Gradient<T>(slot), d);
        }
        return total + sum;
    }

    private static long ChunkRows(long rowElements) => Math.Max(1, ChunkElements / Math.Max(1, rowElements));

    // The fused path runs float and double parameters only.
    private static double Row<T>(T* x, long n) where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Floats((float*)x, n) : Doubles((double*)x, n);

    private static double Floats(float* x, long n)
    {
        long i = 0;
        Vector256<double> low = Vector256<double>.Zero, high = Vector256<double>.Zero;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= n; i += 8)
            {
                (Vector256<double> a, Vector256<double> b) = Vector256.Widen(Vector256.Load(x + i));
                low += a * a;
                high += b * b;
            }
        double sum = Vector256.Sum(low + high);
        for (; i < n; i++) sum += (double)x[i] * x[i];
        return sum;
    }

    private static double Doubles(double* x, long n)
    {
        long i = 0;
        Vector256<double> acc = Vector256<double>.Zero;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 4 <= n; i += 4)
            {
                Vector256<double> a = Vector256.Load(x + i);
                acc += a * a;
            }
        double sum = Vector256.Sum(acc);
        for (; i < n; i++) sum += x[i] * x[i];
        return sum;
    }
}
