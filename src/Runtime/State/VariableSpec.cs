using System;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>The dtype and shape of a variable at a path, without its values (a checkpoint header entry, or a tensor).</summary>
internal sealed record VariableSpec(string Path, ScalarType DType, long[] Shape)
{
    public static VariableSpec Of(StateVariable v) => new(v.Path, v.DType, v.Shape);

    public string Describe() => StateFormat.Describe(DType, Shape);

    public bool SameLayout(VariableSpec other) => DType == other.DType && Shape.AsSpan().SequenceEqual(other.Shape);
}
