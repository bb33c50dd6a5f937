using System;

namespace Nnx;

/// <summary>
/// Declares a constructor argument of a generated module that is not a dimension: <c>[Option] private readonly int
/// numHeads;</c> (required) or <c>[Option] private readonly double dropoutRate = 0.1;</c> (optional, default 0.1).
/// </summary>
/// <remarks>
/// <para>The generated constructor takes it under the field's name (leading underscores dropped), required options
/// before <c>rngs</c> and optional ones after it, and assigns it before any variable or child is created, so
/// <c>Shape</c>, <c>Dims</c>, <c>Count</c>, <c>When</c>, <c>OnInitialized</c> and <c>Forward</c> can use it. It is
/// readable as a get-only property named in PascalCase (<c>NumHeads</c>).</para>
/// <para>Options are part of the module's definition (NNX's <c>GraphDef</c>): <c>Clone</c>, <c>Merge</c>,
/// <c>NewLike</c> and checkpoints carry them. Supported types: numbers, <c>bool</c>, <c>char</c>, <c>string</c>,
/// enums, their nullable forms and one-dimensional arrays of them; a default must be a constant.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class OptionAttribute : Attribute
{
}
