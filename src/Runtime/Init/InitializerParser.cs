using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Nnx;

/// <summary>
/// Turns <c>name(arg, ..., key=value)</c> into an <see cref="Initializer"/> built by <see cref="Initializers"/>; the one
/// place that knows every <c>Init</c> name. Arguments are numbers, words (<c>fan_in</c>, optionally quoted) or axis
/// tuples (<c>(0, 1)</c>).
/// </summary>
internal static class InitializerParser
{
    private enum Kind { Number, Word, Axes }

    private sealed record Parameter(string Name, Kind Kind, object? Default = null)
    {
        public bool Required => Default is null;
    }

    private sealed record Entry(Parameter[] Parameters, Func<Dictionary<string, object>, Initializer> Create);

    private static readonly Parameter[] AxisParameters =
        [new("in_axis", Kind.Axes, new[] { -2 }), new("out_axis", Kind.Axes, new[] { -1 }), new("batch_axis", Kind.Axes, Array.Empty<int>())];

    private static readonly Dictionary<string, Entry> Known = new(StringComparer.Ordinal)
    {
        ["zeros"] = new([], _ => Initializers.Zeros()),
        ["ones"] = new([], _ => Initializers.Ones()),
        ["constant"] = new([new("value", Kind.Number)], a => Initializers.Constant((double)a["value"])),
        ["normal"] = new([new("stddev", Kind.Number, 1.0)], a => Initializers.Normal((double)a["stddev"])),
        ["uniform"] = new([new("scale", Kind.Number, 1.0)], a => Initializers.Uniform((double)a["scale"])),
        ["truncated_normal"] = new(
            [new("stddev", Kind.Number, 1.0), new("lower", Kind.Number, -2.0), new("upper", Kind.Number, 2.0)],
            a => Initializers.TruncatedNormal((double)a["stddev"], (double)a["lower"], (double)a["upper"])),
        ["variance_scaling"] = new(
            [new("scale", Kind.Number), new("mode", Kind.Word), new("distribution", Kind.Word), .. AxisParameters],
            a => Initializers.VarianceScaling((double)a["scale"], Mode((string)a["mode"]), Distribution((string)a["distribution"]),
                (int[])a["in_axis"], (int[])a["out_axis"], (int[])a["batch_axis"])),
        ["lecun_normal"] = Named(Initializers.LecunNormal),
        ["lecun_uniform"] = Named(Initializers.LecunUniform),
        ["glorot_normal"] = Named(Initializers.GlorotNormal),
        ["glorot_uniform"] = Named(Initializers.GlorotUniform),
        ["xavier_normal"] = Named(Initializers.XavierNormal),
        ["xavier_uniform"] = Named(Initializers.XavierUniform),
        ["he_normal"] = Named(Initializers.HeNormal),
        ["he_uniform"] = Named(Initializers.HeUniform),
        ["kaiming_normal"] = Named(Initializers.KaimingNormal),
        ["kaiming_uniform"] = Named(Initializers.KaimingUniform),
    };

    /// <summary>The accepted forms, for error messages.</summary>
    public static string ValidForms => string.Join(", ", Known.Select(e => Usage(e.Key, e.Value)));

