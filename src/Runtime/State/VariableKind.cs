namespace Nnx;

/// <summary>The kind of an NNX variable, used by state filters (<c>nnx.Param</c>, <c>nnx.BatchStat</c>).</summary>
public enum VariableKind
{
    /// <summary>A trainable parameter (<c>nnx.Param</c>): registered with TorchSharp as a parameter.</summary>
    Param,

    /// <summary>Non-trainable state such as running statistics (<c>nnx.BatchStat</c>): a persistent buffer.</summary>
    BatchStat,
}
