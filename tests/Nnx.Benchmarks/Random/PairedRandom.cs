using System;
using System.Linq;
using Nnx;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Benchmarks.Random;

/// <summary>
/// The random-number peers in alternation (<c>--paired-random</c>): a GPT-2 token embedding, (50257, 768), filled in
/// place by <c>JaxRandom.Normal</c> and by libtorch's <c>normal_()</c>, in float32 and bfloat16, plus the one-thread
/// vector and scalar paths. Each round runs every peer once in a random order; a figure is the median over rounds of the
/// ratio within a round, so load from other jobs hits both sides (docs/benchmarks.md, random section).
/// </summary>
internal static class PairedRandom
{
    private const long Vocab = 50257, DModel = 768;

    public static void Run(int rounds)
    {
        torch.set_grad_enabled(false);
        PrngKey key = new Rngs(0).Params();
        using Tensor reused = torch.zeros([Vocab, DModel], ScalarType.Float32);
        using Tensor reused16 = torch.zeros([Vocab, DModel], ScalarType.BFloat16);
        var peers = new (string Name, Action Call)[]
        {
            ("normal_()", () => reused.normal_()),
            ("JaxRandom.Normal", () => JaxRandom.Normal(key, reused)),
            ("fill_(1)", () => reused.fill_(1f)),
            ("bf16 normal_()", () => reused16.normal_()),
            ("bf16 JaxRandom.Normal", () => JaxRandom.Normal(key, reused16)),
            ("1 thread scalar", () => OneThread(key, reused, SimdPath.Scalar)),
            ("1 thread vector", () => OneThread(key, reused, SimdPaths.Best)),
            ("1 thread bits only", () => OneThreadBits(key, reused)),
        };
        double[][] times = PairedTiming.Measure(peers.Select(p => p.Call).ToArray(), rounds);
        string Ratio(string peer, string reference)
        {
            int p = Array.FindIndex(peers, x => x.Name == peer), r = Array.FindIndex(peers, x => x.Name == reference);
            return PairedTiming.Median(times.Select(round => round[p] / round[r])).ToString("0.00") + "x";
        }
        string Ms(string peer)
        {
            int p = Array.FindIndex(peers, x => x.Name == peer);
            return (PairedTiming.Median(times.Select(round => round[p])) * 1e3).ToString("0.0") + " ms";
        }
        Console.WriteLine($"SIMD path: {SimdPaths.Best}, {Environment.ProcessorCount} cores, {rounds} rounds; medians of per-round ratios (and of times, for scale)");
        Console.WriteLine("| peer | median time | ratio |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| JaxRandom.Normal(key, reused) / normal_() reused, float32 | {Ms("JaxRandom.Normal")} | {Ratio("JaxRandom.Normal", "normal_()")} |");
        Console.WriteLine($"| normal_() reused, float32 | {Ms("normal_()")} | 1.00x |");
        Console.WriteLine($"| fill_(1) / normal_() (bandwidth floor) | {Ms("fill_(1)")} | {Ratio("fill_(1)", "normal_()")} |");
        Console.WriteLine($"| JaxRandom.Normal / normal_(), both bfloat16 reused | {Ms("bf16 JaxRandom.Normal")} | {Ratio("bf16 JaxRandom.Normal", "bf16 normal_()")} |");
        Console.WriteLine($"| bfloat16 normal_() reused | {Ms("bf16 normal_()")} | |");
        Console.WriteLine($"| one thread: scalar / vector path | {Ms("1 thread scalar")} | {Ratio("1 thread scalar", "1 thread vector")} |");
        Console.WriteLine($"| one thread: vector path / normal_() (libtorch fills with one thread too) | {Ms("1 thread vector")} | {Ratio("1 thread vector", "normal_()")} |");
        Console.WriteLine($"| one thread: bits only / vector path (Threefry's share) | {Ms("1 thread bits only")} | {Ratio("1 thread bits only", "1 thread vector")} |");
    }

    private static unsafe void OneThread(PrngKey key, Tensor output, SimdPath path) =>
        RandomFill.Floats(new BitStream(key, BitsLayout.Partitionable, output.numel()), (float*)TensorMemory.Pointer(output), new NormalMap(1f), path, parallel: false);

    private static unsafe void OneThreadBits(PrngKey key, Tensor output) =>
        RandomFill.Words(new BitStream(key, BitsLayout.Partitionable, output.numel()), (uint*)TensorMemory.Pointer(output), SimdPaths.Best, parallel: false);
}
