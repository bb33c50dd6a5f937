using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Nnx.Syntax;

/// <summary>What one argument of an initializer must be.</summary>
internal enum InitArgKind
{
    /// <summary>A finite number in invariant culture: <c>0.02</c>, <c>-1e-3</c>.</summary>
    Number,

    /// <summary><c>fan_in</c>, <c>fan_out</c>, <c>fan_avg</c> or <c>fan_geo_avg</c>, optionally quoted.</summary>
    FanMode,

    /// <summary><c>truncated_normal</c>, <c>normal</c> or <c>uniform</c>, optionally quoted.</summary>
    Distribution,

    /// <summary>An axis (<c>-2</c>) or a tuple of axes (<c>(0, 1)</c>, <c>[0, 1]</c>, <c>()</c>).</summary>
    Axes,
}

/// <summary>One parameter of an initializer, as <c>jax.nn.initializers</c> names it; <paramref name="Default"/> null means required.</summary>
internal sealed record InitParameter(string Name, InitArgKind Kind, InitValue? Default);

/// <summary>
/// One initializer of <c>jax.nn.initializers</c> as written in <c>Init</c>, with the <c>Nnx.Initializers</c> method
/// that builds it (its arguments are this form's parameters, in order) and whether it draws from its key.
/// </summary>
internal sealed record InitForm(string Name, string Factory, InitParameter[] Parameters, bool DrawsKey)
{
    /// <summary><c>name</c>, <c>name(required[, optional])</c> or <c>name[(optional)]</c>.</summary>
    public string Usage
    {
        get
        {
            if (Parameters.Length == 0) return Name;
            string required = string.Join(", ", Parameters.Where(p => p.Default is null).Select(p => p.Name));
            string optional = string.Join(", ", Parameters.Where(p => p.Default is not null).Select(p => p.Name));
            if (optional.Length == 0) return $"{Name}({required})";
            return required.Length == 0 ? $"{Name}[({optional})]" : $"{Name}({required}[, {optional}])";
        }
    }
}

/// <summary>An argument value: a number, a word (<c>fan_in</c>) or a tuple of axes.</summary>
internal sealed record InitValue(double Number, string Word, int[] Axes)
{
    public static InitValue Of(double number) => new(number, "", []);

    public static InitValue OfWord(string word) => new(0, word, []);

    public static InitValue OfAxes(params int[] axes) => new(0, "", axes);

    public bool Equals(InitValue? other) =>
        other is not null && Number.Equals(other.Number) && Word == other.Word && Axes.SequenceEqual(other.Axes);

    public override int GetHashCode() => (Number, Word, Axes.Length).GetHashCode();
}

/// <summary>A parsed <c>Init</c>: its form and one value per parameter of the form (defaults filled in).</summary>
internal sealed record InitSpec(InitForm Form, InitValue[] Values)
{
    /// <summary>Whether the initializer reads its key; <c>zeros</c>, <c>ones</c> and <c>constant</c> do not.</summary>
    public bool DrawsKey => Form.DrawsKey;

    public bool Equals(InitSpec? other) => other is not null && Form.Name == other.Form.Name && Values.SequenceEqual(other.Values);

    public override int GetHashCode() => Form.Name.GetHashCode();
}

/// <summary>
/// The one grammar of <c>[Param(Init = "...")]</c>, compiled into the generator, the analyzers and the runtime:
/// <c>name</c> or <c>name(arg, ..., key=value)</c>, with the names, parameters and defaults of
/// <c>jax.nn.initializers</c>. The analyzers report a bad Init with it, the generator emits the typed
/// <c>Nnx.Initializers</c> call for a good one, and <c>Nnx.Initializer.Parse</c> builds from the same spec.
/// </summary>
internal static class InitSyntax
{
    private static readonly InitParameter[] AxisParameters =
    [
        new("in_axis", InitArgKind.Axes, InitValue.OfAxes(-2)),
        new("out_axis", InitArgKind.Axes, InitValue.OfAxes(-1)),
        new("batch_axis", InitArgKind.Axes, InitValue.OfAxes()),
    ];

