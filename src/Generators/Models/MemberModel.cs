using Nnx.Generators.Helpers;
using Nnx.Generators.Shared;

namespace Nnx.Generators.Models;

/// <summary>What a declared field of a module is.</summary>
internal enum MemberKind
{
    /// <summary><c>[Param]</c>: a trainable parameter drawing one key.</summary>
    Param,

    /// <summary><c>[BatchStat]</c>: a persistent, non-trainable buffer drawing no key.</summary>
    BatchStat,

    /// <summary><c>[Sub]</c>: one submodule.</summary>
    Sub,

    /// <summary><c>[Sub(Count = ...)]</c>: a <c>ModuleList&lt;T&gt;</c> of submodules.</summary>
    SubList,

    /// <summary><c>[Tied("path")]</c>: the same object as another parameter.</summary>
    Tied,
}

/// <summary>One child dimension and the parent's value for it: a parent dimension name or a fixed size.</summary>
/// <param name="ChildDim">The child constructor's dimension name.</param>
/// <param name="Source">Where the value comes from in the parent.</param>
internal sealed record DimArgument(string ChildDim, ShapeDim Source);

/// <summary>One declared field, reduced to the strings and numbers the emitter needs.</summary>
/// <param name="Kind">What the field is.</param>
/// <param name="FieldName">The field's name, which is also its registered name and state path segment.</param>
/// <param name="Ordinal">Position among the type's fields, so members are built in declaration order.</param>
/// <param name="Shape">Param/BatchStat: the parsed <c>Shape</c>.</param>
/// <param name="Init">Param/BatchStat: the <c>Init</c> text, parsed by the runtime.</param>
/// <param name="Rng">Param: the RNG stream the key is drawn from.</param>
/// <param name="Dtype">Param/BatchStat: the <c>ScalarType</c> member name, e.g. <c>Float32</c>.</param>
/// <param name="ChildType">Sub/SubList: the fully qualified child module type.</param>
/// <param name="ChildDims">Sub/SubList: the child constructor's dimensions, in its order, with their sources.</param>
/// <param name="ChildTakesParamDtype">Sub/SubList: whether the child constructor has a <c>paramDtype</c> argument.</param>
/// <param name="Count">SubList: the number of children.</param>
/// <param name="TiedTo">Tied: the dotted path of the shared parameter.</param>
internal sealed record MemberModel(
    MemberKind Kind,
    string FieldName,
    int Ordinal,
    EquatableArray<ShapeDim> Shape,
    string Init,
    string Rng,
    string Dtype,
    string ChildType,
    EquatableArray<DimArgument> ChildDims,
    bool ChildTakesParamDtype,
    ShapeDim Count,
    string TiedTo);
