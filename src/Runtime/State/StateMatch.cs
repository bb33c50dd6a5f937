using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// Pairs a module's stored variables with the entries of a source (a state or a checkpoint), through the aliases of
/// both sides, and lists every difference. Shared by <c>Update</c>, <c>Merge</c> and checkpoint loading so that all
/// three treat tied weights and mismatches alike.
/// </summary>
internal sealed class StateMatch
{
    /// <summary>Target path and the source path it takes its value from; layouts are equal.</summary>
    public List<(string Target, string Source)> Pairs { get; } = [];

    public List<StateDifference> Differences { get; } = [];

    /// <summary>Differences other than missing variables (a partial update may leave variables out).</summary>
    public List<StateDifference> DifferencesBesidesMissing => Differences.Where(d => d.Kind != StateDifferenceKind.Missing).ToList();

    /// <summary>Throws a <see cref="StateMismatchException"/> listing every difference, if there is any.</summary>
    /// <param name="message">What could not be done and what to do instead; the differences follow it.</param>
    /// <param name="missingAllowed">Whether variables the source lacks are fine (a partial update).</param>
    public void ThrowIfDifferent(string message, bool missingAllowed = false)
    {
        List<StateDifference> problems = missingAllowed ? DifferencesBesidesMissing : Differences;
        if (problems.Count > 0) throw new StateMismatchException(message, problems);
    }

    /// <summary>
    /// Copies every matched source value into the target's own tensor, in place under <c>no_grad</c>, so the tensor
    /// objects, their <c>requires_grad</c> and any optimizer built on them stay.
    /// </summary>
    public void CopyInto(State target, Func<string, Tensor> sourceValue)
    {
        using (torch.no_grad())
            foreach (var (targetPath, sourcePath) in Pairs) target[targetPath].Value.copy_(sourceValue(sourcePath));
    }

    /// <remarks>
    /// A target path P takes its value from the source's P; else, if the source ties P to a stored S, from S (a tied
    /// checkpoint loads into an untied module); else from a source entry stored under one of P's own aliases.
    /// </remarks>
    public static StateMatch Compute(
        IReadOnlyList<VariableSpec> targets, IReadOnlyDictionary<string, string> targetAliases,
        IReadOnlyList<VariableSpec> sources, IReadOnlyDictionary<string, string> sourceAliases)
    {
        var match = new StateMatch();
        var sourceByPath = sources.ToDictionary(s => s.Path, StringComparer.Ordinal);
        var aliasesOf = targetAliases.GroupBy(a => a.Value, a => a.Key).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var consumed = new HashSet<string>(StringComparer.Ordinal);
        var targetPaths = targets.Select(t => t.Path).ToHashSet(StringComparer.Ordinal);

        foreach (VariableSpec target in targets)
        {
            VariableSpec? source = FindSource(target.Path, sourceByPath, sourceAliases, aliasesOf);
            if (source is null)
            {
                match.Differences.Add(new(target.Path, StateDifferenceKind.Missing, target.Describe(), null));
                continue;
            }
            consumed.Add(source.Path);
            if (target.SameLayout(source)) match.Pairs.Add((target.Path, source.Path));
            else
            {
                string found = source.Path == target.Path ? source.Describe() : $"{source.Describe()} (from '{source.Path}')";
                match.Differences.Add(new(target.Path, StateDifferenceKind.Mismatched, target.Describe(), found));
            }
        }
        foreach (VariableSpec source in sources)
        {
            if (consumed.Contains(source.Path)) continue;
            string found = targetAliases.TryGetValue(source.Path, out string? tiedTo)
                ? $"{source.Describe()}, but the module ties it to '{tiedTo}', which is already given"
                : source.Describe();
            match.Differences.Add(new(source.Path, StateDifferenceKind.Unexpected, null, found));
        }
        foreach (var (alias, stored) in sourceAliases)
        {
            if (!targetPaths.Contains(alias) && !targetAliases.ContainsKey(alias))
                match.Differences.Add(new(alias, StateDifferenceKind.Unexpected, null, $"tied to '{stored}' in the source"));
        }
        return match;
    }

    private static VariableSpec? FindSource(
        string path, Dictionary<string, VariableSpec> sourceByPath, IReadOnlyDictionary<string, string> sourceAliases,
        Dictionary<string, List<string>> aliasesOf)
    {
        if (sourceByPath.TryGetValue(path, out VariableSpec? direct)) return direct;
        if (sourceAliases.TryGetValue(path, out string? stored) && sourceByPath.TryGetValue(stored, out VariableSpec? tied)) return tied;
        if (aliasesOf.TryGetValue(path, out List<string>? aliases))
            foreach (string alias in aliases)
                if (sourceByPath.TryGetValue(alias, out VariableSpec? underAlias)) return underAlias;
        return null;
    }
}
