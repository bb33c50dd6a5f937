namespace Nnx.Generators;

/// <summary>Names of the pipeline steps, so tests can check what was cached.</summary>
public static class TrackingNames
{
    /// <summary>One model per <c>[Param]</c> field.</summary>
    public const string ParamFields = nameof(ParamFields);

    /// <summary>The fields grouped into one model per module type.</summary>
    public const string Modules = nameof(Modules);
}
