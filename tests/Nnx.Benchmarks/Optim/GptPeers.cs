using System;
using System.Collections.Generic;
using System.Linq;
using GptSample;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Benchmarks.Optim;

/// <summary>
/// One training step of the Gpt sample's model at its default size (the King James Bible's 9,799 GPT-2 tokens,
/// context 64, width 96, 3 layers, 4 heads, no dropout; batch 8): forward, cross-entropy, backward, update, with
/// <see cref="Optimizer"/> and with <c>torch.optim</c>, each on its own copy of the declared model.
/// </summary>
internal sealed class GptPeers : IDisposable
{
    /// <summary>The sample's default model; its vocabulary is the GPT-2 tokens the corpus uses.</summary>
    public static readonly ModelConfig Config = ModelConfig.Small with { Vocab = 9799 };

    public const int Batch = 8;

    private readonly List<IDisposable> _owned = [];
    private readonly Tensor _inputs, _targets;

    public GptPeers()
    {
        var generator = new torch.Generator(1);
        Tensor windows = Own(torch.randint(0, Config.Vocab, [Batch, Config.Context + 1], generator: generator));
        _inputs = Own(windows[.., ..^1].contiguous());
        _targets = Own(windows[.., 1..].flatten());
    }

    public List<TimedPeer> Peers()
    {
        Gpt torchAdamModel = Model(), adamModel = Model(), torchAdamWModel = Model(), adamWModel = Model();
        var torchAdam = Own(torch.optim.Adam(torchAdamModel.parameters(), 3e-3));
        var torchAdamW = Own(torch.optim.AdamW(torchAdamWModel.parameters(), 3e-3, weight_decay: 0.1));
        var adam = Own(new Optimizer(adamModel, UpdateRule.Adam(3e-3)));
        var adamW = Own(new Optimizer(adamWModel, UpdateRule.AdamW(3e-3, weightDecay: 0.1).ClipByGlobalNorm(1.0)));
        var torchAdamWParameters = torchAdamWModel.parameters().ToArray();
        return
        [
            TimedPeer.Local("Gpt step, torch.optim.Adam", () => Step(torchAdamModel, () => torchAdam.zero_grad(), () => torchAdam.step())),
            TimedPeer.Local("Gpt step, Nnx Adam", () => Step(adamModel, adam.ZeroGrad, adam.Step)),
            TimedPeer.Local("Gpt step, clip_grad_norm_ + torch.optim.AdamW", () => Step(torchAdamWModel, () => torchAdamW.zero_grad(), () =>
            {
                torch.nn.utils.clip_grad_norm_(torchAdamWParameters, 1.0);
                torchAdamW.step();
            })),
            TimedPeer.Local("Gpt step, Nnx AdamW + clipping", () => Step(adamWModel, adamW.ZeroGrad, adamW.Step)),
        ];
    }

    public void Dispose()
    {
        foreach (IDisposable owned in _owned) owned.Dispose();
    }

    private Gpt Model() => Own(Config.Build(new Rngs(0)));

    private void Step(Gpt model, Action zeroGrad, Action update)
    {
        using var scope = torch.NewDisposeScope();
        zeroGrad();
        Tensor loss = torch.nn.functional.cross_entropy(model.Forward(_inputs).flatten(0, 1), _targets);
        loss.backward();
        update();
    }

    private T Own<T>(T owned) where T : IDisposable
    {
        _owned.Add(owned);
        return owned;
    }
}
