namespace Nnx.Generators;

/// <summary>
/// Names of the pipeline steps, so tests can check what was cached. Each step starts from fields with one Nnx
/// attribute and yields the module model of each type whose first Nnx field has that attribute.
/// </summary>
public static class TrackingNames
{
    /// <summary>Modules whose first Nnx field is a <c>[Param]</c>.</summary>
    public const string ParamFields = nameof(ParamFields);

    /// <summary>Modules whose first Nnx field is a <c>[BatchStat]</c>.</summary>
    public const string BatchStatFields = nameof(BatchStatFields);

    /// <summary>Modules whose first Nnx field is a <c>[Sub]</c>.</summary>
    public const string SubFields = nameof(SubFields);

    /// <summary>Modules whose first Nnx field is a <c>[Tied]</c>.</summary>
    public const string TiedFields = nameof(TiedFields);

    /// <summary>Modules whose first Nnx field is an <c>[Option]</c>.</summary>
    public const string OptionFields = nameof(OptionFields);

    /// <summary>Modules whose first Nnx field is a <c>[Fork]</c>.</summary>
    public const string ForkFields = nameof(ForkFields);

    /// <summary>Every step, in the order of <c>DslSymbols.Attributes</c>.</summary>
    public static readonly string[] All = [ParamFields, BatchStatFields, SubFields, TiedFields, OptionFields, ForkFields];
}
