using System;
using System.Linq;
using System.Text.RegularExpressions;

namespace Nnx;

/// <summary>
/// Selects variables of a state, as Flax NNX's filters do (<c>nnx.Param</c>, <c>...</c>, <c>PathContains</c>,
/// <c>nnx.All</c>/<c>Any</c>/<c>Not</c>, or any <c>(path, value)</c> predicate).
/// </summary>
/// <remarks>
/// A <see cref="VariableKind"/> converts to a filter, so <c>model.GetState(VariableKind.Param)</c> works; filters
/// combine with <c>|</c> (any of), <c>&amp;</c> (all of) and <c>!</c> (not). Paths are dot-separated, e.g.
/// <c>"blocks.0.kernel"</c>. <see cref="ToString"/> describes the filter and is used in error messages.
/// </remarks>
public sealed class StateFilter
{
    private readonly Func<StateVariable, bool> _predicate;
    private readonly string _description;

    private StateFilter(Func<StateVariable, bool> predicate, string description)
    {
        _predicate = predicate;
        _description = description;
    }

    /// <summary>Matches every variable (NNX's <c>...</c> or <c>True</c>).</summary>
    public static StateFilter Everything { get; } = new(_ => true, "Everything");

    /// <summary>Matches no variable (NNX's <c>None</c> or <c>False</c>).</summary>
    public static StateFilter Nothing { get; } = new(_ => false, "Nothing");

    /// <summary>Trainable parameters (<c>nnx.Param</c>).</summary>
    public static StateFilter Param { get; } = OfKind(VariableKind.Param);

    /// <summary>Non-trainable statistics and buffers (<c>nnx.BatchStat</c>).</summary>
    public static StateFilter BatchStat { get; } = OfKind(VariableKind.BatchStat);

    /// <summary>The keys and counts of modules' own RNG streams (<c>nnx.RngState</c>).</summary>
    public static StateFilter RngState { get; } = new(v => v.Kind is VariableKind.RngKey or VariableKind.RngCount, "RngState");

    /// <summary>Optimizer state: step count and moments (<c>nnx.OptState</c>).</summary>
    public static StateFilter OptState { get; } = OfKind(VariableKind.OptState);

    /// <summary>Whether <paramref name="variable"/> is selected.</summary>
    public bool Matches(StateVariable variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        return _predicate(variable);
    }

    /// <summary>Variables of one kind (NNX's <c>OfType</c>).</summary>
    public static StateFilter OfKind(VariableKind kind) => new(v => v.Kind == kind, kind.ToString());

    /// <summary>The variable whose path is exactly <paramref name="path"/>.</summary>
    public static StateFilter PathIs(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new(v => v.Path == path, $"PathIs(\"{path}\")");
    }

    /// <summary>
    /// Variables at or below <paramref name="prefix"/>, whole segments only: <c>"encoder"</c> matches
    /// <c>"encoder"</c> and <c>"encoder.embedding"</c> but not <c>"encoder2.embedding"</c>.
    /// </summary>
    public static StateFilter PathUnder(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        string below = prefix + ".";
        return new(v => v.Path == prefix || v.Path.StartsWith(below, StringComparison.Ordinal), $"PathUnder(\"{prefix}\")");
    }

    /// <summary>Variables with <paramref name="segment"/> as one of their path segments (NNX's <c>PathContains</c>).</summary>
    public static StateFilter PathContains(string segment)
    {
        ArgumentException.ThrowIfNullOrEmpty(segment);
        return new(v => v.Path.Split('.').Contains(segment, StringComparer.Ordinal), $"PathContains(\"{segment}\")");
    }

    /// <summary>Variables whose path the regular expression matches somewhere (anchor it with <c>^...$</c> for a whole-path match).</summary>
    /// <exception cref="ArgumentException">The pattern is not a valid regular expression.</exception>
    public static StateFilter PathMatches(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        Regex regex;
        try { regex = new Regex(pattern, RegexOptions.CultureInvariant); }
        catch (ArgumentException e) { throw new ArgumentException($"'{pattern}' is not a valid regular expression: {e.Message}", nameof(pattern), e); }
        return new(v => regex.IsMatch(v.Path), $"PathMatches(\"{pattern}\")");
    }

    /// <summary>Variables the predicate accepts (NNX's callable filters, which get the path and the value).</summary>
    /// <param name="predicate">Decides for one variable; it sees the live tensor and must not change it.</param>
    /// <param name="description">Shown in printouts and error messages.</param>
    public static StateFilter Where(Func<StateVariable, bool> predicate, string description = "Where(...)")
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(description);
        return new(predicate, description);
    }

    /// <summary>Variables at least one of the filters matches (NNX's <c>Any</c>, or a list of filters).</summary>
    public static StateFilter Any(params StateFilter[] filters)
    {
        StateFilter[] all = CheckAll(filters);
        return new(v => all.Any(f => f._predicate(v)), $"Any({string.Join(", ", all.Select(f => f._description))})");
    }

    /// <summary>Variables every filter matches (NNX's <c>All</c>).</summary>
    public static StateFilter All(params StateFilter[] filters)
    {
        StateFilter[] all = CheckAll(filters);
        return new(v => all.All(f => f._predicate(v)), $"All({string.Join(", ", all.Select(f => f._description))})");
    }

    /// <summary>Variables the filter does not match (NNX's <c>Not</c>).</summary>
    public static StateFilter Not(StateFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return new(v => !filter._predicate(v), $"Not({filter._description})");
    }

    /// <summary>A kind as a filter: <c>VariableKind.Param</c> selects <c>Param</c> variables.</summary>
    public static implicit operator StateFilter(VariableKind kind) => OfKind(kind);

    /// <summary>Any of the two filters.</summary>
    public static StateFilter operator |(StateFilter left, StateFilter right) => Any(left, right);

    /// <summary>Both filters.</summary>
    public static StateFilter operator &(StateFilter left, StateFilter right) => All(left, right);

    /// <summary>The complement of the filter.</summary>
    public static StateFilter operator !(StateFilter filter) => Not(filter);

    /// <summary>A readable description, e.g. <c>Any(Param, PathUnder("head"))</c>.</summary>
    public override string ToString() => _description;

    private static StateFilter[] CheckAll(StateFilter[] filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        for (int i = 0; i < filters.Length; i++)
            if (filters[i] is null) throw new ArgumentNullException(nameof(filters), $"Filter {i} is null; pass StateFilter.Nothing to match nothing.");
        return (StateFilter[])filters.Clone();
    }
}
