using System;

namespace Nnx;

/// <summary>
/// Declares a submodule of a generated module: <c>[Sub] private Block block;</c>, or a list of them:
/// <c>[Sub(Count = "depth")] private ModuleList&lt;Block&gt; blocks;</c>.
/// </summary>
/// <remarks>
/// The field's type must be a generated module (a partial class with Nnx members, or a library module such as
/// <c>Nnx.Embed</c> or <c>Nnx.Dropout</c>). The generated constructor builds it at its place in declaration order with
/// the parent's <c>Rngs</c>, so keys are drawn exactly as in the equivalent NNX <c>__init__</c>. The child's
/// dimensions are taken from the parent's dimensions of the same name unless <see cref="Dims"/> says otherwise; its
/// options from <see cref="Options"/>, else their defaults.
/// </remarks>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class SubAttribute : Attribute
{
    /// <summary>
    /// Where the child's dimensions come from, as <c>child=expression</c> pairs: <c>"vocab=nTokens, dModel=64"</c>
    /// feeds the child's <c>vocab</c> from the parent's <c>nTokens</c> and fixes <c>dModel</c> at 64;
    /// <c>"outFeatures=3*dModel"</c> computes it. Unlisted dimensions keep their name. In a list, <c>i</c> is the
    /// element's index: <c>"inFeatures=widths[i], outFeatures=widths[i+1]"</c> gives each element its own sizes.
    /// </summary>
    public string Dims { get; set; } = "";

    /// <summary>
    /// For a <c>ModuleList&lt;T&gt;</c> field: how many children to build, an integer expression over dimensions and
    /// options (<c>"depth"</c>, <c>"2"</c>, <c>"widths.Length - 1"</c>). Elements get the paths <c>blocks.0</c>,
    /// <c>blocks.1</c>, ...
    /// </summary>
    public string Count { get; set; } = "";

    /// <summary>
    /// The child's options, as <c>child=value</c> pairs: <c>"epsilon=1e-5, rate=dropoutRate, outOfRange=OutOfRange.Fill"</c>.
    /// A value is a C# literal, a name of the parent's options or dimensions, or arithmetic over them; lists pass the
    /// same options to every element (<c>i</c> is the element's index). Unlisted options keep their defaults.
    /// </summary>
    public string Options { get; set; } = "";

    /// <summary>
    /// Parameters of the child that are another module's, as <c>child=path</c> pairs: <c>"kernel=encoder.kernel"</c>
    /// makes this child's <c>kernel</c> the same object as the sibling's (Flax's <c>baz.kernel = bar.kernel</c>): it is
    /// stored once in the state, under the path reached first, and trained once.
    /// </summary>
    public string Tied { get; set; } = "";

    /// <summary>A condition over the module's options, as <see cref="ParamAttribute.When"/>: the child exists only when it holds.</summary>
    public string When { get; set; } = "";
}
