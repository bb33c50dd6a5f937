using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace Nnx.Benchmarks;

/// <summary>
/// Times peers in alternation: each round runs every peer once, and a figure is the median over rounds of a ratio
/// within a round, so a change in machine load hits both sides of the ratio. Used by the <c>--paired</c> modes.
/// </summary>
internal static class PairedTiming
{
    /// <summary>Seconds per call, [round][peer].</summary>
    public static double[][] Measure(Action[] calls, int rounds)
    {
        // Each peer first runs for 0.3 s, so the JIT's tiering has finished before anything is timed. Each sample is a
        // batch of calls lasting about 5 ms (sized from the fastest of a few timed calls, so one descheduling does not
        // shrink it). Peers are visited in a fresh random order each round: libtorch's OpenMP workers spin for a while
        // after a parallel op, so a fixed order would always hand the same peer a busy second core.
        foreach (Action call in calls)
            for (var warmup = Stopwatch.StartNew(); warmup.Elapsed.TotalSeconds < 0.3;)
                call();
        var random = new System.Random(7);
        int[] batch = calls.Select(call =>
        {
            double fastest = double.MaxValue;
            for (int i = 0; i < 5; i++)
            {
                var clock = Stopwatch.StartNew();
                call();
                fastest = Math.Min(fastest, clock.Elapsed.TotalSeconds);
            }
            return (int)Math.Clamp(5e-3 / Math.Max(fastest, 1e-7), 1, 50_000);
        }).ToArray();
        var result = new double[rounds][];
        for (int round = 0; round < rounds; round++)
        {
            result[round] = new double[calls.Length];
            int[] order = Enumerable.Range(0, calls.Length).ToArray();
            random.Shuffle(order);
            foreach (int i in order)
            {
                var clock = Stopwatch.StartNew();
                for (int n = 0; n < batch[i]; n++) calls[i]();
                result[round][i] = clock.Elapsed.TotalSeconds / batch[i];
            }
        }
        return result;
    }

    /// <summary>The middle value (the upper one of an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.OrderBy(v => v).ToArray();
        return sorted[sorted.Length / 2];
    }
}
