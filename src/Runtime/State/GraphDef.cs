using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// The structure of a module without its values (NNX's <c>GraphDef</c>): its <see cref="ModuleDefinition"/> (type,
/// dimensions, options), every variable's path, kind, dtype and shape, the aliases of shared tensors, and each
/// module's training flag. <see cref="Merge"/> rebuilds a module from it and states.
/// </summary>
/// <remarks>A graph definition is data: it keeps no reference to the module it was split from.</remarks>
public sealed class GraphDef
{
    private readonly ModuleDefinition? _definition;
    private readonly string _noDefinition;
    private readonly List<VariableSpec> _specs;
    private readonly List<VariableKind> _kinds;
    private readonly Dictionary<string, string> _aliases;
    private readonly List<KeyValuePair<string, bool>> _training;

    internal GraphDef(IModule source, State state)
    {
        ModuleType = source.GetType();
        try
        {
            _definition = source.Definition;
            _noDefinition = "";
        }
        catch (NotSupportedException e)
        {
            // NNX can split any module; only merging needs the definition, so the reason waits for Merge.
            _noDefinition = e.Message;
        }
        _specs = state.Values.Select(VariableSpec.Of).ToList();
        _kinds = state.Values.Select(v => v.Kind).ToList();
        _aliases = new Dictionary<string, string>(state.Aliases, StringComparer.Ordinal);
        _training = TrainingFlags(ModuleState.Torch(source));
    }

    /// <summary>The type of module <see cref="Merge"/> builds.</summary>
    public Type ModuleType { get; }

    /// <summary>The root module's definition: its type and constructor arguments.</summary>
    /// <exception cref="NotSupportedException">The module had no definition (a hand-written module without one).</exception>
    public ModuleDefinition Definition => _definition ?? throw new NotSupportedException(_noDefinition);

    /// <summary>The stored variable paths, in traversal order.</summary>
    public IReadOnlyList<string> Paths => _specs.Select(s => s.Path).ToList();

    /// <summary>Tied paths, mapped to the stored path holding the same tensor.</summary>
    public IReadOnlyDictionary<string, string> Aliases => _aliases;

    /// <summary>Each module's training flag by path (<c>""</c> for the root), in pre-order.</summary>
    public IReadOnlyList<KeyValuePair<string, bool>> Training => _training;

    /// <summary>
    /// A new module with this structure and the states' values (NNX's <c>nnx.merge</c>): built from
    /// <see cref="Definition"/> without drawing initial values, then every variable is copied in and each module's
    /// training flag restored. A tied tensor is one object in the new module, as it was in the original.
    /// </summary>
    /// <param name="states">
    /// States that together hold every stored path exactly once, e.g. the states <see cref="ModuleState.Split"/> returned.
    /// </param>
    /// <exception cref="ArgumentException">A path appears in two states.</exception>
    /// <exception cref="StateMismatchException">
    /// A path is missing, unexpected, or has another shape or dtype; every such path is listed and no module is built.
    /// </exception>
    /// <exception cref="NotSupportedException">The module had no definition.</exception>
    /// <exception cref="InvalidOperationException">The definition built a module of another structure.</exception>
    public IModule Merge(params State[] states)
    {
        var (sources, sourceAliases) = ModuleState.Combine(states, nameof(states));
        StateMatch match = StateMatch.Compute(_specs, _aliases, sources.Select(VariableSpec.Of).ToList(), sourceAliases);
        match.ThrowIfDifferent(
            $"Cannot merge into {ModuleType.Name}: the states do not fit its structure; pass every state Split returned, or states of a module with the same dimensions");

        // Every variable is overwritten below, so the new module allocates its variables without drawing their values.
        IModule module = Definition.Build(Rngs.ForRebuilding());
        try
        {
            torch.nn.Module torchModule = ModuleState.Torch(module);
            State fresh = StateTraversal.Collect(torchModule);
            if (ConvertToTheSourceDtype(torchModule, fresh)) fresh = StateTraversal.Collect(torchModule);
            CheckSameStructure(module, fresh);
            var byPath = sources.ToDictionary(s => s.Path, StringComparer.Ordinal);
            match.CopyInto(fresh, path => byPath[path].Value);
            RestoreTraining(torchModule);
            return module;
        }
        catch
        {
            (module as IDisposable)?.Dispose();
            throw;
        }
    }

    /// <summary>The definition, then one line per path with kind, dtype and shape, and <c>tied to</c> for aliases.</summary>
    public override string ToString()
    {
        var text = new StringBuilder($"GraphDef of {(_definition is null ? ModuleType.Name : _definition.ToString())}");
        foreach (var (spec, kind) in _specs.Zip(_kinds)) text.AppendLine().Append(CultureInfo.InvariantCulture, $"  {spec.Path}: {kind} {spec.Describe()}");
        foreach (var (alias, stored) in _aliases) text.AppendLine().Append("  ").Append(alias).Append(": tied to ").Append(stored);
        return text.ToString();
    }

    // The modules the state walk reaches (an optimizer's model too, which is no TorchSharp child), by state path.
    private static List<KeyValuePair<string, bool>> TrainingFlags(torch.nn.Module root) =>
        StateTraversal.Walk(root).Modules.Select(m => KeyValuePair.Create(m.Path, m.Module.training)).ToList();

    // train() recurses into children, so setting the flags in pre-order leaves every module with its own.
    private void RestoreTraining(torch.nn.Module root)
    {
        var modules = new Dictionary<string, torch.nn.Module>(StringComparer.Ordinal);
        foreach (var (path, module) in StateTraversal.Walk(root).Modules) modules.TryAdd(path, module);
        foreach (var (path, training) in _training)
            if (modules.TryGetValue(path, out torch.nn.Module? module)) module.train(training);
    }

    // The definition builds the declared dtypes (or its paramDtype). A module converted with to(dtype) afterwards holds
    // one floating dtype throughout; convert the new one the same way. Returns whether it converted.
    private bool ConvertToTheSourceDtype(torch.nn.Module module, State fresh)
    {
        ScalarType[] floating = _specs.Select(s => s.DType).Where(IsFloating).Distinct().ToArray();
        if (floating.Length != 1 || !fresh.Values.Any(v => IsFloating(v.DType) && v.DType != floating[0]))
            return false;
        module.to(floating[0]);
        return true;
    }

    private static bool IsFloating(ScalarType dtype) =>
        dtype is ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64;

    private void CheckSameStructure(IModule module, State fresh)
    {
        List<VariableSpec> built = fresh.Values.Select(VariableSpec.Of).ToList();
        bool same = built.Count == _specs.Count
            && built.Zip(_specs).All(p => p.First.Path == p.Second.Path && p.First.SameLayout(p.Second))
            && fresh.Values.Select(v => v.Kind).SequenceEqual(_kinds)
            && fresh.Aliases.Count == _aliases.Count && fresh.Aliases.All(a => _aliases.TryGetValue(a.Key, out string? s) && s == a.Value);
        if (!same)
            throw new InvalidOperationException(
                $"The definition of {module.GetType().Name} built a module whose state differs from the one it was split from; a definition must rebuild the same dimensions and ties."
                + Environment.NewLine + "Expected: " + ToString() + Environment.NewLine + "Built: " + fresh);
    }
}
