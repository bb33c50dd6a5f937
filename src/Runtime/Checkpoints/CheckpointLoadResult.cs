using System.Collections.Generic;

namespace Nnx;

/// <summary>What <see cref="Checkpoint.LoadCheckpoint"/> did: the paths it wrote and, when not strict, what it left out.</summary>
public sealed class CheckpointLoadResult
{
    internal CheckpointLoadResult(IReadOnlyList<string> loaded, IReadOnlyList<StateDifference> differences, IReadOnlyDictionary<string, string> metadata)
    {
        Loaded = loaded;
        Differences = differences;
        Metadata = metadata;
    }

    /// <summary>The module paths that received values (stored paths; their aliases share the tensor).</summary>
    public IReadOnlyList<string> Loaded { get; }

    /// <summary>Paths missing from the file, unexpected in it, or with another shape or dtype; empty after a strict load.</summary>
    public IReadOnlyList<StateDifference> Differences { get; }

    /// <summary>The file's <c>__metadata__</c>.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }
}
