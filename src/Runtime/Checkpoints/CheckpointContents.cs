using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// The tensors and metadata of a safetensors file read by <see cref="Checkpoint.LoadTensors"/>. It owns the tensors:
/// dispose it, or take the tensors out and dispose them yourself.
/// </summary>
public sealed class CheckpointContents : IDisposable
{
    internal CheckpointContents(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> aliases, IReadOnlyDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Aliases = aliases;
        Metadata = metadata;
    }

    /// <summary>Every name in the file, aliases included: an alias maps to the same tensor object as its stored name.</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors { get; }

    /// <summary>Names stored once and recorded as tied (<see cref="Checkpoint.AliasesKey"/>), mapped to the stored name.</summary>
    public IReadOnlyDictionary<string, string> Aliases { get; }

    /// <summary>The header's <c>__metadata__</c>, as written (including <c>format</c> and <see cref="Checkpoint.AliasesKey"/>).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Disposes the tensors read.</summary>
    public void Dispose()
    {
        foreach (Tensor tensor in new HashSet<Tensor>(Tensors.Values, ReferenceEqualityComparer.Instance)) tensor.Dispose();
    }
}
