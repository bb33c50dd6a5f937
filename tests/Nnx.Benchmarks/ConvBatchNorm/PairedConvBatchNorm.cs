using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Benchmarks.ConvBatchNorm;

/// <summary>
/// <see cref="Nnx.Conv"/> and <see cref="Nnx.BatchNorm"/> against hand-written TorchSharp, in alternation
/// (<c>--paired-conv-bn</c>). The peers are what a TorchSharp user writes: <c>conv2d</c>/<c>conv1d</c> and
/// <c>batch_norm</c> on channels-first tensors (libtorch's native layout), and the same calls on channels-last data
/// through permuted views (the layout Flax and the Nnx layers take). Ratios are against the channels-first call.
/// </summary>
internal static class PairedConvBatchNorm
{
    /// <summary>Runs every case and prints one markdown table row per case.</summary>
    public static void Run()
    {
        Console.WriteLine($"threads: {torch.get_num_threads()}");
        Console.WriteLine("| layer | input (channels last) | pass | channels-first TorchSharp (ms) | channels-last TorchSharp | Nnx |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (bool training in new[] { false, true })
        {
            Conv([8, 32, 32, 32], 64, [3, 3], training);
            Conv([8, 256, 64], 64, [5], training);
            BatchNorm([32, 16, 16, 64], training);
            BatchNorm([256, 128], training);
        }
    }

    private static void Conv(long[] shape, long outFeatures, long[] kernelSize, bool training)
    {
        int rank = kernelSize.Length;
        long inFeatures = shape[^1];
        using var conv = new Nnx.Conv(inFeatures, outFeatures, kernelSize, new Nnx.Rngs(0));
        using Tensor x = Nnx.JaxRandom.Normal(Nnx.PrngKey.FromSeed(1), shape);
        long[] toFirst = [0, rank + 1, .. Enumerable.Range(1, rank).Select(a => (long)a)];
        long[] toLast = [0, .. Enumerable.Range(2, rank).Select(a => (long)a), 1];
        using Tensor xFirst = x.permute(toFirst).contiguous();
        // libtorch's weight layout (out, in, *kernel), contiguous, as a TorchSharp Conv2d module holds it.
        using Tensor weight = conv.Kernel.detach().permute([rank + 1, rank, .. Enumerable.Range(0, rank).Select(a => (long)a)]).contiguous().requires_grad_(true);
        using Tensor bias = conv.Bias!.detach().clone().requires_grad_(true);
        long[] same = kernelSize.Select(k => (k - 1) / 2).ToArray();
        Tensor Libtorch(Tensor input) => rank == 1
            ? torch.nn.functional.conv1d(input, weight, bias, padding: same[0])
            : torch.nn.functional.conv2d(input, weight, bias, padding: same);

        var peers = new List<Action>
        {
            () => Step(training, () => Libtorch(xFirst)),
            () => Step(training, () => Libtorch(x.permute(toFirst)).permute(toLast)),
            () => Step(training, () => conv.Forward(x)),
        };
        Report("Conv", shape, training, peers);
    }

    private static void BatchNorm(long[] shape, bool training)
    {
        int rank = shape.Length;
        long features = shape[^1];
        using var norm = new Nnx.BatchNorm(features, new Nnx.Rngs(0));
        norm.train(training);
        using Tensor x = Nnx.JaxRandom.Normal(Nnx.PrngKey.FromSeed(1), shape).requires_grad_(training);
        long[] toFirst = [0, rank - 1, .. Enumerable.Range(1, rank - 2).Select(a => (long)a)];
        long[] toLast = [0, .. Enumerable.Range(2, rank - 2).Select(a => (long)a), 1];
        using Tensor xFirst = x.detach().permute(toFirst).contiguous().requires_grad_(training);
        using Tensor scale = torch.ones(features).requires_grad_(true), shift = torch.zeros(features).requires_grad_(true);
        using Tensor runningMean = torch.zeros(features), runningVar = torch.ones(features);
        Tensor Libtorch(Tensor input) =>
            torch.nn.functional.batch_norm(input, runningMean, runningVar, scale, shift, training: training, momentum: 0.01, eps: 1e-5);

        var peers = new List<Action>
        {
            () => Step(training, () => Libtorch(xFirst)),
            () => Step(training, () => Libtorch(x.permute(toFirst)).permute(toLast)),
            () => Step(training, () => norm.Forward(x)),
        };
        Report("BatchNorm", shape, training, peers);
    }

    // One forward, and in training a backward of the sum, freeing every temporary.
    private static void Step(bool training, Func<Tensor> forward)
    {
        using var grad = torch.set_grad_enabled(training);
        using var scope = torch.NewDisposeScope();
        Tensor y = forward();
        if (training) y.sum().backward();
    }

    private static void Report(string layer, long[] shape, bool training, List<Action> peers)
    {
        long size = shape.Aggregate(1L, (a, b) => a * b);
        double[][] times = PairedTiming.Measure(peers.ToArray(), rounds: size >= 1 << 18 ? 15 : 31);
        string Ratio(int peer) => PairedTiming.Median(times.Select(round => round[peer] / round[0])).ToString("0.00") + "x";
        double referenceMs = PairedTiming.Median(times.Select(round => round[0])) * 1e3;
        Console.WriteLine($"| {layer} | ({string.Join(", ", shape)}) | {(training ? "forward + backward" : "forward")} | {referenceMs:0.000} | {Ratio(1)} | {Ratio(2)} |");
    }
}
