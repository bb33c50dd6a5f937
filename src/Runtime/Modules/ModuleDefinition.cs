using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Nnx;

/// <summary>
/// A module's static definition, NNX's node of a <c>GraphDef</c>: its type and the constructor arguments it was built
/// with (dimensions, options, <c>paramDtype</c>). It holds values only, never the module, and <see cref="Build"/> makes
/// a new module from it; generated modules return one from <see cref="IModule.Definition"/>.
/// </summary>
/// <remarks>Argument values are copied in and out (arrays included), so a definition never changes once made.</remarks>
public sealed class ModuleDefinition : IEquatable<ModuleDefinition>
{
    private readonly ModuleArgument[] _arguments;
    private readonly Func<IReadOnlyList<object?>, Rngs, IModule> _build;

    /// <summary>A definition of <paramref name="moduleType"/> with <paramref name="arguments"/>, built by <paramref name="build"/>.</summary>
    /// <param name="moduleType">The type <paramref name="build"/> returns.</param>
    /// <param name="arguments">The constructor arguments, in the constructor's order.</param>
    /// <param name="build">Makes the module from the argument values (in order) and an <see cref="Rngs"/>; it must not keep the values.</param>
    public ModuleDefinition(Type moduleType, IEnumerable<ModuleArgument> arguments, Func<IReadOnlyList<object?>, Rngs, IModule> build)
    {
        ModuleType = moduleType ?? throw new ArgumentNullException(nameof(moduleType));
        ArgumentNullException.ThrowIfNull(arguments);
        _build = build ?? throw new ArgumentNullException(nameof(build));
        _arguments = arguments.Select(a => a with { Value = Copy(a.Value) }).ToArray();
    }

    /// <summary>The type of module <see cref="Build"/> makes.</summary>
    public Type ModuleType { get; }

    /// <summary>The constructor arguments, in the constructor's order (values are copies).</summary>
    public IReadOnlyList<ModuleArgument> Arguments => _arguments.Select(a => a with { Value = Copy(a.Value) }).ToArray();

    /// <summary>The value of the argument named <paramref name="name"/> (a copy).</summary>
    /// <exception cref="KeyNotFoundException">No argument has that name; the message lists those that do.</exception>
    public object? this[string name]
    {
        get
        {
            foreach (ModuleArgument a in _arguments)
                if (a.Name == name) return Copy(a.Value);
            throw new KeyNotFoundException($"{ModuleType.Name} has no constructor argument '{name}'; it has {string.Join(", ", _arguments.Select(a => a.Name))}.");
        }
    }

    /// <summary>A new module of this definition, drawing its variables from <paramref name="rngs"/>.</summary>
    /// <exception cref="InvalidOperationException">The build function made a module of another type.</exception>
    public IModule Build(Rngs rngs)
    {
        ArgumentNullException.ThrowIfNull(rngs);
        IModule module = _build(_arguments.Select(a => Copy(a.Value)).ToArray(), rngs);
        if (module?.GetType() != ModuleType)
        {
            (module as IDisposable)?.Dispose();
            throw new InvalidOperationException($"The definition of {ModuleType.Name} built a {module?.GetType().Name ?? "null"}; it must build a {ModuleType.Name}.");
        }
        return module;
    }

    /// <summary>The arguments that differ from <paramref name="other"/>'s, as <c>name: this vs other</c>; empty when equal.</summary>
    public IReadOnlyList<string> DifferencesFrom(ModuleDefinition other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var differences = new List<string>();
        if (other.ModuleType != ModuleType) differences.Add($"type: {ModuleType.Name} vs {other.ModuleType.Name}");
        var theirs = other._arguments.ToDictionary(a => a.Name, StringComparer.Ordinal);
        foreach (ModuleArgument mine in _arguments)
        {
            if (!theirs.Remove(mine.Name, out ModuleArgument? their)) differences.Add($"{mine.Name}: {Format(mine.Value)} vs (absent)");
            else if (!SameValue(mine.Value, their.Value)) differences.Add($"{mine.Name}: {Format(mine.Value)} vs {Format(their.Value)}");
        }
        foreach (ModuleArgument their in theirs.Values) differences.Add($"{their.Name}: (absent) vs {Format(their.Value)}");
        return differences;
    }

    /// <inheritdoc/>
    public bool Equals(ModuleDefinition? other) => other is not null && DifferencesFrom(other).Count == 0;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ModuleDefinition);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(ModuleType);
        foreach (ModuleArgument a in _arguments) hash.Add(a.Name);
        return hash.ToHashCode();
    }

    /// <summary>The constructor call this definition stands for, e.g. <c>Block(dModel: 768, numHeads: 12, dropoutRate: 0.1)</c>.</summary>
    public override string ToString() =>
        $"{ModuleType.Name}({string.Join(", ", _arguments.Select(a => $"{a.Name}: {Format(a.Value)}"))})";

    /// <summary>An argument value as C# would write it: <c>768</c>, <c>0.1</c>, <c>true</c>, <c>"gelu"</c>, <c>Fill</c>, <c>[1, 2]</c>, <c>null</c>.</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"",
        char c => "'" + c + "'",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        Array array => "[" + string.Join(", ", array.Cast<object?>().Select(Format)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static bool SameValue(object? a, object? b)
    {
        if (a is Array x && b is Array y)
            return x.GetType() == y.GetType() && x.Length == y.Length && x.Cast<object?>().Zip(y.Cast<object?>()).All(p => Equals(p.First, p.Second));
        return Equals(a, b);
    }

    private static object? Copy(object? value) => value is Array array ? array.Clone() : value;
}
