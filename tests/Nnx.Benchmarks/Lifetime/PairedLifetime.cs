using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Benchmarks.Lifetime;

/// <summary>
/// A forward loop written as in PyTorch (every step's tensors left to the garbage collector) against the same loop
/// with one <c>torch.NewDisposeScope()</c> per step (<c>--paired-lifetime</c>). Each run is a fresh process, because
/// memory the plain loop once held stays in the allocator's pools and would hide the growth of the next run; rounds
/// alternate the two variants in a random order and report medians of per-round ratios.
/// </summary>
internal static class PairedLifetime
{
    private const int Steps = 100;
    private const string ChildFlag = "--lifetime-child";

    /// <summary>Runs <paramref name="rounds"/> rounds of two child processes and prints a markdown table.</summary>
    public static void Run(int rounds)
    {
        string[] variants = ["plain", "scoped"];
        var random = new System.Random(7);
        var samples = new (double Seconds, double Bytes, double Collections)[rounds, variants.Length];
        for (int round = 0; round < rounds; round++)
        {
            int[] order = [0, 1];
            random.Shuffle(order);
            foreach (int v in order) samples[round, v] = RunChild(variants[v]);
        }

        double Median(Func<int, double> value) => Enumerable.Range(0, rounds).Select(value).Order().ElementAt(rounds / 2);
        Console.WriteLine($"| {rounds} rounds, {Steps} steps a process | plain loop | one dispose scope per step | plain / scoped (median of rounds) |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| time per step | {Median(r => samples[r, 0].Seconds) * 1e3:0.00} ms | {Median(r => samples[r, 1].Seconds) * 1e3:0.00} ms | {Median(r => samples[r, 0].Seconds / samples[r, 1].Seconds):0.00}x |");
        Console.WriteLine($"| resident memory growth per step | {Median(r => samples[r, 0].Bytes) / (1 << 20):0.0} MiB | {Median(r => samples[r, 1].Bytes) / (1 << 20):0.0} MiB | |");
        Console.WriteLine($"| resident memory growth after {Steps} steps | {Median(r => samples[r, 0].Bytes) * Steps / (1 << 20):0} MiB | {Median(r => samples[r, 1].Bytes) * Steps / (1 << 20):0} MiB | |");
        Console.WriteLine($"| garbage collections in {Steps} steps | {Median(r => samples[r, 0].Collections)} | {Median(r => samples[r, 1].Collections)} | |");
    }

    /// <summary>Whether the arguments ask for one measured run (the child process); then runs it and returns true.</summary>
    public static bool TryRunChild(string[] args)
    {
        int at = Array.IndexOf(args, ChildFlag);
        if (at < 0) return false;
        Console.WriteLine(Child(scoped: args[at + 1] == "scoped"));
        return true;
    }

    private static (double Seconds, double Bytes, double Collections) RunChild(string variant)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in new[] { typeof(PairedLifetime).Assembly.Location, ChildFlag, variant }) start.ArgumentList.Add(arg);
        using Process child = Process.Start(start)!;
        string[] fields = child.StandardOutput.ReadToEnd().Trim().Split(' ');
        child.WaitForExit();
        if (child.ExitCode != 0 || fields.Length != 3) throw new InvalidOperationException($"the {variant} run failed: {string.Join(' ', fields)}");
        return (double.Parse(fields[0], CultureInfo.InvariantCulture), double.Parse(fields[1], CultureInfo.InvariantCulture), double.Parse(fields[2], CultureInfo.InvariantCulture));
    }

    // One step: 4096 token ids through an embedding (32000 x 256), a linear layer and a ReLU, reduced to one number;
    // each intermediate tensor is 4 MB.
    private static string Child(bool scoped)
    {
        var rngs = new Rngs(0);
        using var embed = new Embed(32000, 256, rngs);
        using var linear = new Linear(256, 256, rngs);
        using Tensor ids = torch.randint(0, 32000, [4096], ScalarType.Int64);
        using var noGrad = torch.no_grad();
        for (int i = 0; i < 5; i++) ScopedStep(embed, linear, ids);

        long before = ResidentBytes();
        int collections = GC.CollectionCount(0);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Steps; i++)
        {
            if (scoped) ScopedStep(embed, linear, ids);
            else PlainStep(embed, linear, ids);
        }
        double seconds = clock.Elapsed.TotalSeconds / Steps;
        double growth = (double)(ResidentBytes() - before) / Steps;
        return string.Create(CultureInfo.InvariantCulture, $"{seconds} {growth} {GC.CollectionCount(0) - collections}");
    }

    private static float PlainStep(Embed embed, Linear linear, Tensor ids)
    {
        Tensor hidden = torch.nn.functional.relu(linear.Forward(embed.Forward(ids)));
        return hidden.mean().item<float>();
    }

    private static float ScopedStep(Embed embed, Linear linear, Tensor ids)
    {
        using var scope = torch.NewDisposeScope();
        Tensor hidden = torch.nn.functional.relu(linear.Forward(embed.Forward(ids)));
        return hidden.mean().item<float>();
    }

    private static long ResidentBytes()
    {
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