    /// <summary>Every accepted initializer, in the order error messages list them.</summary>
    public static IReadOnlyList<InitForm> Forms { get; } =
    [
        new("zeros", "Zeros", [], DrawsKey: false),
        new("ones", "Ones", [], DrawsKey: false),
        new("constant", "Constant", [new("value", InitArgKind.Number, null)], DrawsKey: false),
        new("normal", "Normal", [new("stddev", InitArgKind.Number, InitValue.Of(1.0))], DrawsKey: true),
        new("uniform", "Uniform", [new("scale", InitArgKind.Number, InitValue.Of(1.0))], DrawsKey: true),
        new("truncated_normal", "TruncatedNormal",
            [new("stddev", InitArgKind.Number, InitValue.Of(1.0)), new("lower", InitArgKind.Number, InitValue.Of(-2.0)), new("upper", InitArgKind.Number, InitValue.Of(2.0))],
            DrawsKey: true),
        new("variance_scaling", "VarianceScaling",
            [new("scale", InitArgKind.Number, null), new("mode", InitArgKind.FanMode, null), new("distribution", InitArgKind.Distribution, null), .. AxisParameters],
            DrawsKey: true),
        .. new[] { ("lecun", "Lecun"), ("glorot", "Glorot"), ("xavier", "Xavier"), ("he", "He"), ("kaiming", "Kaiming") }
            .SelectMany(f => new[]
            {
                new InitForm(f.Item1 + "_normal", f.Item2 + "Normal", AxisParameters, DrawsKey: true),
                new InitForm(f.Item1 + "_uniform", f.Item2 + "Uniform", AxisParameters, DrawsKey: true),
            }),
    ];

    /// <summary>The accepted forms, for error messages.</summary>
    public static string ValidForms { get; } = string.Join(", ", Forms.Select(f => f.Usage));

    /// <summary>The <c>Nnx.FanMode</c> member for a <c>mode</c> word.</summary>
    public static string FanModeMember(string word) => word switch
    {
        "fan_in" => "FanIn",
        "fan_out" => "FanOut",
        "fan_avg" => "FanAvg",
        _ => "FanGeoAvg",
    };

    /// <summary>The <c>Nnx.VarianceDistribution</c> member for a <c>distribution</c> word.</summary>
    public static string DistributionMember(string word) => word switch
    {
        "truncated_normal" => "TruncatedNormal",
        "normal" => "Normal",
        _ => "Uniform",
    };

    /// <summary>
    /// Parses <paramref name="text"/>; on failure <paramref name="spec"/> is null and <paramref name="error"/> says what
    /// is wrong and lists the valid forms.
    /// </summary>
    public static bool TryParse(string? text, out InitSpec? spec, out string error)
    {
        spec = null;
        string? why = Parse(text, ref spec);
        error = why is null ? "" : $"{why}. Valid forms: {ValidForms}";
        return why is null;
    }

