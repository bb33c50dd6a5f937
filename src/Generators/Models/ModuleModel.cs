using System.Collections.Generic;
using Nnx.Generators.Helpers;
using Nnx.Generators.Shared;

namespace Nnx.Generators.Models;

/// <summary>Everything the emitter writes for one module type; holds no symbols or syntax, so it caches by value.</summary>
/// <param name="Type">Namespace and declaration chain.</param>
/// <param name="AddsBaseType">Whether the generated part declares <c>: global::Nnx.Module</c> (the user declared no base).</param>
/// <param name="HasHook">Whether to declare and call <c>partial void OnInitialized()</c> (the user's code leaves room for it).</param>
/// <param name="Members">The declared fields in declaration order.</param>
internal sealed record ModuleModel(TypeModel Type, bool AddsBaseType, bool HasHook, EquatableArray<MemberModel> Members)
{
    /// <summary>The constructor's dimension names, in order of first appearance across the members.</summary>
    public List<string> Dimensions() => DimensionsOf(Members);

    /// <summary>Dimension names in order of first appearance: shapes, list counts, then mapped child dimensions.</summary>
    public static List<string> DimensionsOf(IEnumerable<MemberModel> members)
    {
        var dims = new List<string>();
        void Add(ShapeDim d)
        {
            if (d.IsNamed && !dims.Contains(d.Name!)) dims.Add(d.Name!);
        }
        foreach (MemberModel m in members)
        {
            foreach (ShapeDim d in m.Shape) Add(d);
            if (m.Kind == MemberKind.SubList) Add(m.Count);
            foreach (DimArgument a in m.ChildDims) Add(a.Source);
        }
        return dims;
    }
}

/// <summary>One declared field found by the pipeline, with the module it belongs to.</summary>
internal sealed record ModuleFieldModel(TypeModel Type, bool AddsBaseType, bool HasHook, MemberModel Member);
