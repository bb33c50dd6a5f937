using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
// Nnx.Linear would win the plain name inside this namespace.
using TorchLinear = TorchSharp.Modules.Linear;
using Parameter = TorchSharp.Modules.Parameter;

namespace Nnx.Benchmarks.Attention;

/// <summary>
/// <see cref="Nnx.MultiHeadAttention"/> against the same self-attention hand-written in TorchSharp, in alternation
/// (<c>--paired-mha</c>). The peer is what a TorchSharp user writes: four <c>torch.nn.Linear</c> projections holding the
/// layer's weights, <c>view</c> + <c>transpose</c> to heads, <c>scaled_dot_product_attention</c>, <c>transpose</c> +
/// <c>reshape</c> back, the output projection. A second peer does the same by hand in NNX's arithmetic: the product with
/// NNX's <c>(in, out)</c> kernel, then the bias as a separate add (where <c>Linear</c> fuses it into one <c>addmm</c>),
/// so Nnx / that peer is the layer's own overhead. Before timing, each case checks that the peers give the same
/// output and the same query-kernel gradient, so they compute the same thing.
/// </summary>
internal static class PairedMultiHeadAttention
{
    private enum Pass { ForwardNoGrad, ForwardWithGrad, TrainingStep }

    /// <summary>Runs every case and prints one markdown table row per case.</summary>
    public static void Run()
    {
        Console.WriteLine($"threads: {torch.get_num_threads()}");
        Console.WriteLine("| block | mask | pass | hand-written TorchSharp (ms) | Nnx (ms) | Nnx / hand-written | quartiles of rounds | Nnx / NNX's arithmetic by hand | quartiles |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        // GPT-2 small's attention (width 768, 12 heads of 64) at batch 4, length 256; and a small block.
        foreach ((long batch, long length, long width, int heads) in new[] { (4L, 256L, 768L, 12), (8L, 64L, 128L, 4) })
            foreach (bool causal in new[] { true, false })
                Case(batch, length, width, heads, causal);
    }

    private static void Case(long batch, long length, long width, int heads, bool causal)
    {
        using var mha = new Nnx.MultiHeadAttention(heads, width, new Nnx.Rngs(0));
        using var hand = new HandWrittenSelfAttention(width, heads);
        hand.CopyWeightsFrom(mha);
        using Tensor x = Nnx.JaxRandom.Normal(Nnx.PrngKey.FromSeed(1), batch, length, width);
        CheckSameMath(mha, hand, x, causal);

        foreach (Pass pass in Enum.GetValues<Pass>())
        {
            Action[] peers =
            [
                () => Step(pass, hand, () => hand.forward(x, causal)),
                () => Step(pass, mha, () => mha.Forward(x, isCausal: causal)),
                () => Step(pass, mha, () => hand.ForwardInNnxArithmetic(mha, x, causal)),
            ];
            double[][] times = PairedTiming.Measure(peers, rounds: batch * length * width >= 1 << 19 ? 15 : 31);
            double Ms(int peer) => PairedTiming.Median(times.Select(round => round[peer])) * 1e3;
            string Ratio(int peer, int reference)
            {
                double[] ratios = times.Select(round => round[peer] / round[reference]).OrderBy(r => r).ToArray();
                return $"{PairedTiming.Median(ratios):0.00}x | {ratios[ratios.Length / 4]:0.00}x-{ratios[3 * ratios.Length / 4]:0.00}x";
            }
            string passName = pass switch
            {
                Pass.ForwardNoGrad => "forward, no_grad",
                Pass.ForwardWithGrad => "forward, with grad",
                _ => "training step",
            };
            Console.WriteLine($"| ({batch}, {length}, {width}), {heads} heads | {(causal ? "causal flag" : "none")} | {passName} | " +
                              $"{Ms(0):0.000} | {Ms(1):0.000} | {Ratio(1, 0)} | {Ratio(1, 2)} |");
        }
    }

    // One call of the pass, freeing every temporary. The training step is forward, a loss, backward and zeroed grads.
    private static void Step(Pass pass, nn.Module module, Func<Tensor> forward)
    {
        using var grad = torch.set_grad_enabled(pass != Pass.ForwardNoGrad);
        using var scope = torch.NewDisposeScope();
        Tensor y = forward();
        if (pass != Pass.TrainingStep) return;
        y.square().mean().backward();
        module.zero_grad();
    }

    private static void CheckSameMath(Nnx.MultiHeadAttention mha, HandWrittenSelfAttention hand, Tensor x, bool causal)
    {
        using var scope = torch.NewDisposeScope();
        Tensor expected = hand.forward(x, causal), actual = mha.Forward(x, isCausal: causal);
        if (!actual.allclose(expected, rtol: 1e-4, atol: 1e-5))
            throw new InvalidOperationException(
                $"Nnx.MultiHeadAttention and the hand-written peer differ by {actual.sub(expected).abs().max().item<float>()}; the timing would compare different math.");
        using (torch.no_grad())
        {
            // NNX's arithmetic by hand is the layer's, operation for operation.
            if (!hand.ForwardInNnxArithmetic(mha, x, causal).eq(actual).all().item<bool>())
                throw new InvalidOperationException("Nnx.MultiHeadAttention and NNX's arithmetic by hand are not bit-identical; the timing would compare different math.");
        }
        expected.square().mean().backward();
        actual.square().mean().backward();
        // Linear's weight is the transpose of the flattened (in, heads, headDim) kernel.
        Tensor kernelGrad = mha.Query.Kernel.grad!.flatten(1).t();
        if (!kernelGrad.allclose(hand.QueryWeight.grad!, rtol: 1e-4, atol: 1e-6))
            throw new InvalidOperationException(
                $"The query-kernel gradients differ by {kernelGrad.sub(hand.QueryWeight.grad!).abs().max().item<float>()}; the timing would compare different math.");
        mha.zero_grad();
        hand.zero_grad();
    }

    /// <summary>Multi-head self-attention as a TorchSharp user writes it.</summary>
    private sealed class HandWrittenSelfAttention : nn.Module<Tensor, bool, Tensor>
    {
        private readonly long _heads, _headDim;
        private readonly TorchLinear query, key, value, @out;

        public HandWrittenSelfAttention(long width, long heads) : base(nameof(HandWrittenSelfAttention))
        {
            (_heads, _headDim) = (heads, width / heads);
            query = nn.Linear(width, width);
            key = nn.Linear(width, width);
            value = nn.Linear(width, width);
            @out = nn.Linear(width, width);
            RegisterComponents();
        }

        public Parameter QueryWeight => query.weight!;

        public override Tensor forward(Tensor x, bool isCausal)
        {
            using var scope = torch.NewDisposeScope();
            long batch = x.shape[0], length = x.shape[1];
            Tensor Heads(Tensor t) => t.view(batch, length, _heads, _headDim).transpose(1, 2);
            Tensor y = nn.functional.scaled_dot_product_attention(
                Heads(query.forward(x)), Heads(key.forward(x)), Heads(value.forward(x)), is_casual: isCausal);
            return @out.forward(y.transpose(1, 2).reshape(batch, length, _heads * _headDim)).MoveToOuterDisposeScope();
        }

        // The same attention with the layer's own parameters, as NNX computes each projection: x @ kernel, then + bias.
        public Tensor ForwardInNnxArithmetic(Nnx.MultiHeadAttention mha, Tensor x, bool isCausal)
        {
            using var scope = torch.NewDisposeScope();
            long batch = x.shape[0], length = x.shape[1], width = _heads * _headDim;
            Tensor Heads(Nnx.LinearToHeads projection) =>
                x.matmul(projection.Kernel.view(-1, width)).add_(projection.Bias!.view(width)).view(batch, length, _heads, _headDim).transpose(1, 2);
            Tensor y = nn.functional.scaled_dot_product_attention(Heads(mha.Query), Heads(mha.Key), Heads(mha.Value), is_casual: isCausal);
            return y.transpose(1, 2).reshape(batch, length, width).matmul(mha.Out.Kernel.view(width, -1)).add_(mha.Out.Bias!).MoveToOuterDisposeScope();
        }

        // Linear's (out, in) weights from NNX's kernels, and random biases on both sides so the bias adds are checked too.
        public void CopyWeightsFrom(Nnx.MultiHeadAttention mha)
        {
            using var noGrad = torch.no_grad();
            using var scope = torch.NewDisposeScope();
            var biasKey = Nnx.PrngKey.FromSeed(2);
            (TorchLinear Linear, Parameter Kernel, Parameter Bias, long InAxes)[] pairs =
            [
                (query, mha.Query.Kernel, mha.Query.Bias!, 1),
                (key, mha.Key.Kernel, mha.Key.Bias!, 1),
                (value, mha.Value.Kernel, mha.Value.Bias!, 1),
                (@out, mha.Out.Kernel, mha.Out.Bias!, 2),
            ];
            for (uint i = 0; i < pairs.Length; i++)
            {
                var (linear, kernel, bias, inAxes) = pairs[i];
                Tensor matrix = inAxes == 1 ? kernel.flatten(1) : kernel.flatten(0, 1);
                linear.weight!.copy_(matrix.t());
                bias.copy_(Nnx.JaxRandom.Normal(biasKey.FoldIn(i), bias.shape).mul_(0.1));
                linear.bias!.copy_(bias.flatten());
            }
        }
    }
}
