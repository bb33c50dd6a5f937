using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Benchmarks.Training;

/// <summary>
/// Issue 8 items 2 and 3 at the TinyLm sample's default size (vocabulary 74, context 24, width 48, hidden 256,
/// batch 64): one Adam training step, and constructing the model with all parameters initialised, generated vs
/// hand-written TorchSharp.
/// </summary>
[MemoryDiagnoser]
public class TrainingBenchmarks
{
    private const int Vocab = 74, DModel = 48, Context = 24, Hidden = 256, Batch = 64;

    private GeneratedCharModel _generated = null!;
    private HandWrittenCharModel _hand = null!;
    private torch.optim.Optimizer _generatedAdam = null!, _handAdam = null!;
    private Tensor _contexts = null!, _targets = null!;

    [GlobalSetup]
    public void Setup()
    {
        _generated = new GeneratedCharModel(vocab: Vocab, dModel: DModel, context: Context, hidden: Hidden, rngs: new Rngs(0));
        _hand = new HandWrittenCharModel(Vocab, DModel, Context, Hidden);
        _generatedAdam = torch.optim.Adam(_generated.parameters(), 3e-3);
        _handAdam = torch.optim.Adam(_hand.parameters(), 3e-3);
        var random = new System.Random(1);
        _contexts = torch.tensor(Enumerable.Range(0, Batch * Context).Select(_ => (long)random.Next(Vocab)).ToArray(), new long[] { Batch, Context });
        _targets = torch.tensor(Enumerable.Range(0, Batch).Select(_ => (long)random.Next(Vocab)).ToArray());
    }

    [Benchmark(Baseline = true), BenchmarkCategory("step")]
    public float TrainStep_HandWritten() => Step(_hand.forward, _handAdam);

    [Benchmark, BenchmarkCategory("step")]
    public float TrainStep_Generated() => Step(_generated.Forward, _generatedAdam);

    [Benchmark, BenchmarkCategory("construct")]
    public long Construct_HandWritten_TorchSharpInit()
    {
        using var model = new HandWrittenCharModel(Vocab, DModel, Context, Hidden);
        return model.parameters().Count();
    }

    [Benchmark, BenchmarkCategory("construct")]
    public long Construct_Generated_JaxExactInit()
    {
        using var model = new GeneratedCharModel(vocab: Vocab, dModel: DModel, context: Context, hidden: Hidden, rngs: new Rngs(0));
        return model.parameters().Count();
    }

    private float Step(Func<Tensor, Tensor> forward, torch.optim.Optimizer adam)
    {
        using var scope = torch.NewDisposeScope();
        adam.zero_grad();
        Tensor loss = torch.nn.functional.cross_entropy(forward(_contexts), _targets);
        loss.backward();
        adam.step();
        return loss.item<float>();
    }
}
