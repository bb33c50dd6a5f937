using System;
using System.Collections.Generic;
using System.Globalization;

namespace GptSample;

/// <summary>The command line of the Gpt sample; the defaults train the small model for about a minute on 2 cores.</summary>
internal sealed record TrainingOptions
{
    public ModelConfig Model { get; init; } = ModelConfig.Small;
    public bool SummaryOnly { get; init; }
    public bool FullVocab { get; init; }
    public int Steps { get; init; } = 800;
    public double LearningRate { get; init; } = 6e-3;
    public int WarmupSteps { get; init; } = 50;
    public double WeightDecay { get; init; } = 0.1;
    public double ClipNorm { get; init; } = 1.0;
    public long Seed { get; init; }
    public int Batch { get; init; } = 8;
    public string Out { get; init; } = "gpt-out";
    public string? Resume { get; init; }
    public int CheckpointEvery { get; init; } = 200;
    public int EvalEvery { get; init; } = 50;
    public string Corpus { get; init; } = TokenCorpus.DefaultPath;
    public int MaxChars { get; init; } = int.MaxValue;
    public int Generate { get; init; } = 80;
    public string Prompt { get; init; } = "And God said,";
    public bool Quiet { get; init; }
    public bool Help { get; init; }

    public const string Usage =
        "usage: Gpt [--config small|gpt2-small] [--vocab corpus|gpt2] [--steps N] [--lr X] [--warmup N] [--weight-decay X] [--clip X]\n" +
        "           [--seed N] [--batch N] [--context N] [--width N] [--layers N] [--heads N] [--dropout X]\n" +
        "           [--out DIR] [--resume CHECKPOINT] [--checkpoint-every N] [--eval-every N]\n" +
        "           [--corpus FILE(.gz)] [--max-chars N] [--generate N] [--prompt TEXT] [--quiet] [--help]\n" +
        "  Trains a small GPT-2 (GPT-2 BPE tokens, AdamW with warm-up and cosine decay, clipping at global norm --clip)\n" +
        "  on the King James Bible and writes checkpoints, loss.png and a text sample into --out. The token table holds\n" +
        "  the GPT-2 tokens that occur in the text (--vocab corpus) or all 50,257 (--vocab gpt2).\n" +
        "  --config gpt2-small builds the published GPT-2 small, prints its summary and parameter count, and exits.";

    public static TrainingOptions Parse(IReadOnlyList<string> args)
    {
        var options = new TrainingOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string flag = args[i];
            if (flag == "--quiet") { options = options with { Quiet = true }; continue; }
            if (flag is "--help" or "-h") return options with { Help = true };
            if (i + 1 >= args.Count) throw new UsageException($"{flag} needs a value");
            string value = args[++i];
            options = flag switch
            {
                "--config" => value switch
                {
                    "small" => options with { Model = ModelConfig.Small, SummaryOnly = false },
                    "gpt2-small" => options with { Model = ModelConfig.Gpt2Small, SummaryOnly = true },
                    _ => throw new UsageException($"--config must be small or gpt2-small, got '{value}'"),
                },
                "--vocab" => value switch
                {
                    "corpus" => options with { FullVocab = false },
                    "gpt2" => options with { FullVocab = true },
                    _ => throw new UsageException($"--vocab must be corpus or gpt2, got '{value}'"),
                },
                "--steps" => options with { Steps = Positive(flag, value) },
                "--lr" => options with { LearningRate = PositiveReal(flag, value) },
                "--warmup" => options with { WarmupSteps = Positive(flag, value) },
                "--weight-decay" => options with { WeightDecay = Fraction(flag, value) },
                "--clip" => options with { ClipNorm = PositiveReal(flag, value) },
                "--seed" => options with { Seed = Integer(flag, value) },
                "--batch" => options with { Batch = Positive(flag, value) },
                "--context" => options with { Model = options.Model with { Context = Positive(flag, value) } },
                "--width" => options with { Model = options.Model with { Width = Positive(flag, value) } },
                "--layers" => options with { Model = options.Model with { Layers = Positive(flag, value) } },
                "--heads" => options with { Model = options.Model with { Heads = Positive(flag, value) } },
                "--dropout" => options with { Model = options.Model with { DropoutRate = Fraction(flag, value) } },
                "--out" => options with { Out = value },
                "--resume" => options with { Resume = value },
                "--checkpoint-every" => options with { CheckpointEvery = Positive(flag, value) },
                "--eval-every" => options with { EvalEvery = Positive(flag, value) },
                "--corpus" => options with { Corpus = value },
                "--max-chars" => options with { MaxChars = Positive(flag, value) },
                "--generate" => options with { Generate = (int)Math.Clamp(Integer(flag, value), 0, int.MaxValue) },
                "--prompt" => options with { Prompt = value.Length > 0 ? value : throw new UsageException("--prompt must not be empty") },
                _ => throw new UsageException($"unknown argument '{flag}'"),
            };
        }
        if (options.WarmupSteps >= options.Steps && !options.SummaryOnly)
            throw new UsageException($"--warmup ({options.WarmupSteps}) must be below --steps ({options.Steps})");
        if (options.Model.Width % options.Model.Heads != 0)
            throw new UsageException($"--width ({options.Model.Width}) must be divisible by --heads ({options.Model.Heads})");
        return options;
    }

    private static long Integer(string flag, string value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) ? n : throw new UsageException($"{flag} must be an integer, got '{value}'");

    private static int Positive(string flag, string value)
    {
        long n = Integer(flag, value);
        return n is >= 1 and <= int.MaxValue ? (int)n : throw new UsageException($"{flag} must be at least 1, got {n}");
    }

    private static double PositiveReal(string flag, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && x > 0 && double.IsFinite(x)
            ? x : throw new UsageException($"{flag} must be a positive number, got '{value}'");

    private static double Fraction(string flag, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && x >= 0 && x < 1
            ? x : throw new UsageException($"{flag} must be a number in [0, 1), got '{value}'");
}

/// <summary>A command-line mistake: printed with the usage, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