    public static Initializer Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string text = spec.Trim();
        string name = text;
        string? inner = null;
        int open = text.IndexOf('(');
        if (open >= 0)
        {
            if (!text.EndsWith(')'))
                throw Bad(spec, "it opens '(' without a closing ')' at the end");
            name = text[..open].Trim();
            inner = text[(open + 1)..^1];
        }
        if (!Known.TryGetValue(name, out Entry? entry))
            throw Bad(spec, $"'{name}' is not a known initializer");
        Dictionary<string, object> args = Bind(spec, name, entry, inner is null ? [] : SplitTopLevel(spec, inner));
        try
        {
            return entry.Create(args);
        }
        catch (ArgumentException e)
        {
            throw Bad(spec, e.Message.Split(" (Parameter")[0].TrimEnd('.'));
        }
    }

    private static Entry Named(Func<int[]?, int[]?, int[]?, Initializer> create) =>
        new(AxisParameters, a => create((int[])a["in_axis"], (int[])a["out_axis"], (int[])a["batch_axis"]));

    private static Dictionary<string, object> Bind(string spec, string name, Entry entry, List<string> parts)
    {
        var args = new Dictionary<string, object>(StringComparer.Ordinal);
        int position = 0;
        bool sawKeyword = false;
        foreach (string part in parts)
        {
            string text = part;
            Parameter parameter;
            int equals = KeywordEquals(part);
            if (equals > 0)
            {
                string keyword = part[..equals].Trim();
                parameter = entry.Parameters.FirstOrDefault(p => p.Name == keyword)
                    ?? throw Bad(spec, $"'{name}' has no argument named '{keyword}'; it takes {Usage(name, entry)}");
                text = part[(equals + 1)..];
                sawKeyword = true;
            }
            else
            {
                if (sawKeyword) throw Bad(spec, $"positional argument '{part.Trim()}' follows a named one");
                if (position >= entry.Parameters.Length)
                    throw Bad(spec, $"'{name}' takes at most {entry.Parameters.Length} argument(s), got {parts.Count}; usage: {Usage(name, entry)}");
                parameter = entry.Parameters[position++];
            }
            if (!args.TryAdd(parameter.Name, Value(spec, parameter, text.Trim())))
                throw Bad(spec, $"argument '{parameter.Name}' is given twice");
        }
        foreach (Parameter p in entry.Parameters)
        {
            if (args.ContainsKey(p.Name)) continue;
            if (p.Required) throw Bad(spec, $"'{name}' needs its '{p.Name}' argument; usage: {Usage(name, entry)}");
            args[p.Name] = p.Default!;
        }
        return args;
    }

    private static object Value(string spec, Parameter p, string text)
    {
        switch (p.Kind)
        {
            case Kind.Number:
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number))
                    return number;
                throw Bad(spec, $"{p.Name} '{text}' is not a finite number");
            case Kind.Word:
                string word = text.Trim('\'', '"');
                if (word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')) return word;
                throw Bad(spec, $"{p.Name} '{text}' is not a name such as fan_in");
            default:
                string axes = text;
                bool tuple = (axes.StartsWith('(') && axes.EndsWith(')')) || (axes.StartsWith('[') && axes.EndsWith(']'));
                if (tuple) axes = axes[1..^1];
                var values = new List<int>();
                foreach (string item in axes.Split(',').Select(s => s.Trim()))
                {
                    if (item.Length == 0 && tuple) continue;
                    if (!int.TryParse(item, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int axis))
                        throw Bad(spec, $"{p.Name} '{text}' is not an axis or a tuple of axes such as (0, 1)");
                    values.Add(axis);
                }
                if (!tuple && values.Count != 1)
                    throw Bad(spec, $"{p.Name} '{text}' is not an axis or a tuple of axes such as (0, 1)");
                return values.ToArray();
        }
    }

    private static FanMode Mode(string word) => word switch
    {
        "fan_in" => FanMode.FanIn,
        "fan_out" => FanMode.FanOut,
        "fan_avg" => FanMode.FanAvg,
        "fan_geo_avg" => FanMode.FanGeoAvg,
        _ => throw new ArgumentException($"mode '{word}' is not one of fan_in, fan_out, fan_avg, fan_geo_avg"),
    };

    private static VarianceDistribution Distribution(string word) => word switch
    {
        "truncated_normal" => VarianceDistribution.TruncatedNormal,
        "normal" => VarianceDistribution.Normal,
        "uniform" => VarianceDistribution.Uniform,
        _ => throw new ArgumentException($"distribution '{word}' is not one of truncated_normal, normal, uniform"),
    };

    /// <summary>The index of a keyword's '=' (outside brackets and before any bracket), or -1.</summary>
    private static int KeywordEquals(string part)
    {
        int equals = part.IndexOf('=');
        if (equals <= 0) return -1;
        string keyword = part[..equals].Trim();
        return keyword.Length > 0 && keyword.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? equals : -1;
    }

    private static List<string> SplitTopLevel(string spec, string inner)
    {
        var parts = new List<string>();
        if (inner.Trim().Length == 0) return parts;
        int depth = 0, start = 0;
        for (int i = 0; i < inner.Length; i++)
        {
            char c = inner[i];
            if (c is '(' or '[') depth++;
            else if (c is ')' or ']' && --depth < 0) throw Bad(spec, "its brackets do not balance");
            else if (c == ',' && depth == 0)
            {
                parts.Add(inner[start..i]);
                start = i + 1;
            }
        }
        if (depth != 0) throw Bad(spec, "its brackets do not balance");
        parts.Add(inner[start..]);
        if (parts.Any(p => p.Trim().Length == 0)) throw Bad(spec, "it has an empty argument");
        return parts;
    }

    private static string Usage(string name, Entry e)
    {
        if (e.Parameters.Length == 0) return name;
        string required = string.Join(", ", e.Parameters.Where(p => p.Required).Select(p => p.Name));
        string optional = string.Join(", ", e.Parameters.Where(p => !p.Required).Select(p => p.Name));
        if (optional.Length == 0) return $"{name}({required})";
        return required.Length == 0 ? $"{name}[({optional})]" : $"{name}({required}[, {optional}])";
    }

    private static FormatException Bad(string spec, string why) =>
        new($"Init \"{spec}\" is not valid: {why}. Valid forms: {ValidForms}.");
}
