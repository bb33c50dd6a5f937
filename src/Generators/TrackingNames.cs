namespace Nnx.Generators;

/// <summary>Names of the pipeline steps, so tests can check what was cached.</summary>
public static class TrackingNames
{
    /// <summary>One model per <c>[Param]</c> field.</summary>
    public const string ParamFields = nameof(ParamFields);

    /// <summary>One model per <c>[BatchStat]</c> field.</summary>
    public const string BatchStatFields = nameof(BatchStatFields);

    /// <summary>One model per <c>[Sub]</c> field.</summary>
    public const string SubFields = nameof(SubFields);

    /// <summary>One model per <c>[Tied]</c> field.</summary>
    public const string TiedFields = nameof(TiedFields);

    /// <summary>The fields grouped into one model per module type.</summary>
    public const string Modules = nameof(Modules);
}
