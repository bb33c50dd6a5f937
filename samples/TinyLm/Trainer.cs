using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Nnx;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyLmSample;

/// <summary>
/// Trains <see cref="CharModel"/> with Adam (<see cref="Optimizer"/>) on next-character prediction. Everything random
/// comes from one <see cref="Rngs"/>: parameters from <c>params</c>, batches from <c>data</c>, generated text from
/// <c>sample</c>; a checkpoint holds the model, the Adam state and the stream counts, so a resumed run continues
/// exactly where the saved one was.
/// </summary>
internal sealed class Trainer : IDisposable
{
    private const string StepKey = "tinylm.step";
    private const string CountsKey = "tinylm.rng_counts";
    private const string HistoryKey = "tinylm.history";
    private const string ShapeKey = "tinylm.shape";

    private readonly TrainingOptions _options;
    private readonly Corpus _corpus;
    private readonly Rngs _rngs;
    private readonly Optimizer _optimizer;
    private readonly long[] _validationTargets;

    public Trainer(TrainingOptions options, Corpus corpus)
    {
        _options = options;
        _corpus = corpus;
        _rngs = new Rngs(options.Seed);
        Model = new CharModel(vocab: corpus.Vocab.Size, dModel: options.DModel, context: options.Context, hidden: options.Hidden, rngs: _rngs);
        _optimizer = new Optimizer(Model, UpdateRule.Adam(options.LearningRate));
        // A fixed, evenly spread set of validation positions, so every evaluation measures the same thing.
        int count = Math.Min(2048, corpus.Validation.Length - 1);
        _validationTargets = Enumerable.Range(0, count).Select(i => 1 + (long)i * (corpus.Validation.Length - 1) / count).ToArray();
    }

    public CharModel Model { get; }

    /// <summary>Steps completed so far (including those before a resume).</summary>
    public int Step { get; private set; }

    /// <summary>(step, loss) of every training step.</summary>
    public List<(int Step, double Loss)> TrainLosses { get; } = [];

    /// <summary>(step, loss) of every evaluation on the validation text.</summary>
    public List<(int Step, double Loss)> ValidationLosses { get; } = [];

    /// <summary>One Adam step on a batch drawn from the <c>data</c> stream; returns the batch loss.</summary>
    public double TrainStep()
    {
        Model.train();
        using var scope = torch.NewDisposeScope();
        long[] positions = RandomTargets(_rngs.Next("data"), _options.Batch, _corpus.Train.Length);
        Tensor contexts = Contexts(_corpus.Train, positions);
        Tensor targets = Targets(_corpus.Train, positions);
        _optimizer.ZeroGrad();
        Tensor loss = torch.nn.functional.cross_entropy(Model.Forward(contexts), targets);
        loss.backward();
        _optimizer.Step();
        double value = loss.item<float>();
        Step++;
        TrainLosses.Add((Step, value));
        return value;
    }

    /// <summary>Mean cross-entropy over the fixed validation positions, in eval mode without gradients.</summary>
    public double Evaluate()
    {
        Model.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Tensor logits = Model.Forward(Contexts(_corpus.Validation, _validationTargets));
        double value = torch.nn.functional.cross_entropy(logits, Targets(_corpus.Validation, _validationTargets)).item<float>();
        ValidationLosses.Add((Step, value));
        return value;
    }

    /// <summary>
    /// Writes the optimizer's state to one safetensors file: the model under <c>model.</c>, the Adam moments and update
    /// count as OptState, and step, RNG counts and loss history in the metadata. The file is replaced atomically.
    /// </summary>
    public void SaveCheckpoint(string path)
    {
        var metadata = new Dictionary<string, string>
        {
            [StepKey] = Step.ToString(CultureInfo.InvariantCulture),
            [CountsKey] = JsonSerializer.Serialize(_rngs.GetCounts()),
            [HistoryKey] = JsonSerializer.Serialize(new History(TrainLosses.Select(p => p.Loss).ToArray(), ValidationLosses.Select(p => new[] { p.Step, p.Loss }).ToArray())),
            [ShapeKey] = Shape,
        };
        _optimizer.SaveCheckpoint(path, metadata);
    }

