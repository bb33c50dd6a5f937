using System.Collections.Generic;

namespace Nnx;

/// <summary>What <see cref="Checkpoint.LoadCheckpoint"/> did: the paths it wrote and, when not strict, what it left out.</summary>
public sealed class CheckpointLoadResult
{
    internal CheckpointLoadResult(
        IReadOnlyList<string> loaded, IReadOnlyList<StateDifference> differences, IReadOnlyList<StateDifference> optionDifferences,
        IReadOnlyDictionary<string, string> metadata)
    {
        Loaded = loaded;
        Differences = differences;
        OptionDifferences = optionDifferences;
        Metadata = metadata;
    }

    /// <summary>The module paths that received values (stored paths; their aliases share the tensor).</summary>
    public IReadOnlyList<string> Loaded { get; }

    /// <summary>Paths missing from the file, unexpected in it, or with another shape or dtype; empty after a strict load.</summary>
    public IReadOnlyList<StateDifference> Differences { get; }

    /// <summary>
    /// Options of the module's definition that differ from those the file was saved with (a dropout rate, an epsilon):
    /// the values load all the same, since fine-tuning with other options is legitimate, but the module may compute
    /// something else than the saved one did. Nested definitions (an optimizer's model) by dotted name.
    /// </summary>
    public IReadOnlyList<StateDifference> OptionDifferences { get; }

    /// <summary>The file's <c>__metadata__</c>.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }
}
