using System;

namespace Nnx;

/// <summary>
/// Declares a parameter field that is the same object as another parameter (weight tying), e.g. an output head
/// sharing the embedding table: <c>[Tied("embed.embedding")] private Parameter head;</c>.
/// </summary>
/// <remarks>
/// The field is not registered a second time: <c>parameters()</c>, optimizers and <c>state_dict()</c> see the
/// weight once, under its original path; the NNX state lists it under the first path in declaration order, as NNX
/// does for shared references. <c>to(dtype/device)</c> keeps the field pointing at the moved original.
/// </remarks>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class TiedAttribute : Attribute
{
    /// <summary>Ties the field to the parameter at <paramref name="path"/>.</summary>
    /// <param name="path">A parameter of this module (<c>"embedding"</c>) or of a submodule (<c>"embed.embedding"</c>, <c>"blocks.0.w"</c>).</param>
    public TiedAttribute(string path) => Path = path;

    /// <summary>The dotted path of the parameter this field shares, relative to the declaring module.</summary>
    public string Path { get; }
}
