using System;
using System.Collections.Generic;
using System.Linq;

namespace Nnx.Benchmarks.Optim;

/// <summary>
/// Optimizer steps in alternation (<c>--paired-optim [rounds [threads]] [embedding|tinylm|gpt]...</c>): the (50257, 768) embedding table, the TinyLm
/// model and the Gpt sample's default model, <see cref="Optimizer"/> against TorchSharp's <c>torch.optim</c>, a <c>copy_</c> bandwidth floor, and PyTorch in
/// Python when <c>python3</c> can import torch (<c>Optim/with-python-torch.sh</c> installs it), all in the same rounds.
/// Prints median milliseconds and the median over rounds of the ratios the targets name.
/// </summary>
internal static class PairedOptim
{
    /// <summary>Runs the chosen groups (embedding, TinyLm, Gpt) and prints markdown tables.</summary>
    public static void Run(int rounds, bool embeddingGroup, bool tinyLmGroup, bool gptGroup)
    {
        using PythonPeer? python = PythonPeer.Start(TorchSharp.torch.get_num_threads());
        Console.WriteLine($"torch threads {TorchSharp.torch.get_num_threads()}, Python peer: {(python is null ? "none" : $"PyTorch {python.TorchVersion}")}");

        if (embeddingGroup)
        {
            using var embedding = new EmbeddingPeers();
            List<TimedPeer> peers = embedding.Peers();
            if (python is not null)
            {
                peers.Add(python.Peer("Python: forward (index_select)", "embed-forward"));
                peers.Add(python.Peer("Python: step, dense gradient, torch.optim.Adam", "embed-dense-adam"));
                peers.Add(python.Peer("Python: step, sparse=True, SparseAdam", "embed-sparse-adam"));
            }
            Report($"Embedding table ({EmbeddingPeers.Vocab}, {EmbeddingPeers.Width}) float32, {EmbeddingPeers.Ids} ids, {rounds} rounds", peers, rounds,
            [
                ("fused Adam pass", "copy_ of 7 tables' bytes"),
                ("torch.optim.Adam pass", "fused Adam pass"),
                ("torch.optim.SGD pass", "fused SGD pass"),
                ("step: dense gradient, torch.optim.Adam", "step: dense gradient, fused Adam"),
                ("step: rows, dense-exact Adam", "fused Adam pass"),
                ("step: rows, lazy Adam", "forward (Lookup.Rows)"),
                ("Python: step, dense gradient, torch.optim.Adam", "step: rows, dense-exact Adam"),
                ("Python: step, dense gradient, torch.optim.Adam", "step: dense gradient, fused Adam"),
                ("Python: step, sparse=True, SparseAdam", "step: rows, lazy Adam"),
                ("Python: forward (index_select)", "forward (Lookup.Rows)"),
            ]);
        }

        if (tinyLmGroup) RunTinyLm(rounds, python);
        if (gptGroup) RunGpt(rounds);
    }

    private static void RunTinyLm(int rounds, PythonPeer? python)
    {
        using var tinyLm = new TinyLmPeers();
        List<TimedPeer> small = tinyLm.Peers();
        if (python is not null) small.Add(python.Peer("Python: TinyLm step, torch.optim.Adam", "tinylm-adam"));
        Report($"TinyLm training step (vocabulary 74, context 24, width 48, hidden 256, batch 64), {rounds * 4} rounds", small, rounds * 4,
        [
            ("TinyLm step, torch.optim.Adam", "TinyLm step, Nnx Adam"),
            ("TinyLm step, torch.optim.SGD", "TinyLm step, Nnx SGD"),
            ("Python: TinyLm step, torch.optim.Adam", "TinyLm step, Nnx Adam"),
        ]);
    }

    private static void RunGpt(int rounds)
    {
        using var gpt = new GptPeers();
        Report($"Gpt training step ({GptPeers.Config}, batch {GptPeers.Batch}), {rounds} rounds", gpt.Peers(), rounds,
        [
            ("Gpt step, torch.optim.Adam", "Gpt step, Nnx Adam"),
            ("Gpt step, clip_grad_norm_ + torch.optim.AdamW", "Gpt step, Nnx AdamW + clipping"),
        ]);
    }

    // Each ratio is peer / reference within a round, then the median over rounds (above 1: the reference is faster).
    private static void Report(string title, List<TimedPeer> peers, int rounds, (string Peer, string Reference)[] ratios)
    {
        string load = LoadAverage();
        double[][] seconds = TimedPeer.Measure(peers, rounds);
        int Index(string name) => peers.FindIndex(p => p.Name == name);
        Console.WriteLine();
        Console.WriteLine($"{title}; load average before: {load}, after: {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| peer | median ms | quartiles ms |");
        Console.WriteLine("|---|---:|---:|");
        for (int i = 0; i < peers.Count; i++)
        {
            double[] ms = seconds.Select(r => r[i] * 1e3).Order().ToArray();
            Console.WriteLine($"| {peers[i].Name} | {ms[ms.Length / 2]:0.00} | {ms[ms.Length / 4]:0.00}-{ms[3 * ms.Length / 4]:0.00} |");
        }
        Console.WriteLine();
        Console.WriteLine("| ratio (median of rounds) | value | quartiles |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var (peer, reference) in ratios)
        {
            int p = Index(peer), r = Index(reference);
            if (p < 0 || r < 0) continue;
            double[] values = seconds.Select(round => round[p] / round[r]).Order().ToArray();
            Console.WriteLine($"| {peer} / {reference} | {values[values.Length / 2]:0.00}x | {values[values.Length / 4]:0.00}x-{values[3 * values.Length / 4]:0.00}x |");
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return System.IO.File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (System.IO.IOException)
        {
            return "unknown";
        }
    }
}
