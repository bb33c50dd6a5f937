using System;
using System.Threading.Tasks;
using TorchSharp;

namespace Nnx;

/// <summary>Splits element-wise work into one contiguous range per worker when it is large enough to pay for the fan-out.</summary>
internal static class ParallelRanges
{
    /// <summary>
    /// Below this many elements one thread is enough: an Adam update of 64K floats moves 1.8 MB, some 60 µs at the
    /// 29 GB/s one thread reaches (docs/benchmarks.md, section 7), several times what handing half of it to the thread
    /// pool costs.
    /// </summary>
    public const long ParallelElements = 1 << 16;

    /// <summary>As many workers as libtorch uses (its thread setting), at most one per core.</summary>
    public static int Workers => Math.Max(1, Math.Min(Environment.ProcessorCount, torch.get_num_threads()));

    /// <summary>Runs <paramref name="range"/> over [0, <paramref name="n"/>), in parallel from <see cref="ParallelElements"/>.</summary>
    /// <param name="n">The number of items.</param>
    /// <param name="elementsPerItem">Elements each item stands for (a row's width), for the threshold.</param>
    /// <param name="range">Processes items [start, end).</param>
    public static void For(long n, long elementsPerItem, Action<long, long> range)
    {
        int workers = n * elementsPerItem < ParallelElements ? 1 : (int)Math.Min(Workers, n);
        if (workers <= 1)
        {
            if (n > 0) range(0, n);
            return;
        }
        Parallel.For(0, workers, w => range(n * w / workers, n * (w + 1) / workers));
    }
}
