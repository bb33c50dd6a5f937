using System;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// The CPU path of <see cref="Lookup.RowsInto"/>: copies table rows straight into the caller's output. TorchSharp
/// 0.107.0 binds no <c>index_select(..., out=)</c>, so this does what libtorch's CPU kernel does for a contiguous
/// table (one row copy per id), without allocating an output.
/// </summary>
internal static unsafe class RowCopy
{
    // Below this many output bytes one thread is faster than handing work to the thread pool (measured: at 1 MB the
    // pool's start-up costs more than the second core saves; at 12 MB two threads take 0.6x the time of one).
    private const long ParallelBytes = 1L << 22;

    // From this many output bytes on, rows are prefetched ahead and written with non-temporal stores: an output this
    // large does not stay in cache for its consumer anyway, and skipping the read-for-ownership of every line made
    // the 200 MB case about 1.3x faster. At 1 MB both cost more than they save (docs/benchmarks.md, section 2).
    private const long LargeBytes = 1L << 23;

    // How many ids ahead the row to copy next is prefetched: enough to cover a DRAM miss at a few ns per row.
    private const int PrefetchDistance = 8;

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

        Tensor? fillRow = outOfRange == OutOfRange.Fill ? FillRow(table, output) : null;
        try
        {
            long outputBytes = count * rowBytes;
            var job = new Job(
                (nint)TensorMemory.Pointer(table),
                (nint)TensorMemory.Pointer(ids),
                ids.dtype == ScalarType.Int64,
                (nint)TensorMemory.Pointer(output),
                fillRow is null ? 0 : (nint)TensorMemory.Pointer(fillRow),
                rowBytes, vocab, outOfRange,
                outputBytes >= LargeBytes);
            if (outputBytes < ParallelBytes || Environment.ProcessorCount == 1)
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

    private static Tensor FillRow(Tensor table, Tensor output)
    {
        long[] rowShape = output.shape[(int)(output.dim() - (table.dim() - 1))..];
        using Scalar fill = Lookup.FillValue(table.dtype);
        return torch.full(rowShape, fill, table.dtype);
    }

    private readonly record struct Job(
        nint Table, nint Ids, bool Int64Ids, nint Output, nint FillRow, long RowBytes, long Vocab, OutOfRange OutOfRange, bool Large)
    {
        public void Run(long start, long end)
        {
            // Locals, not fields: writes through the output pointer could alias `this`, which would make the JIT
            // reload every field on every row.
            var rows = new Rows((byte*)Table, (byte*)FillRow, RowBytes, Vocab, OutOfRange);
            byte* output = (byte*)Output + start * RowBytes;
            if (Int64Ids) Copy(rows, (long*)Ids, start, end, output, Large);
            else Copy(rows, (int*)Ids, start, end, output, Large);
        }

        private static void Copy<TId>(Rows rows, TId* ids, long start, long end, byte* output, bool large)
            where TId : unmanaged
        {
            long rowBytes = rows.RowBytes;
            if (!large)
            {
                for (long i = start; i < end; i++, output += rowBytes)
                    RowCopier.Copy(rows.Source(ToLong(ids[i])), output, rowBytes);
                return;
            }
            bool stream = RowCopier.CanStreamTo(output, rowBytes);
            for (long i = start; i < end; i++, output += rowBytes)
            {
                if (i + PrefetchDistance < end) RowCopier.Prefetch(rows.Source(ToLong(ids[i + PrefetchDistance])), rowBytes);
                byte* source = rows.Source(ToLong(ids[i]));
                if (stream) RowCopier.CopyStreaming(source, output, rowBytes);
                else RowCopier.Copy(source, output, rowBytes);
            }
            if (stream) RowCopier.FenceStreamingStores();
        }

        // The JIT specialises this per id type and drops the untaken branch.
        private static long ToLong<TId>(TId id) where TId : unmanaged =>
            typeof(TId) == typeof(long) ? Unsafe.As<TId, long>(ref id) : Unsafe.As<TId, int>(ref id);
    }

    /// <summary>Where the row for an id is: a table row, or the fill row (JAX's rules, see <see cref="OutOfRange"/>).</summary>
    private readonly struct Rows(byte* table, byte* fillRow, long rowBytes, long vocab, OutOfRange outOfRange)
    {
        public long RowBytes => rowBytes;

        public byte* Source(long id)
        {
            if ((ulong)id < (ulong)vocab) return table + id * rowBytes;
            long wrapped = id < 0 ? id + vocab : id;
            if (outOfRange == OutOfRange.JaxClamp) return table + Math.Clamp(wrapped, 0, vocab - 1) * rowBytes;
            return (ulong)wrapped < (ulong)vocab ? table + wrapped * rowBytes : fillRow;
        }
    }
}