    private static string? Parse(string? text, ref InitSpec? spec)
    {
        if (text is null) return "Init is null";
        if (text.Any(char.IsControl)) return "it contains a line break or another control character";
        string trimmed = text.Trim();
        string name = trimmed;
        var parts = new List<string>();
        int open = trimmed.IndexOf('(');
        if (open >= 0)
        {
            if (!trimmed.EndsWith(")", System.StringComparison.Ordinal))
                return $"\"{text}\" opens '(' without a closing ')' at the end";
            name = trimmed.Substring(0, open).Trim();
            if (SplitTopLevel(trimmed.Substring(open + 1, trimmed.Length - open - 2), parts) is { } splitError) return splitError;
        }
        InitForm? form = Forms.FirstOrDefault(f => f.Name == name);
        if (form is null) return name.Length == 0 ? "Init is empty" : $"'{name}' is not a known initializer";

        var values = new InitValue?[form.Parameters.Length];
        int position = 0;
        bool sawKeyword = false;
        foreach (string part in parts)
        {
            int index;
            string value = part.Trim();
            int equals = KeywordEquals(part);
            if (equals > 0)
            {
                string keyword = part.Substring(0, equals).Trim();
                index = System.Array.FindIndex(form.Parameters, p => p.Name == keyword);
                if (index < 0) return $"'{name}' has no argument named '{keyword}'; it takes {form.Usage}";
                value = part.Substring(equals + 1).Trim();
                sawKeyword = true;
            }
            else
            {
                if (sawKeyword) return $"positional argument '{value}' follows a named one";
                if (position >= form.Parameters.Length)
                    return $"'{name}' takes at most {form.Parameters.Length} argument(s), got {parts.Count}; usage: {form.Usage}";
                index = position++;
            }
            InitParameter parameter = form.Parameters[index];
            if (values[index] is not null) return $"argument '{parameter.Name}' is given twice";
            if (Value(parameter, value, out string? valueError) is not { } parsed) return valueError;
            values[index] = parsed;
        }
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is not null) continue;
            InitParameter p = form.Parameters[i];
            if (p.Default is null) return $"'{name}' needs its '{p.Name}' argument; usage: {form.Usage}";
            values[i] = p.Default;
        }
        var result = new InitSpec(form, values.Select(v => v!).ToArray());
        if (CheckRanges(result) is { } rangeError) return rangeError;
        spec = result;
        return null;
    }

    private static InitValue? Value(InitParameter p, string text, out string? error)
    {
        error = null;
        switch (p.Kind)
        {
            case InitArgKind.Number:
                if (TryNumber(text, out double number)) return InitValue.Of(number);
                error = $"{p.Name} '{text}' is not a finite number";
                return null;
            case InitArgKind.FanMode:
                string mode = text.Trim('\'', '"');
                if (mode is "fan_in" or "fan_out" or "fan_avg" or "fan_geo_avg") return InitValue.OfWord(mode);
                error = $"mode '{text}' is not one of fan_in, fan_out, fan_avg, fan_geo_avg";
                return null;
            case InitArgKind.Distribution:
                string distribution = text.Trim('\'', '"');
                if (distribution is "truncated_normal" or "normal" or "uniform") return InitValue.OfWord(distribution);
                error = $"distribution '{text}' is not one of truncated_normal, normal, uniform";
                return null;
            default:
                string axes = text;
                bool tuple = (axes.StartsWith("(", System.StringComparison.Ordinal) && axes.EndsWith(")", System.StringComparison.Ordinal))
                    || (axes.StartsWith("[", System.StringComparison.Ordinal) && axes.EndsWith("]", System.StringComparison.Ordinal));
                if (tuple) axes = axes.Substring(1, axes.Length - 2);
                var items = new List<int>();
                foreach (string item in axes.Split(',').Select(s => s.Trim()))
                {
                    if (item.Length == 0 && tuple) continue;
                    if (!int.TryParse(item, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int axis))
                    {
                        error = $"{p.Name} '{text}' is not an axis or a tuple of axes such as (0, 1)";
                        return null;
                    }
                    items.Add(axis);
                }
                if (tuple || items.Count == 1) return InitValue.OfAxes(items.ToArray());
                error = $"{p.Name} '{text}' is not an axis or a tuple of axes such as (0, 1)";
                return null;
        }
    }

    // Constraints on values, as jax.nn.initializers and the runtime enforce them.
    private static string? CheckRanges(InitSpec spec)
    {
        if (spec.Form.Name == "variance_scaling" && !(spec.Values[0].Number > 0))
            return $"variance_scaling needs a finite scale > 0 (1.0 for LeCun/Glorot, 2.0 for He), got {spec.Values[0].Number.ToString("R", CultureInfo.InvariantCulture)}";
        // JAX compares the bounds in float32.
        if (spec.Form.Name == "truncated_normal" && !((float)spec.Values[1].Number < (float)spec.Values[2].Number))
            return $"truncated_normal needs lower < upper (as float32), got lower = {spec.Values[1].Number.ToString("R", CultureInfo.InvariantCulture)}, upper = {spec.Values[2].Number.ToString("R", CultureInfo.InvariantCulture)}";
        return null;
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !double.IsNaN(value) && !double.IsInfinity(value);

    // The index of a keyword's '=' when the part starts with "identifier =", else -1.
    private static int KeywordEquals(string part)
    {
        int equals = part.IndexOf('=');
        if (equals <= 0) return -1;
        string keyword = part.Substring(0, equals).Trim();
        return keyword.Length > 0 && keyword.All(c => c < 128 && (char.IsLetterOrDigit(c) || c == '_')) ? equals : -1;
    }

    private static string? SplitTopLevel(string inner, List<string> parts)
    {
        if (inner.Trim().Length == 0) return null;
        int depth = 0, start = 0;
        for (int i = 0; i < inner.Length; i++)
        {
            char c = inner[i];
            if (c is '(' or '[') depth++;
            else if (c is ')' or ']' && --depth < 0) return "its brackets do not balance";
            else if (c == ',' && depth == 0)
            {
                parts.Add(inner.Substring(start, i - start));
                start = i + 1;
            }
        }
        if (depth != 0) return "its brackets do not balance";
        parts.Add(inner.Substring(start));
        return parts.Any(p => p.Trim().Length == 0) ? "it has an empty argument" : null;
    }
}