    /// <summary>Restores model, Adam state, step, RNG counts and loss history from <see cref="SaveCheckpoint"/>'s file.</summary>
    /// <exception cref="InvalidDataException">The checkpoint was made with other sizes or lacks the training record.</exception>
    public void Resume(string path)
    {
        CheckpointLoadResult loaded = _optimizer.LoadCheckpoint(path);
        IReadOnlyDictionary<string, string> metadata = loaded.Metadata;
        if (!metadata.TryGetValue(ShapeKey, out string? shape) || !metadata.TryGetValue(StepKey, out string? step) ||
            !metadata.TryGetValue(CountsKey, out string? counts) || !metadata.TryGetValue(HistoryKey, out string? history))
            throw new InvalidDataException($"{path} is not a TinyLm training checkpoint (its metadata lacks the step, RNG counts or history).");
        if (shape != Shape)
            throw new InvalidDataException($"{path} was trained with {shape}; this run uses {Shape}. Pass the same --context/--d-model/--hidden and corpus.");
        Step = int.Parse(step, CultureInfo.InvariantCulture);
        foreach (var (stream, count) in JsonSerializer.Deserialize<Dictionary<string, uint>>(counts)!)
            _rngs.SetCount(stream, count);
        History record = JsonSerializer.Deserialize<History>(history)!;
        TrainLosses.Clear();
        TrainLosses.AddRange(record.Train.Select((loss, i) => (i + 1, loss)));
        ValidationLosses.Clear();
        ValidationLosses.AddRange(record.Validation.Select(p => ((int)p[0], p[1])));
    }

    /// <summary>
    /// Continues <paramref name="prompt"/> by sampling characters (temperature 0.8) with keys from the <c>sample</c>
    /// stream; a prompt shorter than the context is preceded by the training text's commonest character.
    /// </summary>
    public string Generate(string prompt, int length)
    {
        Model.eval();
        int[] promptIds = _corpus.Vocab.Encode(prompt);
        List<int> ids = CharSampler.FillContext(promptIds, _options.Context, CharSampler.Commonest(_corpus.Train));
        int start = ids.Count - promptIds.Length;
        using var noGrad = torch.no_grad();
        for (int i = 0; i < length; i++)
        {
            using var scope = torch.NewDisposeScope();
            float[] logits = Model.Forward(Contexts(ids.ToArray(), [ids.Count])).data<float>().ToArray();
            double u = (JaxRandom.Bits(_rngs.Next("sample"), 1)[0] >> 8) / (double)(1 << 24);
            ids.Add(CharSampler.Draw(logits, temperature: 0.8, u));
        }
        return _corpus.Vocab.Decode(ids.Skip(start));
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        Model.Dispose();
    }

    private string Shape => $"vocab={_corpus.Vocab.Size},context={_options.Context},dModel={_options.DModel},hidden={_options.Hidden}";

    // Target positions t in [1, n): the model sees the `context` characters before t (padding before the text starts).
    private static long[] RandomTargets(PrngKey key, int batch, int n) =>
        JaxRandom.Bits(key, batch).Select(bits => 1 + (long)(bits % (uint)(n - 1))).ToArray();

    // Row b holds the `context` characters before position targets[b], padded where the text has not started.
    private Tensor Contexts(int[] text, long[] targets)
    {
        int context = _options.Context;
        var windows = new long[targets.Length * context];
        for (int b = 0; b < targets.Length; b++)
            for (int j = 0; j < context; j++)
            {
                long source = targets[b] - context + j;
                windows[b * context + j] = source >= 0 ? text[source] : CharVocab.PaddingId;
            }
        return torch.tensor(windows, new long[] { targets.Length, context });
    }

    private static Tensor Targets(int[] text, long[] targets) => torch.tensor(targets.Select(t => (long)text[t]).ToArray());

    private sealed record History(double[] Train, double[][] Validation);
}
