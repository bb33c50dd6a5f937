using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace Nnx.Benchmarks.Optim;

/// <summary>
/// A peer that runs a given number of calls and says how long they took: in this process (timed with a stopwatch)
/// or in the Python peer process (timed there with <c>time.perf_counter</c>, so the pipe between the two costs neither).
/// </summary>
internal sealed record TimedPeer(string Name, Func<int, double> Run)
{
    /// <summary>A peer in this process.</summary>
    public static TimedPeer Local(string name, Action call) => new(name, calls =>
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < calls; i++) call();
        return clock.Elapsed.TotalSeconds;
    });

    /// <summary>
    /// Seconds per call, [round][peer], with <see cref="PairedTiming"/>'s method: a 0.3 s warm-up per peer, batches of
    /// calls lasting about 5 ms, and every peer once per round in a fresh random order. Peers in the Python process
    /// take part in the same rounds, so both processes see the same machine load.
    /// </summary>
    public static double[][] Measure(IReadOnlyList<TimedPeer> peers, int rounds)
    {
        foreach (TimedPeer peer in peers)
            for (double spent = 0; spent < 0.3;) spent += peer.Run(1);
        int[] batch = peers.Select(peer =>
        {
            double fastest = Enumerable.Range(0, 5).Min(_ => peer.Run(1));
            return (int)Math.Clamp(5e-3 / Math.Max(fastest, 1e-7), 1, 50_000);
        }).ToArray();
        var random = new System.Random(7);
        var result = new double[rounds][];
        for (int round = 0; round < rounds; round++)
        {
            result[round] = new double[peers.Count];
            int[] order = Enumerable.Range(0, peers.Count).ToArray();
            random.Shuffle(order);
            foreach (int i in order) result[round][i] = peers[i].Run(batch[i]) / batch[i];
        }
        return result;
    }
}
