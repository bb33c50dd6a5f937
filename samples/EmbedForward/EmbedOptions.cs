using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace EmbedForward;

/// <summary>Where the token ids come from: a list on the command line, or a file (<c>-</c> for standard input).</summary>
internal abstract record IdSource
{
    /// <summary>Ids given with <c>--ids</c>.</summary>
    public sealed record Inline(string Text) : IdSource;

    /// <summary>Ids read from <c>--ids-file</c>; <c>-</c> is standard input.</summary>
    public sealed record FromFile(string Path) : IdSource;
}

/// <summary>The command line of the seed program, parsed and checked; integers may be written as floats (<c>4.0</c>).</summary>
internal sealed record EmbedOptions(long Seed, IdSource Ids, long Vocab, long DModel, bool Json, bool Help = false)
{
    /// <summary>What runs when no argument is given: the first case of the JAX reference tables.</summary>
    public static EmbedOptions Default { get; } = new(0, new IdSource.Inline("0,1,2"), 4, 3, false);

    public const string Usage =
        """
        usage: EmbedForward [--seed N] (--ids I,J,... | --ids-file PATH) --vocab V --d-model D [--format lines|json]
               EmbedForward --help

        Builds MyEmbed(vocab, dModel, new Rngs(seed)), a (V, D) float32 table drawn as Flax NNX draws it, and prints
        the rows of the given token ids: T*D float32 values in shortest round-trip form, one per line (lines) or in
        one JSON array (json). The output is streamed: memory grows by 8 bytes per id, not with the output.

          --seed N         any integer from -2^63 to 2^63-1; default 0. As jax.random.key(N) in JAX's default
                           32-bit mode, only N mod 2^32 is used: -1 and 4294967295 give the same table, and
                           4294967296 gives seed 0's.
          --ids I,J,...    token ids in [0, V), separated by commas ("[0, 1, 2]" works too)
          --ids-file PATH  token ids in a file, separated by commas, spaces or newlines (a JSON array works
                           too); '-' reads standard input. For any number of ids.
          --vocab V        vocabulary size, at least 1
          --d-model D      embedding width, at least 1; the V x D table must fit in memory (4 bytes a value)
          --format F       lines (default) or json
          --help, -h       this text

        Numbers may be written as floats (4.0, 1e3) but must be whole. With no arguments:
        --seed 0 --ids 0,1,2 --vocab 4 --d-model 3. Exit codes: 0 success, 1 error, 2 bad command line.
        """;

    private static readonly string[] Flags = ["--seed", "--ids", "--ids-file", "--vocab", "--d-model", "--format"];

    /// <summary>Parses the arguments; throws <see cref="UsageException"/> with a message naming the bad value.</summary>
    public static EmbedOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0) return Default;
        if (args.Contains("--help") || args.Contains("-h")) return Default with { Help = true };
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
            if (Array.IndexOf(Flags, flag) < 0)
                throw new UsageException($"unknown argument '{Shown(args[i])}'");
            if (values.ContainsKey(flag))
                throw new UsageException($"{flag} is given twice");
            if (inline is null)
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
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
        IdSource ids = (values.TryGetValue("--ids", out string? list), values.TryGetValue("--ids-file", out string? file)) switch
        {
            (true, true) => throw new UsageException("give --ids or --ids-file, not both"),
            (true, false) => new IdSource.Inline(list!),
            (false, true) => new IdSource.FromFile(file!),
            _ => throw new UsageException("missing --ids (or --ids-file)"),
        };
        bool json = values.TryGetValue("--format", out string? format) && format switch
        {
            "json" => true,
            "lines" => false,
            _ => throw new UsageException($"--format must be 'lines' or 'json', got '{Shown(format)}'"),
        };
        return new EmbedOptions(seed, ids, vocab, dModel, json);
    }

    private static string Required(Dictionary<string, string> values, string flag) =>
        values.TryGetValue(flag, out string? value) ? value : throw new UsageException($"missing {flag}");

    /// <summary>An integer written as <c>7</c>, <c>7.0</c> or <c>7e0</c>; anything with a fractional part is an error.</summary>
    internal static long WholeNumber(string what, string text)
    {
        string t = text.Trim();
        if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long exact)) return exact;
        if (!decimal.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal value))
            throw new UsageException(double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double large) && double.IsFinite(large)
                ? $"{what} is outside the 64-bit integer range, got '{Shown(text)}'"
                : $"{what} must be a number, got '{Shown(text)}'");
        if (value != decimal.Truncate(value))
            throw new UsageException($"{what} must be a whole number, got '{Shown(text)}'");
        if (value < long.MinValue || value > long.MaxValue)
            throw new UsageException($"{what} is outside the 64-bit integer range, got '{Shown(text)}'");
        return (long)value;
    }

    /// <summary>A value from the command line or a file as a message shows it: its first 40 characters.</summary>
    internal static string Shown(string text) => text.Length <= 40 ? text : $"{text[..40]}... ({text.Length} characters)";
}

/// <summary>A command-line mistake: printed to stderr with a pointer to <c>--help</c>, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
