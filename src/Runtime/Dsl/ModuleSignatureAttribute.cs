using System;
using System.ComponentModel;

namespace Nnx.Dsl;

/// <summary>
/// Put on every generated module by the source generator: its dimensions, options and members as text, so that the
/// generator and the analyzers can use the module as a <c>[Sub]</c> or a base class from another assembly (private
/// fields are not visible there). Not for hand-written code.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ModuleSignatureAttribute : Attribute
{
    /// <summary>Records <paramref name="signature"/>.</summary>
    public ModuleSignatureAttribute(string signature) => Signature = signature;

    /// <summary>The signature text, in the generator's versioned format.</summary>
    public string Signature { get; }
}
