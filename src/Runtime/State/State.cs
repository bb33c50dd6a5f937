using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Nnx;

/// <summary>
/// A module's variables by path, in traversal order (NNX's <c>nnx.State</c>), with the aliases of shared tensors.
/// </summary>
/// <remarks>
/// A tensor reached under two paths (a tied weight) is stored once, under the path reached first; the other path is
/// in <see cref="Aliases"/>, mapped to the stored one, as NNX stores a shared <c>Variable</c> once. Enumeration and
/// the indexer cover stored variables only. <see cref="ToString"/> prints the state as a tree.
/// </remarks>
public sealed class State : IReadOnlyDictionary<string, StateVariable>
{
    private readonly List<StateVariable> _variables;
    private readonly Dictionary<string, StateVariable> _byPath;
    private readonly Dictionary<string, string> _aliases;
    private readonly List<string> _printOrder;

    /// <summary>Builds a state from variables and aliases (alias path to stored path).</summary>
    /// <exception cref="ArgumentException">
    /// A path is empty or given twice, an alias names a stored path, or an alias points to a path the state does not store.
    /// </exception>
    public State(IEnumerable<StateVariable> variables, IEnumerable<KeyValuePair<string, string>>? aliases = null)
        : this(variables, aliases, printOrder: null)
    {
    }

    internal State(IEnumerable<StateVariable> variables, IEnumerable<KeyValuePair<string, string>>? aliases, List<string>? printOrder)
    {
        ArgumentNullException.ThrowIfNull(variables);
        _variables = variables.ToList();
        _byPath = new Dictionary<string, StateVariable>(StringComparer.Ordinal);
        foreach (StateVariable v in _variables)
        {
            if (v is null || v.Value is null) throw new ArgumentException("A state variable or its tensor is null.", nameof(variables));
            if (string.IsNullOrEmpty(v.Path)) throw new ArgumentException("A state variable has an empty path.", nameof(variables));
            if (!_byPath.TryAdd(v.Path, v)) throw new ArgumentException($"Path '{v.Path}' appears twice; each path may hold one variable.", nameof(variables));
        }
        _aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (alias, target) in aliases ?? [])
        {
            if (string.IsNullOrEmpty(alias)) throw new ArgumentException("An alias has an empty path.", nameof(aliases));
            if (_byPath.ContainsKey(alias)) throw new ArgumentException($"Alias '{alias}' is also a stored variable; a path is either stored or tied to another.", nameof(aliases));
            if (target is null || !_byPath.ContainsKey(target))
                throw new ArgumentException($"Alias '{alias}' is tied to '{target}', which this state does not store.", nameof(aliases));
            if (!_aliases.TryAdd(alias, target)) throw new ArgumentException($"Alias '{alias}' appears twice.", nameof(aliases));
        }
        _printOrder = printOrder ?? _variables.Select(v => v.Path).Concat(_aliases.Keys).ToList();
    }

    /// <summary>Paths of shared tensors that are not stored, mapped to the stored path holding the same tensor.</summary>
    public IReadOnlyDictionary<string, string> Aliases => _aliases;

    /// <summary>The number of stored variables (aliases not counted).</summary>
    public int Count => _variables.Count;

    /// <summary>Stored paths in traversal order.</summary>
    public IEnumerable<string> Keys => _variables.Select(v => v.Path);

    /// <summary>Stored variables in traversal order.</summary>
    public IEnumerable<StateVariable> Values => _variables;

    /// <summary>The stored variable at <paramref name="path"/>.</summary>
    /// <exception cref="KeyNotFoundException">No variable is stored there; the message says if the path is an alias.</exception>
    public StateVariable this[string path]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(path);
            if (_byPath.TryGetValue(path, out StateVariable? v)) return v;
            if (_aliases.TryGetValue(path, out string? target))
                throw new KeyNotFoundException($"'{path}' is tied to '{target}' and stored there; use state[\"{target}\"] or Resolve(\"{path}\").");
            throw new KeyNotFoundException($"No variable at '{path}'. Paths: {string.Join(", ", _printOrder)}.");
        }
    }

    /// <summary>The variable at <paramref name="path"/>, following an alias to the stored variable.</summary>
    public StateVariable Resolve(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return this[_aliases.TryGetValue(path, out string? target) ? target : path];
    }

    /// <summary>Whether a variable is stored at <paramref name="key"/> (aliases excluded).</summary>
    public bool ContainsKey(string key) => _byPath.ContainsKey(key);

    /// <summary>The stored variable at <paramref name="key"/>, if any.</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out StateVariable value) => _byPath.TryGetValue(key, out value);

    /// <summary>The variables <paramref name="filter"/> matches, with the aliases of those variables (NNX's <c>State.filter</c>).</summary>
    public State Filter(StateFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Subset(_variables.Where(filter.Matches));
    }

    /// <summary>Stored and alias paths in traversal order (how <see cref="ToString"/> and the module summary list them).</summary>
    internal IReadOnlyList<string> PrintOrder => _printOrder;

    /// <summary>The number of tensor elements across stored variables.</summary>
    public long ElementCount => _variables.Sum(v => v.Value.numel());

    /// <summary>Stored variables with their paths, in traversal order.</summary>
    public IEnumerator<KeyValuePair<string, StateVariable>> GetEnumerator() =>
        _variables.Select(v => new KeyValuePair<string, StateVariable>(v.Path, v)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// The state as an indented tree: one line per path with kind, dtype and shape, and <c>tied to</c> for aliases, e.g.
    /// <code>
    /// State: 2 variables (44 values), 1 alias
    ///   encoder
    ///     embedding: Param float32[10, 4]
    ///   head
    ///     bias: Param float32[4]
    ///     kernel: tied to encoder.embedding
    /// </code>
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"State: {Count} variable{(Count == 1 ? "" : "s")} ({ElementCount} values), {_aliases.Count} alias{(_aliases.Count == 1 ? "" : "es")}");
        string[] previous = [];
        foreach (string path in _printOrder)
        {
            string[] segments = path.Split('.');
            int shared = 0;
            while (shared < segments.Length - 1 && shared < previous.Length - 1 && segments[shared] == previous[shared]) shared++;
            for (int depth = shared; depth < segments.Length - 1; depth++)
                text.AppendLine().Append(' ', 2 * (depth + 1)).Append(segments[depth]);
            text.AppendLine().Append(' ', 2 * segments.Length).Append(segments[^1]).Append(": ");
            if (_aliases.TryGetValue(path, out string? target)) text.Append("tied to ").Append(target);
            else
            {
                StateVariable v = _byPath[path];
                text.Append(v.Kind).Append(' ').Append(StateFormat.Describe(v.DType, v.Shape));
            }
            previous = segments;
        }
        return text.ToString();
    }

    /// <summary>These variables (a subset of this state, in its order) and the aliases pointing at them.</summary>
    internal State Subset(IEnumerable<StateVariable> variables)
    {
        var kept = variables.Select(v => v.Path).ToHashSet(StringComparer.Ordinal);
        var aliases = _aliases.Where(a => kept.Contains(a.Value)).ToList();
        var aliasPaths = aliases.Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
        List<string> order = _printOrder.Where(p => kept.Contains(p) || aliasPaths.Contains(p)).ToList();
        return new State(_variables.Where(v => kept.Contains(v.Path)), aliases, order);
    }
}
