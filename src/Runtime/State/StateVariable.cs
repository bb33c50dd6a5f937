using System;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// One variable of a module's state (NNX's <c>VariableState</c>): where it lives, what kind it is, and the live tensor.
/// </summary>
/// <param name="Path">Dot-separated path from the root module, e.g. <c>"encoder.embedding"</c> or <c>"blocks.0.kernel"</c>.</param>
/// <param name="Kind">Its NNX kind, used by <see cref="StateFilter"/>.</param>
/// <param name="Value">
/// The module's own tensor (not a copy) when the state came from <see cref="ModuleState.GetState(IModule)"/>: writing into it
/// changes the module. Do not dispose it; the module owns it.
/// </param>
public sealed record StateVariable(string Path, VariableKind Kind, Tensor Value)
{
    /// <summary>The tensor's shape.</summary>
    public long[] Shape => Value.shape;

    /// <summary>The tensor's element type.</summary>
    public ScalarType DType => Value.dtype;

    /// <summary>The path, kind, dtype and shape, e.g. <c>encoder.embedding: Param float32[10, 4]</c>.</summary>
    public override string ToString() => $"{Path}: {Kind} {StateFormat.Describe(DType, Shape)}";
}
