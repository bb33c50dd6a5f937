using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace Nnx.Benchmarks.CompileTime;

/// <summary>
/// Rounds of whole builds for the compile-time modes: each round runs every peer once, in a fresh random order, after
/// a full garbage collection, and figures are quantiles over rounds of ratios within a round. A build takes seconds,
/// so there is no batching (unlike <see cref="PairedTiming"/>).
/// </summary>
internal static class BuildRounds
{
    /// <summary>Seconds per call, [round][peer], after one untimed call of each peer.</summary>
    public static double[][] Measure(IReadOnlyList<Action> calls, int rounds, int seed)
    {
        foreach (Action call in calls) call();
        var random = new System.Random(seed);
        var seconds = new double[rounds][];
        for (int round = 0; round < rounds; round++)
        {
            seconds[round] = new double[calls.Count];
            int[] order = Enumerable.Range(0, calls.Count).ToArray();
            random.Shuffle(order);
            foreach (int i in order)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var clock = Stopwatch.StartNew();
                calls[i]();
                seconds[round][i] = clock.Elapsed.TotalSeconds;
            }
        }
        return seconds;
    }

    public static double Quantile(IEnumerable<double> values, double q)
    {
        double[] sorted = values.OrderBy(v => v).ToArray();
        return sorted[(int)Math.Round(q * (sorted.Length - 1))];
    }

    public static double Median(IEnumerable<double> values) => Quantile(values, 0.5);

    /// <summary><c>median (first quartile-third quartile)</c>, three decimals.</summary>
    public static string Spread(IEnumerable<double> values)
    {
        double[] v = values.ToArray();
        return $"{Quantile(v, 0.5):0.000} ({Quantile(v, 0.25):0.000}-{Quantile(v, 0.75):0.000})";
    }
}
