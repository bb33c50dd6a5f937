using System;
using System.Threading.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// The CPU path of <see cref="Lookup.RowsInto"/>: copies table rows straight into the caller's output. TorchSharp
/// 0.107.0 binds no <c>index_select(..., out=)</c>, so this does what libtorch's CPU kernel does for a contiguous
/// table (one memcpy per id), without allocating an output.
/// </summary>
internal static unsafe class RowCopy
{
    // Below this many output bytes one thread is faster than handing work to the thread pool.
    private const long ParallelBytes = 1L << 22;

    public static bool CanCopy(Tensor table, Tensor ids, Tensor output) =>
        table.device_type == DeviceType.CPU && ids.device_type == DeviceType.CPU
        && table.is_contiguous() && ids.is_contiguous() && output.is_contiguous();

    /// <summary>
    /// Copies row <c>ids[i]</c> of <paramref name="table"/> to row i of <paramref name="output"/>. Under
    /// <see cref="OutOfRange.Throw"/> every id must already be known to be in range.
    /// </summary>
    public static void Gather(Tensor table, Tensor ids, Tensor output, long vocab, OutOfRange outOfRange)
    {
        long count = ids.numel();
        if (count == 0) return;
        long rowBytes = vocab == 0 ? 0 : table.numel() / vocab * table.ElementSize;
        if (rowBytes == 0) rowBytes = output.numel() / count * output.ElementSize;

        Tensor? fillRow = outOfRange == OutOfRange.Fill ? FillRow(table, output, count) : null;
        try
        {
            var job = new Job(
                (nint)TensorMemory.Pointer(table),
                (nint)TensorMemory.Pointer(ids),
                ids.dtype == ScalarType.Int64,
                (nint)TensorMemory.Pointer(output),
                fillRow is null ? 0 : (nint)TensorMemory.Pointer(fillRow),
                rowBytes, vocab, outOfRange);
            if (count * rowBytes < ParallelBytes || Environment.ProcessorCount == 1)
            {
                job.Run(0, count);
                return;
            }
            RunParallel(job, count);
        }
        finally
        {
            fillRow?.Dispose();
        }
    }

    // Its own method, so the closure is allocated only on this path, not on every small lookup.
    private static void RunParallel(Job job, long count)
    {
        int chunks = Math.Min(Environment.ProcessorCount, torch.get_num_threads());
        Parallel.For(0, chunks, chunk => job.Run(count * chunk / chunks, count * (chunk + 1) / chunks));
    }

    private static Tensor FillRow(Tensor table, Tensor output, long count)
    {
        long[] rowShape = output.shape[(int)(output.dim() - (table.dim() - 1))..];
        using Scalar fill = Lookup.FillValue(table.dtype);
        return torch.full(rowShape, fill, table.dtype);
    }

    private readonly record struct Job(nint Table, nint Ids, bool Int64Ids, nint Output, nint FillRow, long RowBytes, long Vocab, OutOfRange OutOfRange)
    {
        public void Run(long start, long end)
        {
            byte* table = (byte*)Table;
            byte* output = (byte*)Output + start * RowBytes;
            for (long i = start; i < end; i++, output += RowBytes)
            {
                long id = Int64Ids ? ((long*)Ids)[i] : ((int*)Ids)[i];
                long row = RowOf(id);
                byte* source = row >= 0 ? table + row * RowBytes : (byte*)FillRow;
                Buffer.MemoryCopy(source, output, RowBytes, RowBytes);
            }
        }

        // JAX's rules (see OutOfRange); -1 means a fill row.
        private long RowOf(long id)
        {
            if ((ulong)id < (ulong)Vocab) return id;
            long wrapped = id < 0 ? id + Vocab : id;
            if (OutOfRange == OutOfRange.JaxClamp) return Math.Clamp(wrapped, 0, Vocab - 1);
            return (ulong)wrapped < (ulong)Vocab ? wrapped : -1;
        }
    }
}
