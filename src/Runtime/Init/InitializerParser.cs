using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Nnx;

/// <summary>Turns <c>name(arg, ...)</c> into an <see cref="Initializer"/>; the one place that knows every name.</summary>
internal static class InitializerParser
{
    private delegate Initializer Factory(string spec, double[] args);

    private sealed record Entry(string Usage, int MinArgs, int MaxArgs, Factory Create);

    private static readonly Dictionary<string, Entry> Known = new(StringComparer.Ordinal)
    {
        ["normal"] = new("normal or normal(stddev)", 0, 1, (s, a) => new NormalInitializer(s, a.Length == 0 ? 1.0 : a[0])),
        ["zeros"] = new("zeros", 0, 0, (s, _) => new ConstantInitializer(s, 0.0)),
        ["ones"] = new("ones", 0, 0, (s, _) => new ConstantInitializer(s, 1.0)),
        ["constant"] = new("constant(value)", 1, 1, (s, a) => new ConstantInitializer(s, a[0])),
    };

    /// <summary>The accepted forms, for error messages.</summary>
    public static string ValidForms => string.Join(", ", Known.Values.Select(e => e.Usage));

    public static Initializer Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string text = spec.Trim();
        string name = text;
        double[] args = [];
        int open = text.IndexOf('(');
        if (open >= 0)
        {
            if (!text.EndsWith(')'))
                throw Bad(spec, "it opens '(' without a closing ')' at the end");
            name = text[..open].Trim();
            args = ParseArgs(spec, text[(open + 1)..^1]);
        }
        if (!Known.TryGetValue(name, out Entry? entry))
            throw Bad(spec, $"'{name}' is not a known initializer");
        if (args.Length < entry.MinArgs || args.Length > entry.MaxArgs)
            throw Bad(spec, $"'{name}' takes {Arity(entry)}, got {args.Length}");
        string canonical = args.Length == 0 ? name : $"{name}({string.Join(", ", args.Select(a => a.ToString("R", CultureInfo.InvariantCulture)))})";
        return entry.Create(canonical, args);
    }

    private static double[] ParseArgs(string spec, string inner)
    {
        if (inner.Trim().Length == 0) return [];
        string[] parts = inner.Split(',');
        var args = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out args[i]) || !double.IsFinite(args[i]))
                throw Bad(spec, $"argument {i + 1} ('{parts[i].Trim()}') is not a finite number");
        }
        return args;
    }

    private static string Arity(Entry e) =>
        e.MinArgs == e.MaxArgs ? $"{e.MinArgs} argument(s)" : $"{e.MinArgs} to {e.MaxArgs} arguments";

    private static FormatException Bad(string spec, string why) =>
        new($"Init \"{spec}\" is not valid: {why}. Valid forms: {ValidForms}.");
}
