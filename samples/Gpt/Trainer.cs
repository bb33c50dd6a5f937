using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Nnx;
using TorchSharp;
using static TorchSharp.torch;

namespace GptSample;

/// <summary>
/// Trains <see cref="Gpt"/> on next-token prediction with <see cref="Optimizer"/>: AdamW (weight decay on matrices
/// only), a linear warm-up into a cosine decay, and clipping at a global gradient norm. Everything random comes from
/// one <see cref="Rngs"/>: parameters from <c>params</c>, the dropout layers' own streams forked from <c>dropout</c>,
/// batches from <c>data</c>, generated text from <c>sample</c>. A checkpoint holds the model (dropout streams
/// included), the optimizer state, and the step, stream counts and loss history, so a resumed run continues exactly.
/// </summary>
internal sealed class Trainer : IDisposable
{
    private const string StepKey = "gpt.step";
    private const string CountsKey = "gpt.rng_counts";
    private const string HistoryKey = "gpt.history";
    private const string ShapeKey = "gpt.shape";
    private const string VocabKey = "gpt.vocab";
    private const int ValidationWindows = 16;

    private readonly TrainingOptions _options;
    private readonly TokenCorpus _corpus;
    private readonly Rngs _rngs;
    private readonly Optimizer _optimizer;
    private readonly long[] _validationStarts;

    /// <summary>
    /// GPT-2 practice: weight decay on the weight matrices (the token table included), not on biases or LayerNorm
    /// scales. Chosen by name, as NNX users do, because the attention's biases are <c>(heads, headDim)</c> matrices in
    /// NNX's layout.
    /// </summary>
    public static StateFilter DecayedWeights { get; } = StateFilter.PathMatches("(kernel|embedding)$");

    public Trainer(TrainingOptions options, TokenCorpus corpus)
    {
        _options = options;
        _corpus = corpus;
        _rngs = new Rngs(options.Seed);
        Config = options.Model with { Vocab = corpus.Vocab.Size };
        Model = Config.Build(_rngs);
        Schedule learningRate = Schedule.WarmupCosineDecay(0.0, options.LearningRate, options.WarmupSteps, options.Steps, endValue: options.LearningRate / 10);
        _optimizer = new Optimizer(Model, UpdateRule.AdamW(learningRate, weightDecay: options.WeightDecay, weightDecayMask: DecayedWeights).ClipByGlobalNorm(options.ClipNorm));
        // Fixed, evenly spread validation windows, so every evaluation measures the same thing.
        long last = corpus.Validation.Length - Window;
        _validationStarts = Enumerable.Range(0, ValidationWindows).Select(i => i * last / ValidationWindows).ToArray();
    }

    public Gpt Model { get; }

    /// <summary>The model's sizes, its vocabulary the corpus's.</summary>
    public ModelConfig Config { get; }

    /// <summary>Steps completed so far (including those before a resume).</summary>
    public int Step { get; private set; }

    /// <summary>(step, loss) of every training step.</summary>
    public List<(int Step, double Loss)> TrainLosses { get; } = [];

    /// <summary>(step, loss) of every evaluation on the validation text.</summary>
    public List<(int Step, double Loss)> ValidationLosses { get; } = [];

    /// <summary>The learning rate of the next step.</summary>
    public double LearningRate => _optimizer.LearningRate;

    /// <summary>Tokens per training step.</summary>
    public long TokensPerStep => _options.Batch * Config.Context;

    // A window is the context plus the token after it.
    private int Window => (int)Config.Context + 1;

    /// <summary>One AdamW step on windows drawn from the <c>data</c> stream; returns the batch loss in nats per token.</summary>
    public double TrainStep()
    {
        Model.train();
        using var scope = torch.NewDisposeScope();
        uint[] bits = JaxRandom.Bits(_rngs.Next("data"), _options.Batch);
        long[] starts = bits.Select(b => (long)(b % (uint)(_corpus.Train.Length - Window + 1))).ToArray();
        _optimizer.ZeroGrad();
        Tensor loss = Loss(Windows(_corpus.Train, starts));
        loss.backward();
        _optimizer.Step();
        double value = loss.item<float>();
        Step++;
        TrainLosses.Add((Step, value));
        return value;
    }

