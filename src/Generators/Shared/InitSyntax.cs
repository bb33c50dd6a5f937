using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Nnx.Generators.Shared;

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

/// <summary>One parameter of an initializer, as <c>jax.nn.initializers</c> names it.</summary>
internal sealed record InitParameter(string Name, InitArgKind Kind, bool Required);

/// <summary>One initializer of <c>jax.nn.initializers</c> as written in <c>Init</c>.</summary>
internal sealed record InitForm(string Name, InitParameter[] Parameters)
{
    /// <summary><c>name</c>, <c>name(required[, optional])</c> or <c>name[(optional)]</c>.</summary>
    public string Usage
    {
        get
        {
            if (Parameters.Length == 0) return Name;
            string required = string.Join(", ", Parameters.Where(p => p.Required).Select(p => p.Name));
            string optional = string.Join(", ", Parameters.Where(p => !p.Required).Select(p => p.Name));
            if (optional.Length == 0) return $"{Name}({required})";
            return required.Length == 0 ? $"{Name}[({optional})]" : $"{Name}({required}[, {optional}])";
        }
    }
}

/// <summary>
/// The grammar of <c>[Param(Init = "...")]</c>: <c>name</c> or <c>name(arg, ..., key=value)</c>, with the names,
/// parameters and defaults of <c>jax.nn.initializers</c>. The analyzers report a bad Init with it at compile time;
/// the runtime's <c>Nnx.Initializer.Parse</c> must accept exactly the same texts (InitGrammarAgreementTests).
/// </summary>
internal static class InitSyntax
{
    private static readonly InitParameter[] AxisParameters =
        [new("in_axis", InitArgKind.Axes, false), new("out_axis", InitArgKind.Axes, false), new("batch_axis", InitArgKind.Axes, false)];

    /// <summary>Every accepted initializer, in the order error messages list them.</summary>
    public static IReadOnlyList<InitForm> Forms { get; } =
    [
        new("zeros", []),
        new("ones", []),
        new("constant", [new("value", InitArgKind.Number, true)]),
        new("normal", [new("stddev", InitArgKind.Number, false)]),
        new("uniform", [new("scale", InitArgKind.Number, false)]),
        new("truncated_normal", [new("stddev", InitArgKind.Number, false), new("lower", InitArgKind.Number, false), new("upper", InitArgKind.Number, false)]),
        new("variance_scaling",
            [new("scale", InitArgKind.Number, true), new("mode", InitArgKind.FanMode, true), new("distribution", InitArgKind.Distribution, true), .. AxisParameters]),
        .. new[] { "lecun", "glorot", "xavier", "he", "kaiming" }
            .SelectMany(family => new[] { new InitForm(family + "_normal", AxisParameters), new InitForm(family + "_uniform", AxisParameters) }),
    ];

    /// <summary>The accepted forms, for error messages.</summary>
    public static string ValidForms { get; } = string.Join(", ", Forms.Select(f => f.Usage));

    /// <summary>Checks <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong and lists the valid forms.</summary>
    public static bool TryParse(string? text, out string error)
    {
        string? why = Check(text);
        error = why is null ? "" : $"{why}. Valid forms: {ValidForms}";
        return why is null;
    }

    private static string? Check(string? text)
    {
        if (text is null) return "Init is null";
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
        string key = name;
        InitForm? form = Forms.FirstOrDefault(f => f.Name == key);
        if (form is null) return name.Length == 0 ? "Init is empty" : $"'{name}' is not a known initializer";

        var values = new Dictionary<string, string>(System.StringComparer.Ordinal);
        int position = 0;
        bool sawKeyword = false;
        foreach (string part in parts)
        {
            InitParameter? parameter;
            string value = part.Trim();
            int equals = KeywordEquals(part);
            if (equals > 0)
            {
                string keyword = part.Substring(0, equals).Trim();
                parameter = form.Parameters.FirstOrDefault(p => p.Name == keyword);
                if (parameter is null) return $"'{name}' has no argument named '{keyword}'; it takes {form.Usage}";
                value = part.Substring(equals + 1).Trim();
                sawKeyword = true;
            }
            else
            {
                if (sawKeyword) return $"positional argument '{value}' follows a named one";
                if (position >= form.Parameters.Length)
                    return $"'{name}' takes at most {form.Parameters.Length} argument(s), got {parts.Count}; usage: {form.Usage}";
                parameter = form.Parameters[position++];
            }
            if (values.ContainsKey(parameter.Name)) return $"argument '{parameter.Name}' is given twice";
            if (CheckValue(parameter, value) is { } valueError) return valueError;
            values.Add(parameter.Name, value);
        }
        foreach (InitParameter p in form.Parameters)
            if (p.Required && !values.ContainsKey(p.Name)) return $"'{name}' needs its '{p.Name}' argument; usage: {form.Usage}";
        return CheckRanges(name, values);
    }

    private static string? CheckValue(InitParameter p, string text)
    {
        switch (p.Kind)
        {
            case InitArgKind.Number:
                return TryNumber(text, out _) ? null : $"{p.Name} '{text}' is not a finite number";
            case InitArgKind.FanMode:
                return text.Trim('\'', '"') is "fan_in" or "fan_out" or "fan_avg" or "fan_geo_avg"
                    ? null : $"mode '{text}' is not one of fan_in, fan_out, fan_avg, fan_geo_avg";
            case InitArgKind.Distribution:
                return text.Trim('\'', '"') is "truncated_normal" or "normal" or "uniform"
                    ? null : $"distribution '{text}' is not one of truncated_normal, normal, uniform";
            default:
                string axes = text;
                bool tuple = (axes.StartsWith("(", System.StringComparison.Ordinal) && axes.EndsWith(")", System.StringComparison.Ordinal))
                    || (axes.StartsWith("[", System.StringComparison.Ordinal) && axes.EndsWith("]", System.StringComparison.Ordinal));
                if (tuple) axes = axes.Substring(1, axes.Length - 2);
                int count = 0;
                foreach (string item in axes.Split(',').Select(s => s.Trim()))
                {
                    if (item.Length == 0 && tuple) continue;
                    if (!int.TryParse(item, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                        return $"{p.Name} '{text}' is not an axis or a tuple of axes such as (0, 1)";
                    count++;
                }
                return tuple || count == 1 ? null : $"{p.Name} '{text}' is not an axis or a tuple of axes such as (0, 1)";
        }
    }

    // Constraints on values, as jax.nn.initializers and the runtime enforce them.
    private static string? CheckRanges(string name, Dictionary<string, string> values)
    {
        if (name == "variance_scaling" && TryNumber(values["scale"], out double scale) && !(scale > 0))
            return $"variance_scaling needs a finite scale > 0 (1.0 for LeCun/Glorot, 2.0 for He), got {values["scale"]}";
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
