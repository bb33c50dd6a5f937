using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Benchmarks.Attention;

/// <summary>
/// Attention at GPT-2-small sizes (12 heads of 64) measured in alternation (<c>--paired-attention</c>): libtorch's
/// <c>scaled_dot_product_attention</c> against the matmul-softmax-matmul form, each by hand on heads-first views and
/// through <see cref="Nnx.Attention.DotProductAttention"/> (Flax layout, checks and promotion included), so the
/// layer can pick the faster kernel. Ratios are against hand-written sdpa with libtorch's causal flag.
/// </summary>
internal static class PairedAttention
{
    private const long Heads = 12, HeadDim = 64;

    /// <summary>Runs every case and prints one markdown table row per case.</summary>
    public static void Run()
    {
        Console.WriteLine($"threads: {torch.get_num_threads()}");
        Console.WriteLine("| pass | B | T | sdpa causal flag (ms) | matmul-softmax-matmul | sdpa + float mask | sdpa + bool mask | Attention Fused | Attention Explicit |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach ((long b, long t) in new[] { (1L, 128L), (4L, 256L), (1L, 1024L) })
        {
            Case(b, t, training: false);
            Case(b, t, training: true);
        }
    }

    private static void Case(long batch, long length, bool training)
    {
        using var grad = torch.set_grad_enabled(training);
        var key = Nnx.PrngKey.FromSeed(0);
        // Flax layout (B, T, H, D), as a fused qkv projection would leave it.
        using Tensor q = Nnx.JaxRandom.Normal(key.FoldIn(1), batch, length, Heads, HeadDim).requires_grad_(training);
        using Tensor k = Nnx.JaxRandom.Normal(key.FoldIn(2), batch, length, Heads, HeadDim).requires_grad_(training);
        using Tensor v = Nnx.JaxRandom.Normal(key.FoldIn(3), batch, length, Heads, HeadDim).requires_grad_(training);
        using Tensor causal = torch.ones(length, length, ScalarType.Bool).tril();
        using Tensor additive = torch.zeros(length, length).masked_fill(causal.logical_not(), -0.7 * float.MaxValue);
        double scale = 1.0 / Math.Sqrt(HeadDim);

        void Run(Func<Tensor> attention)
        {
            using var scope = torch.NewDisposeScope();
            Tensor y = attention();
            if (training) y.sum().backward();
        }

        var peers = new List<(string Name, Action Call)>
        {
            ("sdpa causal", () => Run(() => torch.nn.functional.scaled_dot_product_attention(
                q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), is_casual: true))),
            ("matmul-softmax-matmul", () => Run(() =>
            {
                Tensor logits = q.transpose(1, 2).mul(scale).matmul(k.transpose(1, 2).transpose(-2, -1));
                Tensor weights = torch.nn.functional.softmax(logits.masked_fill(causal.logical_not(), float.NegativeInfinity), -1);
                return weights.matmul(v.transpose(1, 2));
            })),
            ("sdpa float mask", () => Run(() => torch.nn.functional.scaled_dot_product_attention(
                q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), additive))),
            ("sdpa bool mask", () => Run(() => torch.nn.functional.scaled_dot_product_attention(
                q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), causal))),
            ("Attention Fused", () => Run(() => Nnx.Attention.DotProductAttention(q, k, v, isCausal: true, kernel: Nnx.AttentionKernel.Fused))),
            ("Attention Explicit", () => Run(() => Nnx.Attention.DotProductAttention(q, k, v, isCausal: true, kernel: Nnx.AttentionKernel.Explicit))),
        };

        long work = batch * length * length;
        double[][] times = PairedTiming.Measure(peers.Select(p => p.Call).ToArray(), rounds: work >= 1 << 20 ? 9 : 21);
        string Ratio(int peer) => PairedTiming.Median(times.Select(round => round[peer] / round[0])).ToString("0.00") + "x";
        double referenceMs = PairedTiming.Median(times.Select(round => round[0])) * 1e3;
        Console.WriteLine($"| {(training ? "forward + backward" : "forward")} | {batch} | {length} | {referenceMs:0.00} | " +
                          string.Join(" | ", Enumerable.Range(1, peers.Count - 1).Select(Ratio)) + " |");
    }
}
