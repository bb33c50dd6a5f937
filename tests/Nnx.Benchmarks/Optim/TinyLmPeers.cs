using System;
using System.Collections.Generic;
using System.Linq;
using Nnx.Benchmarks.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Benchmarks.Optim;

/// <summary>
/// One training step of the TinyLm sample's model at its default size (vocabulary 74, context 24, width 48, hidden 256,
/// batch 64): forward, cross-entropy, backward, update, with <see cref="Optimizer"/> and with <c>torch.optim</c>,
/// each on its own copy of the generated model.
/// </summary>
internal sealed class TinyLmPeers : IDisposable
{
    private const int Vocab = 74, DModel = 48, Context = 24, Hidden = 256, Batch = 64;

    private readonly List<IDisposable> _owned = [];
    private readonly Tensor _contexts, _targets;

    public TinyLmPeers()
    {
        var random = new System.Random(1);
        _contexts = Own(torch.tensor(Enumerable.Range(0, Batch * Context).Select(_ => (long)random.Next(Vocab)).ToArray(), new long[] { Batch, Context }));
        _targets = Own(torch.tensor(Enumerable.Range(0, Batch).Select(_ => (long)random.Next(Vocab)).ToArray()));
    }

    public List<TimedPeer> Peers()
    {
        GeneratedCharModel torchAdamModel = Model(), adamModel = Model(), torchSgdModel = Model(), sgdModel = Model();
        var torchAdam = Own(torch.optim.Adam(torchAdamModel.parameters(), 3e-3));
        var torchSgd = Own(torch.optim.SGD(torchSgdModel.parameters(), 3e-3));
        var adam = Own(new Optimizer(adamModel, UpdateRule.Adam(3e-3)));
        var sgd = Own(new Optimizer(sgdModel, UpdateRule.Sgd(3e-3)));
        return
        [
            TimedPeer.Local("TinyLm step, torch.optim.Adam", () => Step(torchAdamModel, () => torchAdam.zero_grad(), () => torchAdam.step())),
            TimedPeer.Local("TinyLm step, Nnx Adam", () => Step(adamModel, adam.ZeroGrad, adam.Step)),
            TimedPeer.Local("TinyLm step, torch.optim.SGD", () => Step(torchSgdModel, () => torchSgd.zero_grad(), () => torchSgd.step())),
            TimedPeer.Local("TinyLm step, Nnx SGD", () => Step(sgdModel, sgd.ZeroGrad, sgd.Step)),
        ];
    }

    public void Dispose()
    {
        foreach (IDisposable owned in _owned) owned.Dispose();
    }

    private GeneratedCharModel Model() =>
        Own(new GeneratedCharModel(vocab: Vocab, dModel: DModel, context: Context, hidden: Hidden, rngs: new Rngs(0)));

    private void Step(GeneratedCharModel model, Action zeroGrad, Action update)
    {
        using var scope = torch.NewDisposeScope();
        zeroGrad();
        Tensor loss = torch.nn.functional.cross_entropy(model.Forward(_contexts), _targets);
        loss.backward();
        update();
    }

    private T Own<T>(T owned) where T : IDisposable
    {
        _owned.Add(owned);
        return owned;
    }
}
