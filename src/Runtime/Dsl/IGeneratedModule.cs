using System.ComponentModel;
using TorchSharp.Modules;

namespace Nnx.Dsl;

/// <summary>What generated code implements for tying a child's parameter to another module's; not for hand-written code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IGeneratedModule
{
    /// <summary>Replaces the parameter field <paramref name="name"/> and its registration (null clears both).</summary>
    /// <exception cref="System.ArgumentException">The module has no parameter field of that name.</exception>
    void SetParameter(string name, Parameter? value);
}
