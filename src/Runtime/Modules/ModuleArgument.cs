namespace Nnx;

/// <summary>What a constructor argument of a generated module is.</summary>
public enum ModuleArgumentKind
{
    /// <summary>A size named in a <c>Shape</c>, <c>Dims</c> or <c>Count</c>.</summary>
    Dimension,

    /// <summary>An <c>[Option]</c> field.</summary>
    Option,

    /// <summary>The <c>paramDtype</c> the module was built with (null: each parameter's declared <c>Dtype</c>).</summary>
    ParamDtype,
}

/// <summary>One constructor argument in a <see cref="ModuleDefinition"/>: its name, kind and value.</summary>
/// <param name="Name">The constructor parameter's name (<c>dModel</c>, <c>numHeads</c>, <c>paramDtype</c>).</param>
/// <param name="Kind">Whether it is a dimension, an option or the parameter dtype.</param>
/// <param name="Value">The value: a <c>long</c> for dimensions; for options a number, <c>bool</c>, <c>char</c>,
/// <c>string</c>, enum, array of those, or null.</param>
public sealed record ModuleArgument(string Name, ModuleArgumentKind Kind, object? Value);
