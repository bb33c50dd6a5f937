using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;

namespace Nnx;

/// <summary>
/// Flax NNX's functional state API on modules: <c>nnx.state</c> (<see cref="GetState(IModule)"/>), <c>nnx.split</c>
/// (<see cref="Split"/>), <c>nnx.merge</c> (<see cref="GraphDef.Merge"/>), <c>nnx.update</c> (<see cref="Update"/>)
/// and <c>nnx.clone</c> (<see cref="Clone"/>).
/// </summary>
/// <remarks>
/// The state is read through <see cref="IModule.VisitState"/> in declaration order; a module whose
/// <c>VisitState</c> reports nothing is read from TorchSharp's registries (parameters as <see cref="VariableKind.Param"/>,
/// persistent buffers as <see cref="VariableKind.BatchStat"/>, then children). A tensor reached under several paths
/// (a tied weight, or a submodule used twice) is one variable stored under the first path; the others are aliases.
/// </remarks>
public static class ModuleState
{
    /// <summary>Every variable of the module, by path, with the aliases of shared tensors (<c>nnx.state(module)</c>).</summary>
    /// <remarks>The values are the module's live tensors: use <see cref="Clone"/> or <c>detach().clone()</c> for a snapshot.</remarks>
    public static State GetState(this IModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return StateTraversal.Collect(Torch(module));
    }

    /// <summary>The variables <paramref name="filter"/> selects (<c>nnx.state(module, filter)</c>); combine filters with <c>|</c>, <c>&amp;</c>, <c>!</c>.</summary>
    public static State GetState(this IModule module, StateFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return module.GetState().Filter(filter);
    }

    /// <summary>
    /// The module's structure and its state divided by <paramref name="filters"/> (<c>nnx.split</c>): each variable goes to
    /// the state of the first filter that matches it, so <c>Split(VariableKind.Param, StateFilter.Everything)</c> gives the
    /// parameters and everything else. With no filters there is one state holding everything.
    /// </summary>
    /// <returns>The graph definition and one state per filter, in filter order.</returns>
    /// <exception cref="ArgumentException">Some variables match no filter; the message lists them. End with <see cref="StateFilter.Everything"/>.</exception>
    public static (GraphDef GraphDef, State[] States) Split(this IModule module, params StateFilter[] filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        if (Array.IndexOf(filters, null) is int nullAt and >= 0)
            throw new ArgumentNullException(nameof(filters), $"Filter {nullAt} is null; pass StateFilter.Nothing to match nothing.");
        State state = module.GetState();
        var graphDef = new GraphDef(module, state);
        if (filters.Length == 0) return (graphDef, [state]);

        var buckets = filters.Select(_ => new List<StateVariable>()).ToArray();
        var unmatched = new List<string>();
        foreach (StateVariable v in state.Values)
        {
            int index = Array.FindIndex(filters, f => f.Matches(v));
            if (index < 0) unmatched.Add(v.Path);
            else buckets[index].Add(v);
        }
        if (unmatched.Count > 0)
            throw new ArgumentException(
                $"Non-exhaustive filters: no filter of [{string.Join(", ", filters.Select(f => f.ToString()))}] matches {string.Join(", ", unmatched)}. " +
                "Add StateFilter.Everything as the last filter to collect the rest.", nameof(filters));
        return (graphDef, buckets.Select(state.Subset).ToArray());
    }

    /// <summary>
    /// Copies the states' values into the module's own tensors (<c>nnx.update</c>), in place under <c>no_grad</c>: the
    /// tensor objects and their <c>requires_grad</c> stay, so optimizers built on the module keep working. States may
    /// cover part of the module. A tied tensor is written once; a state that ties paths the module keeps apart writes
    /// the stored value to each of them.
    /// </summary>
    /// <exception cref="ArgumentException">A path appears in two of the states, or a state tensor was disposed.</exception>
    /// <exception cref="StateMismatchException">
    /// A path the module lacks, or another shape or dtype (no conversion is made); every such path is listed, with
    /// expected and found layouts, and the module is left unchanged.
    /// </exception>
    public static void Update(this IModule module, params State[] states)
    {
        ArgumentNullException.ThrowIfNull(module);
        var (sources, sourceAliases) = Combine(states, nameof(states));
        State target = module.GetState();
        StateMatch match = StateMatch.Compute(
            target.Values.Select(VariableSpec.Of).ToList(), target.Aliases, sources.Select(VariableSpec.Of).ToList(), sourceAliases);
        match.ThrowIfDifferent(
            $"Cannot update {module.GetType().Name}: the state does not fit it; pass a state of a module with the same paths and layouts, or filter the differing paths out",
            missingAllowed: true);
        var byPath = sources.ToDictionary(s => s.Path, StringComparer.Ordinal);
        match.CopyInto(target, path => byPath[path].Value);
    }

    /// <summary>
    /// A deep copy (<c>nnx.clone</c>): a new module built from the original's <see cref="IModule.Definition"/> (its
    /// dimensions and options) with the same values, dtypes, <c>requires_grad</c> flags, ties (one object per tied
    /// tensor), RNG stream states and each module's own training mode.
    /// </summary>
    /// <exception cref="NotSupportedException">The module has no <see cref="IModule.Definition"/>.</exception>
    public static T Clone<T>(this T module) where T : class, IModule
    {
        var (graphDef, states) = module.Split();
        IModule merged = graphDef.Merge(states);
        if (merged is not T copy)
        {
            (merged as IDisposable)?.Dispose();
            throw new InvalidOperationException($"The definition of {typeof(T).Name} built a {merged.GetType().Name}; it must build the same type.");
        }
        State copied = copy.GetState();
        foreach (StateVariable v in states[0].Values) copied[v.Path].Value.requires_grad = v.Value.requires_grad;
        return copy;
    }

    /// <summary>The TorchSharp module behind an <see cref="IModule"/> (every Nnx base is one).</summary>
    internal static torch.nn.Module Torch(IModule module) =>
        module as torch.nn.Module ?? throw new ArgumentException($"{module.GetType().Name} implements IModule but is not a torch.nn.Module; derive it from an Nnx module base.", nameof(module));

    /// <summary>The variables of several states and the union of their aliases; a path given twice is an error.</summary>
    internal static (List<StateVariable> Variables, Dictionary<string, string> Aliases) Combine(State[] states, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(states, parameterName);
        var variables = new List<StateVariable>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < states.Length; i++)
        {
            State state = states[i] ?? throw new ArgumentNullException(parameterName, $"State {i} is null.");
            foreach (StateVariable v in state.Values)
            {
                if (seen.TryGetValue(v.Path, out int first))
                    throw new ArgumentException($"'{v.Path}' is in state {first} and state {i}; each path may come from one state.", parameterName);
                if (v.Value.IsInvalid)
                    throw new ArgumentException($"'{v.Path}' in state {i} is a disposed tensor.", parameterName);
                seen.Add(v.Path, i);
                variables.Add(v);
            }
            foreach (var (alias, stored) in state.Aliases) aliases[alias] = stored;
        }
        return (variables, aliases);
    }
}
