using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Nnx.Generated;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// The structure of a module without its values (NNX's <c>GraphDef</c>): its type, every variable's path, kind,
/// dtype and shape, and the aliases of shared tensors. <see cref="Merge"/> rebuilds a module from it and states.
/// </summary>
/// <remarks>
/// It keeps a reference to the module it was split from and calls that module's <see cref="Module.NewLike"/> to
/// rebuild, which reads only the module's dimensions: its tensors are neither kept nor used, so the graph definition
/// stays usable after the module is disposed.
/// </remarks>
public sealed class GraphDef
{
    private readonly Module _source;
    private readonly List<VariableSpec> _specs;
    private readonly List<VariableKind> _kinds;
    private readonly Dictionary<string, string> _aliases;

    internal GraphDef(Module source, State state)
    {
        _source = source;
        _specs = state.Values.Select(VariableSpec.Of).ToList();
        _kinds = state.Values.Select(v => v.Kind).ToList();
        _aliases = new Dictionary<string, string>(state.Aliases, StringComparer.Ordinal);
    }

    /// <summary>The type of module <see cref="Merge"/> builds.</summary>
    public Type ModuleType => _source.GetType();

    /// <summary>The stored variable paths, in traversal order.</summary>
    public IReadOnlyList<string> Paths => _specs.Select(s => s.Path).ToList();

    /// <summary>Tied paths, mapped to the stored path holding the same tensor.</summary>
    public IReadOnlyDictionary<string, string> Aliases => _aliases;

    /// <summary>
    /// A new module with this structure and the states' values (NNX's <c>nnx.merge</c>): built by
    /// <see cref="Module.NewLike"/>, then every variable is copied in. A tied tensor is one object in the new module,
    /// as it was in the original.
    /// </summary>
    /// <param name="states">
    /// States that together hold every stored path exactly once, e.g. the states <see cref="ModuleState.Split"/> returned.
    /// </param>
    /// <exception cref="ArgumentException">A path appears in two states.</exception>
    /// <exception cref="StateMismatchException">
    /// A path is missing, unexpected, or has another shape or dtype; every such path is listed and no module is built.
    /// </exception>
    /// <exception cref="NotSupportedException">The module type does not implement <see cref="Module.NewLike"/>.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Module.NewLike"/> built a module of another structure.</exception>
    public Module Merge(params State[] states)
    {
        var (sources, sourceAliases) = ModuleState.Combine(states, nameof(states));
        StateMatch match = StateMatch.Compute(_specs, _aliases, sources.Select(VariableSpec.Of).ToList(), sourceAliases);
        if (match.Differences.Count > 0)
            throw new StateMismatchException(
                $"Cannot merge into {ModuleType.Name}: the states do not fit its structure; pass every state Split returned, or states of a module with the same dimensions", match.Differences);

        Module module = NewLikeWithoutInitialValues();
        try
        {
            State fresh = StateTraversal.Collect(module);
            if (ConvertToTheSourceDtype(module, fresh)) fresh = StateTraversal.Collect(module);
            CheckSameStructure(module, fresh);
            var byPath = sources.ToDictionary(s => s.Path, StringComparer.Ordinal);
            using (torch.no_grad())
                foreach (var (target, source) in match.Pairs) fresh[target].Value.copy_(byPath[source].Value);
            ModuleSettings.Copy(_source, module);
            return module;
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>The module type, then one line per path with kind, dtype and shape, and <c>tied to</c> for aliases.</summary>
    public override string ToString()
    {
        var text = new StringBuilder($"GraphDef of {ModuleType.Name}");
        foreach (var (spec, kind) in _specs.Zip(_kinds)) text.AppendLine().Append(CultureInfo.InvariantCulture, $"  {spec.Path}: {kind} {spec.Describe()}");
        foreach (var (alias, stored) in _aliases) text.AppendLine().Append("  ").Append(alias).Append(": tied to ").Append(stored);
        return text.ToString();
    }

    // Every variable of the new module is overwritten below, so its initial values are not drawn.
    private Module NewLikeWithoutInitialValues()
    {
        bool outer = ModuleSupport.SkipInitialValues;
        ModuleSupport.SkipInitialValues = true;
        try
        {
            return _source.NewLike();
        }
        finally
        {
            ModuleSupport.SkipInitialValues = outer;
        }
    }

    // NewLike builds the declared dtypes. A module built with paramDtype, or converted with to(dtype), holds one
    // floating dtype throughout; convert the new one the same way. Mixed dtypes are the declared ones, as built.
    // Returns whether it converted, which replaces the module's tensors.
    private bool ConvertToTheSourceDtype(Module module, State fresh)
    {
        ScalarType[] floating = _specs.Select(s => s.DType).Where(IsFloating).Distinct().ToArray();
        if (floating.Length != 1 || !fresh.Values.Any(v => IsFloating(v.DType) && v.DType != floating[0]))
            return false;
        module.to(floating[0]);
        return true;
    }

    private static bool IsFloating(ScalarType dtype) =>
        dtype is ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64;

    private void CheckSameStructure(Module module, State fresh)
    {
        List<VariableSpec> built = fresh.Values.Select(VariableSpec.Of).ToList();
        bool same = built.Count == _specs.Count
            && built.Zip(_specs).All(p => p.First.Path == p.Second.Path && p.First.SameLayout(p.Second))
            && fresh.Values.Select(v => v.Kind).SequenceEqual(_kinds)
            && fresh.Aliases.Count == _aliases.Count && fresh.Aliases.All(a => _aliases.TryGetValue(a.Key, out string? s) && s == a.Value);
        if (!same)
            throw new InvalidOperationException(
                $"{module.GetType().Name}.NewLike() built a module whose state differs from the one it was split from; NewLike must rebuild the same dimensions and ties."
                + Environment.NewLine + "Expected: " + ToString() + Environment.NewLine + "Built: " + fresh);
    }
}
