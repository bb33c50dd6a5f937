using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Benchmarks.Optim;

/// <summary>
/// Training a GPT-2-sized token table, (50257, 768) float32, with 4096 ids per step (issue 19's table): the bandwidth
/// floor, update passes alone, and whole steps (lookup, backward of a fixed upstream gradient, update), ours and
/// TorchSharp's <c>torch.optim</c>. Each peer owns its tensors, about 3.4 GB in all.
/// </summary>
internal sealed class EmbeddingPeers : IDisposable
{
    public const long Vocab = 50257, Width = 768, Ids = 4096;

    private readonly List<IDisposable> _owned = [];
    private readonly Tensor _ids, _upstream, _gradient;

    public EmbeddingPeers()
    {
        var generator = new torch.Generator(0);
        _ids = Own(torch.randint(0, Vocab, [Ids], generator: generator));
        _upstream = Own(torch.randn([Ids, Width], generator: generator));
        _gradient = Own(torch.randn([Vocab, Width], generator: generator).mul_(1e-3));
    }

    /// <summary>The peers, by name; the names are the rows and columns of <see cref="PairedOptim"/>'s tables.</summary>
    public List<TimedPeer> Peers()
    {
        // The floor: copy_ of 3.5 tables moves 7 tables' worth of bytes, what an Adam pass must move
        // (parameter, gradient and two moments read; parameter and two moments written).
        Tensor source = Own(torch.randn([(long)(3.5 * Vocab * Width)]));
        Tensor target = Own(torch.zeros_like(source));

        Embed torchTable = Table(), dense = Table(), denseExact = Table(), lazy = Table();
        var torchAdam = Own(torch.optim.Adam([torchTable.Embedding], 1e-3));
        var torchSgd = Own(torch.optim.SGD([torchTable.Embedding], 1e-3));
        var denseAdam = Own(new Optimizer(dense, UpdateRule.Adam(1e-3)));
        var exactAdam = Own(new Optimizer(denseExact, UpdateRule.Adam(1e-3)));
        var lazyAdam = Own(new Optimizer(lazy, UpdateRule.Adam(1e-3), rowUpdate: RowUpdate.Lazy));
        var sgd = Own(new Optimizer(denseExact, UpdateRule.Sgd(1e-3)));
        var gradient = new Dictionary<string, Tensor> { ["embedding"] = _gradient };

        return
        [
            TimedPeer.Local("copy_ of 7 tables' bytes", () => target.copy_(source)),
            TimedPeer.Local("fused Adam pass", () => denseAdam.Step(gradient)),
            TimedPeer.Local("torch.optim.Adam pass", () => TorchPass(torchTable, torchAdam)),
            TimedPeer.Local("fused SGD pass", () => sgd.Step(gradient)),
            TimedPeer.Local("torch.optim.SGD pass", () => TorchPass(torchTable, torchSgd)),
            TimedPeer.Local("forward (Lookup.Rows)", () => { using var noGrad = torch.no_grad(); using Tensor rows = global::Nnx.Lookup.Rows(dense.Embedding, _ids); }),
            TimedPeer.Local("lookup + backward: dense gradient", () => Backward(dense, sparse: false)),
            TimedPeer.Local("lookup + backward: rows", () => Backward(lazy, sparse: true)),
            TimedPeer.Local("step: dense gradient, torch.optim.Adam", () => TorchStep(torchTable, torchAdam)),
            TimedPeer.Local("step: dense gradient, fused Adam", () => Step(dense, denseAdam, sparse: false)),
            TimedPeer.Local("step: rows, dense-exact Adam", () => Step(denseExact, exactAdam, sparse: true)),
            TimedPeer.Local("step: rows, lazy Adam", () => Step(lazy, lazyAdam, sparse: true)),
        ];
    }

    public void Dispose()
    {
        foreach (IDisposable owned in _owned) owned.Dispose();
    }

    private Embed Table()
    {
        using Tensor matrix = torch.randn(Vocab, Width).div_(Math.Sqrt(Width));
        return Own(Embed.FromPretrained(matrix, freeze: false));
    }

    private void TorchPass(Embed table, torch.optim.Optimizer optimizer)
    {
        table.Embedding.grad = _gradient;
        optimizer.step();
    }

    private void TorchStep(Embed table, torch.optim.Optimizer optimizer)
    {
        optimizer.zero_grad();
        using (Tensor rows = table.Embedding.index_select(0, _ids)) rows.backward([_upstream]);
        optimizer.step();
    }

    // A step without its update: where the time of a step goes besides the optimizer.
    private void Backward(Embed table, bool sparse)
    {
        table.Embedding.grad = null;
        using (Tensor rows = global::Nnx.Lookup.Rows(table.Embedding, _ids, sparseGradient: sparse)) rows.backward([_upstream]);
        RowGradients.Of(table.Embedding)?.Clear();
    }

    private void Step(Embed table, Optimizer optimizer, bool sparse)
    {
        optimizer.ZeroGrad();
        using (Tensor rows = global::Nnx.Lookup.Rows(table.Embedding, _ids, sparseGradient: sparse)) rows.backward([_upstream]);
        optimizer.Step();
    }

    private T Own<T>(T owned) where T : IDisposable
    {
        _owned.Add(owned);
        return owned;
    }
}