    /// <summary>Mean loss over the fixed validation windows, in eval mode (no dropout) without gradients.</summary>
    public double Evaluate()
    {
        Model.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        double value = Loss(Windows(_corpus.Validation, _validationStarts)).item<float>();
        ValidationLosses.Add((Step, value));
        return value;
    }

    /// <summary>
    /// Writes model, optimizer state (step, moments) and training record to one safetensors file, replaced atomically:
    /// tensors under <c>model.</c> and <c>opt_state.</c>, step, stream counts, loss history and sizes in the metadata.
    /// </summary>
    public void SaveCheckpoint(string path)
    {
        var metadata = new Dictionary<string, string>
        {
            [StepKey] = Step.ToString(CultureInfo.InvariantCulture),
            [CountsKey] = JsonSerializer.Serialize(_rngs.GetCounts()),
            [HistoryKey] = JsonSerializer.Serialize(new History(TrainLosses.Select(p => p.Loss).ToArray(), ValidationLosses.Select(p => new[] { p.Step, p.Loss }).ToArray())),
            [ShapeKey] = Config.ToString(),
            [VocabKey] = _corpus.Vocab.Describe(),
        };
        _optimizer.SaveCheckpoint(path, metadata);
    }

    /// <summary>Restores model, optimizer state, step, stream counts and loss history from <see cref="SaveCheckpoint"/>'s file.</summary>
    /// <exception cref="InvalidDataException">The checkpoint has other sizes or lacks the training record.</exception>
    public void Resume(string path)
    {
        CheckpointLoadResult loaded = _optimizer.LoadCheckpoint(path);
        IReadOnlyDictionary<string, string> metadata = loaded.Metadata;
        if (!metadata.TryGetValue(ShapeKey, out string? shape) || !metadata.TryGetValue(StepKey, out string? step) ||
            !metadata.TryGetValue(CountsKey, out string? counts) || !metadata.TryGetValue(HistoryKey, out string? history) ||
            !metadata.TryGetValue(VocabKey, out string? vocab))
            throw new InvalidDataException($"{path} is not a Gpt training checkpoint (its metadata lacks the step, RNG counts, history, sizes or vocabulary).");
        if (shape != Config.ToString())
            throw new InvalidDataException($"{path} was trained with {shape}; this run uses {Config}. Pass the same sizes.");
        if (vocab != _corpus.Vocab.Describe())
            throw new InvalidDataException($"{path} was trained on another token vocabulary; pass the same --corpus, --max-chars and --vocab.");
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
    /// Continues <paramref name="prompt"/> by <paramref name="tokens"/> GPT-2 tokens, each drawn from the 40 likeliest
    /// at temperature 0.8 with a key of the <c>sample</c> stream, the model seeing at most its context.
    /// </summary>
    public string Generate(string prompt, int tokens)
    {
        Model.eval();
        List<int> ids = [.. _corpus.Vocab.ToModel(Gpt2Tokenizer.Encode(prompt))];
        using var noGrad = torch.no_grad();
        for (int i = 0; i < tokens; i++)
        {
            using var scope = torch.NewDisposeScope();
            long[] context = ids.Skip(Math.Max(0, ids.Count - (int)Config.Context)).Select(id => (long)id).ToArray();
            Tensor logits = Model.Forward(torch.tensor(context, new long[] { 1, context.Length }))[0, -1];
            double u = (JaxRandom.Bits(_rngs.Next("sample"), 1)[0] >> 8) / (double)(1 << 24);
            ids.Add(TokenSampler.Draw(logits.data<float>().ToArray(), temperature: 0.8, topK: 40, u));
        }
        return Gpt2Tokenizer.Decode(_corpus.Vocab.ToGpt2(ids));
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        Model.Dispose();
    }

    // Mean next-token cross-entropy of (batch, context + 1) windows: position t predicts token t + 1.
    private Tensor Loss(Tensor windows)
    {
        Tensor logits = Model.Forward(windows[.., ..^1]);
        return torch.nn.functional.cross_entropy(logits.flatten(0, 1), windows[.., 1..].flatten());
    }

    private Tensor Windows(int[] tokens, long[] starts)
    {
        int window = Window;
        var ids = new long[starts.Length * window];
        for (int b = 0; b < starts.Length; b++)
            for (int j = 0; j < window; j++)
                ids[b * window + j] = tokens[starts[b] + j];
        return torch.tensor(ids, new long[] { starts.Length, window });
    }

    private sealed record History(double[] Train, double[][] Validation);
}
