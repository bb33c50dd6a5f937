using System;
using System.Collections.Generic;
using System.Globalization;

namespace TinyLmSample;

/// <summary>The command line of the TinyLm sample; every option has a default that trains in about a minute on 2 cores.</summary>
internal sealed record TrainingOptions
{
    public int Steps { get; init; } = 6000;
    public double LearningRate { get; init; } = 3e-3;
    public long Seed { get; init; }
    public int Batch { get; init; } = 64;
    public int Context { get; init; } = 24;
    public int DModel { get; init; } = 48;
    public int Hidden { get; init; } = 256;
    public string Out { get; init; } = "tinylm-out";
    public string? Resume { get; init; }
    public int CheckpointEvery { get; init; } = 1000;
    public int EvalEvery { get; init; } = 250;
    public string Corpus { get; init; } = TinyLmSample.Corpus.DefaultPath;
    public int MaxChars { get; init; } = int.MaxValue;
    public int Generate { get; init; } = 400;
    public bool Quiet { get; init; }

    public const string Usage =
        "usage: TinyLm [--steps N] [--lr X] [--seed N] [--batch N] [--out DIR] [--resume CHECKPOINT]\n" +
        "              [--checkpoint-every N] [--eval-every N] [--context N] [--d-model N] [--hidden N]\n" +
        "              [--corpus FILE(.gz)] [--max-chars N] [--generate N] [--quiet]\n" +
        "  Trains a character-level language model (tied embedding head) on the bundled King James Bible text,\n" +
        "  writes checkpoints, loss.png and a text sample into --out.";

    public static TrainingOptions Parse(IReadOnlyList<string> args)
    {
        var options = new TrainingOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string flag = args[i];
            if (flag == "--quiet") { options = options with { Quiet = true }; continue; }
            if (i + 1 >= args.Count) throw new UsageException($"{flag} needs a value");
            string value = args[++i];
            options = flag switch
            {
                "--steps" => options with { Steps = Positive(flag, value) },
                "--lr" => options with { LearningRate = PositiveReal(flag, value) },
                "--seed" => options with { Seed = Integer(flag, value) },
                "--batch" => options with { Batch = Positive(flag, value) },
                "--context" => options with { Context = Positive(flag, value) },
                "--d-model" => options with { DModel = Positive(flag, value) },
                "--hidden" => options with { Hidden = Positive(flag, value) },
                "--out" => options with { Out = value },
                "--resume" => options with { Resume = value },
                "--checkpoint-every" => options with { CheckpointEvery = Positive(flag, value) },
                "--eval-every" => options with { EvalEvery = Positive(flag, value) },
                "--corpus" => options with { Corpus = value },
                "--max-chars" => options with { MaxChars = Positive(flag, value) },
                "--generate" => options with { Generate = (int)Math.Max(0, Integer(flag, value)) },
                _ => throw new UsageException($"unknown argument '{flag}'"),
            };
        }
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
}

/// <summary>A command-line mistake: printed with the usage, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
