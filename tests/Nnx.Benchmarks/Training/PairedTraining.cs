using System;
using System.Linq;

namespace Nnx.Benchmarks.Training;

/// <summary>
/// <see cref="TrainingBenchmarks"/> in alternation (<c>--paired-training</c>): the generated and hand-written training
/// step, and constructing each model, timed round by round (see <see cref="PairedTiming"/>).
/// </summary>
internal static class PairedTraining
{
    /// <summary>Runs <paramref name="rounds"/> rounds and prints a markdown table.</summary>
    public static void Run(int rounds)
    {
        var benchmarks = new TrainingBenchmarks();
        benchmarks.Setup();
        Action[] calls =
        [
            () => benchmarks.TrainStep_HandWritten(),
            () => benchmarks.TrainStep_Generated(),
            () => benchmarks.Construct_HandWritten_TorchSharpInit(),
            () => benchmarks.Construct_Generated_JaxExactInit(),
        ];
        double[][] seconds = PairedTiming.Measure(calls, rounds);
        double Ratio(int peer, int reference) => PairedTiming.Median(seconds.Select(round => round[peer] / round[reference]));
        double Ms(int peer) => PairedTiming.Median(seconds.Select(round => round[peer])) * 1e3;
        Console.WriteLine($"| {rounds} rounds | hand-written | generated | generated / hand-written (median of rounds) |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| training step (forward, cross-entropy, backward, Adam) | {Ms(0):0.00} ms | {Ms(1):0.00} ms | {Ratio(1, 0):0.00}x |");
        Console.WriteLine($"| construction, every parameter initialised | {Ms(2):0.00} ms | {Ms(3):0.00} ms | {Ratio(3, 2):0.00}x |");
    }
}
