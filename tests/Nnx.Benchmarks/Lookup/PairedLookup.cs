using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx.Benchmarks.Lookup;

/// <summary>
/// The lookup peers measured in alternation (<c>--paired</c>): each round times every peer once, back to back, and
/// the figure is the median over rounds of peer time / reference time. On a machine shared with other jobs this is
/// far steadier than BenchmarkDotNet's one-peer-after-the-other runs, because load changes hit both sides of a round.
/// Modules that own their table (<c>Nnx.Embed</c>, the seed's MyEmbed) are compared with <c>index_select</c> on that
/// same table: in alternation, a peer reading another copy would find its rows evicted by the others.
/// </summary>
internal static class PairedLookup
{
    private const long Vocab = Tables.Vocab;

    /// <summary>Runs every case and prints one markdown table row per case.</summary>
    public static void Run()
    {
        torch.set_grad_enabled(false);
        Console.WriteLine("| T | D | Ids | Generated | Nnx.Embed | Generated MyEmbed | Lookup.Rows | nn.Embedding | w[ids] | one-hot matmul | RowsInto / copy_ | index_select (fresh) / copy_ |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (int d in new[] { 64, 768 })
            foreach (int t in new[] { 1, 64, 4096, 65536 })
                foreach (ScalarType dtype in new[] { ScalarType.Int64, ScalarType.Int32 })
                    Case(t, d, dtype);
    }

    private static void Case(int t, int d, ScalarType dtype)
    {
        BenchEmbed generated = Tables.Embed(d);
        Tensor table = generated.Embedding;
        Embed nnxEmbed = Tables.NnxEmbed(d);
        using var myEmbed = new BenchMyEmbed(Vocab, d, new Rngs(0));
        Tensor myEmbedTable = myEmbed.parameters().Single();
        using Embedding embedding = torch.nn.Embedding_from_pretrained(table, freeze: true);
        using Tensor ids = Tables.Ids(t, dtype);
        TensorIndex index = TensorIndex.Tensor(ids);
        using Tensor source = table.index_select(0, ids);
        using Tensor output = torch.zeros_like(source);

        var peers = new List<(string Name, Action Call)>
        {
            ("index_select", () => { using Tensor r = table.index_select(0, ids); }),
            ("Generated", () => { using Tensor r = generated.Forward(ids); }),
            ("Nnx.Embed", () => { using Tensor r = nnxEmbed.Forward(ids); }),
            ("index_select on Nnx.Embed's table", () => { using Tensor r = nnxEmbed.Embedding.index_select(0, ids); }),
            ("index_select on MyEmbed's table", () => { using Tensor r = myEmbedTable.index_select(0, ids); }),
            ("MyEmbed", () => { using Tensor r = myEmbed.Forward(ids); }),
            ("Lookup.Rows", () => { using Tensor r = Nnx.Lookup.Rows(table, ids); }),
            ("nn.Embedding", () => { using Tensor r = embedding.forward(ids); }),
            ("w[ids]", () => { using Tensor r = table[index]; }),
            ("copy_", () => output.copy_(source)),
            ("RowsInto", () => Nnx.Lookup.RowsInto(table, ids, output)),
        };
        if (t <= 64)
            peers.Add(("one-hot", () =>
            {
                using Tensor ids64 = ids.to(ScalarType.Int64);
                using Tensor oneHot = torch.nn.functional.one_hot(ids64, Vocab);
                using Tensor weights = oneHot.to(table.dtype);
                using Tensor r = weights.matmul(table);
            }));

        double[][] times = PairedTiming.Measure(peers.Select(p => p.Call).ToArray(), rounds: (long)t * d >= 1 << 24 ? 9 : 31);
        string Ratio(string peer, string reference)
        {
            int p = peers.FindIndex(x => x.Name == peer), r = peers.FindIndex(x => x.Name == reference);
            return p < 0 ? "-" : PairedTiming.Median(times.Select(round => round[p] / round[r])).ToString("0.00") + "x";
        }
        Console.WriteLine($"| {t} | {d} | {dtype} | {Ratio("Generated", "index_select")} | {Ratio("Nnx.Embed", "index_select on Nnx.Embed's table")} | {Ratio("MyEmbed", "index_select on MyEmbed's table")} | {Ratio("Lookup.Rows", "index_select")} | " +
                          $"{Ratio("nn.Embedding", "index_select")} | {Ratio("w[ids]", "index_select")} | {Ratio("one-hot", "index_select")} | " +
                          $"{Ratio("RowsInto", "copy_")} | {Ratio("index_select", "copy_")} |");
    }
}
