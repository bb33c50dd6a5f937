using System;

namespace Nnx;

/// <summary>
/// Declares a submodule of a generated module: <c>[Sub] private Block block;</c>, or a list of them:
/// <c>[Sub(Count = "depth")] private ModuleList&lt;Block&gt; blocks;</c>.
/// </summary>
/// <remarks>
/// The field's type must be a generated module (a partial class with <c>[Param]</c>, <c>[BatchStat]</c> or
/// <c>[Sub]</c> fields, or a library module such as <c>Nnx.Embed</c>). The generated constructor builds it at its
/// place in declaration order with the parent's <c>Rngs</c>, so keys are drawn exactly as in the equivalent NNX
/// <c>__init__</c>. The child's dimensions are taken from the parent's dimensions of the same name unless
/// <see cref="Dims"/> renames them; the parent's constructor takes the union of all names.
/// </remarks>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class SubAttribute : Attribute
{
    /// <summary>
    /// Where the child's dimensions come from, as <c>child=parent</c> pairs: <c>"vocab=nTokens, dModel=64"</c> feeds the
    /// child's <c>vocab</c> from the parent's <c>nTokens</c> and fixes <c>dModel</c> at 64. Unlisted dimensions keep
    /// their name.
    /// </summary>
    public string Dims { get; set; } = "";

    /// <summary>
    /// For a <c>ModuleList&lt;T&gt;</c> field: how many children to build, a dimension name of the parent
    /// (<c>"depth"</c>) or a positive integer literal. Elements get the paths <c>blocks.0</c>, <c>blocks.1</c>, ...
    /// </summary>
    public string Count { get; set; } = "";
}
