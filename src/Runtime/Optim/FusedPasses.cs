using System.Numerics;

namespace Nnx;

/// <summary>
/// Runs an <see cref="UpdateKernel{T}"/> over a whole parameter: a dense gradient in one pass, or a table's summed
/// row gradients, either over every row (the untouched ones with a zero gradient that is never read) or over the
/// touched rows only. Ranges are split across workers; the result does not depend on the split.
/// </summary>
internal static unsafe class FusedPasses
{
    /// <summary>Every element with its gradient.</summary>
    public static void Dense<T, TGrad>(UpdateKernel<T> kernel, T* p, TGrad grad, T* first, T* second, long n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TGrad : struct, IGradSource<T, TGrad>
    {
        ParallelRanges.For(n, 1, (start, end) => kernel.Run(p + start, grad.From(start), first + start, second + start, end - start));
    }

    /// <summary>
    /// Every row, as with the dense gradient: each run of untouched rows in one call with a zero gradient (they are
    /// contiguous in the parameter and its moments), each touched row with its summed gradient.
    /// </summary>
    public static void EveryRow<T>(UpdateKernel<T> kernel, T* p, RowSums rows, T* first, T* second, long vocab, bool clip, T norm, T max)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long d = rows.RowElements;
        ParallelRanges.For(vocab, d, (start, end) =>
        {
            long row = start;
            while (row < end)
            {
                long untouched = row;
                while (untouched < end && rows.SlotOf(untouched) < 0) untouched++;
                if (untouched > row)
                    kernel.Run(p + row * d, default(ZeroGrad<T>), first + row * d, second + row * d, (untouched - row) * d);
                if (untouched < end) UpdateRow(kernel, p, rows, rows.SlotOf(untouched), untouched, first, second, clip, norm, max);
                row = untouched + 1;
            }
        });
    }

    /// <summary>The touched rows only.</summary>
    public static void TouchedRows<T>(UpdateKernel<T> kernel, T* p, RowSums rows, T* first, T* second, bool clip, T norm, T max)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ParallelRanges.For(rows.Count, rows.RowElements, (start, end) =>
        {
            for (long slot = start; slot < end; slot++)
                UpdateRow(kernel, p, rows, (int)slot, rows.RowOf((int)slot), first, second, clip, norm, max);
        });
    }

    private static void UpdateRow<T>(UpdateKernel<T> kernel, T* p, RowSums rows, int slot, long row, T* first, T* second, bool clip, T norm, T max)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long d = rows.RowElements, offset = row * d;
        var gradient = new RowGrad<T>(rows.Gradient<T>(slot));
        if (clip) kernel.Run(p + offset, new ClippedGrad<T, RowGrad<T>>(gradient, norm, max), first + offset, second + offset, d);
        else kernel.Run(p + offset, gradient, first + offset, second + offset, d);
    }
}
