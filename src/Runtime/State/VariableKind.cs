namespace Nnx;

/// <summary>The kind of an NNX variable, used by state filters (<c>nnx.Param</c>, <c>nnx.BatchStat</c>, <c>nnx.RngKey</c>, <c>nnx.OptState</c>, ...).</summary>
public enum VariableKind
{
    /// <summary>A trainable parameter (<c>nnx.Param</c>): registered with TorchSharp as a parameter.</summary>
    Param,

    /// <summary>Non-trainable state such as running statistics (<c>nnx.BatchStat</c>): a persistent buffer.</summary>
    BatchStat,

    /// <summary>The key of a module's own RNG stream (<c>nnx.RngKey</c>): an int64 tensor holding the two uint32 key words.</summary>
    RngKey,

    /// <summary>How many keys a module's own RNG stream has handed out (<c>nnx.RngCount</c>): an int64 scalar.</summary>
    RngCount,

    /// <summary>
    /// Optimizer state (<c>nnx.OptState</c>): the step count and the moments an <see cref="Optimizer"/> keeps per
    /// parameter. Neither trained nor registered with TorchSharp; checkpoints and clones of the optimizer carry it.
    /// </summary>
    OptState,
}
