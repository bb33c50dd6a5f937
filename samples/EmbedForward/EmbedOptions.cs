using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace EmbedForward;

/// <summary>The command line of the seed program, parsed and checked; integers may be written as floats (<c>4.0</c>).</summary>
internal sealed record EmbedOptions(long Seed, long[] Ids, long Vocab, long DModel, bool Json)
{
    /// <summary>What runs when no argument is given: the first case of the JAX reference tables.</summary>
    public static EmbedOptions Default { get; } = new(0, [0, 1, 2], 4, 3, false);

    public const string Usage =
        "usage: EmbedForward [--seed N] --ids I,J,... --vocab V --d-model D [--format lines|json]\n" +
        "  Builds MyEmbed(vocab, dModel, new Rngs(seed)) and prints the T*dModel float32 values of the looked-up rows.\n" +
        "  Numbers may be written as floats (4.0) but must be whole. --seed defaults to 0.\n" +
        "  With no arguments: --seed 0 --ids 0,1,2 --vocab 4 --d-model 3.";

    /// <summary>Parses the arguments; throws <see cref="UsageException"/> with a message naming the bad value.</summary>
    public static EmbedOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0) return Default;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            string flag = args[i];
            string? inline = null;
            int eq = flag.IndexOf('=');
            if (flag.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inline = flag[(eq + 1)..];
                flag = flag[..eq];
            }
            if (flag is not ("--seed" or "--ids" or "--vocab" or "--d-model" or "--format"))
                throw new UsageException($"unknown argument '{args[i]}'");
            if (values.ContainsKey(flag))
                throw new UsageException($"{flag} is given twice");
            if (inline is null)
            {
                if (i + 1 >= args.Count || (args[i + 1].StartsWith("--", StringComparison.Ordinal)))
                    throw new UsageException($"{flag} needs a value");
                inline = args[++i];
            }
            values[flag] = inline;
        }

        long seed = values.TryGetValue("--seed", out string? s) ? WholeNumber("--seed", s) : 0;
        long vocab = WholeNumber("--vocab", Required(values, "--vocab"));
        long dModel = WholeNumber("--d-model", Required(values, "--d-model"));
        if (vocab < 1) throw new UsageException($"--vocab must be at least 1, got {vocab}");
        if (dModel < 1) throw new UsageException($"--d-model must be at least 1, got {dModel}");
        long[] ids = ParseIds(Required(values, "--ids"), vocab);
        bool json = values.TryGetValue("--format", out string? format) && format switch
        {
            "json" => true,
            "lines" => false,
            _ => throw new UsageException($"--format must be 'lines' or 'json', got '{format}'"),
        };
        return new EmbedOptions(seed, ids, vocab, dModel, json);
    }

    private static string Required(Dictionary<string, string> values, string flag) =>
        values.TryGetValue(flag, out string? value) ? value : throw new UsageException($"missing {flag}");

    private static long[] ParseIds(string text, long vocab)
    {
        string trimmed = text.Trim().TrimStart('[').TrimEnd(']').Trim();
        if (trimmed.Length == 0) return [];
        string[] parts = trimmed.Split(',', StringSplitOptions.TrimEntries);
        var ids = new long[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            ids[i] = WholeNumber($"token id at position {i}", parts[i]);
            if (ids[i] < 0 || ids[i] >= vocab)
                throw new UsageException($"token id {ids[i]} at position {i} is out of range for a vocabulary of {vocab}: ids must be in [0, {vocab - 1}]");
        }
        return ids;
    }

    /// <summary>An integer written as <c>7</c>, <c>7.0</c> or <c>7e0</c>; anything with a fractional part is an error.</summary>
    internal static long WholeNumber(string what, string text)
    {
        string t = text.Trim();
        if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long exact)) return exact;
        if (!decimal.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal value))
            throw new UsageException($"{what} must be a number, got '{text}'");
        if (value != decimal.Truncate(value))
            throw new UsageException($"{what} must be a whole number, got '{text}'");
        if (value < long.MinValue || value > long.MaxValue)
            throw new UsageException($"{what} is outside the 64-bit integer range, got '{text}'");
        return (long)value;
    }
}

/// <summary>A command-line mistake: printed to stderr with the usage, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
