using System;
using TorchSharp;

namespace Nnx;

/// <summary>
/// Base of every generated module: a <c>torch.nn.Module</c> whose parameters, buffers and submodules are registered
/// by generated code (no reflection), so <c>parameters()</c>, optimizers, <c>state_dict()</c>, <c>to()</c> and
/// <c>Dispose()</c> work as for built-in TorchSharp modules.
/// </summary>
public abstract class Module : torch.nn.Module
{
    /// <summary>Creates the native module; <paramref name="name"/> is the type name shown by TorchSharp.</summary>
    protected Module(string name) : base(name) { }

    /// <summary>
    /// Reports this module's own variables and direct submodules to <paramref name="visitor"/>, in declaration order.
    /// Generated modules override it; a module with nothing declared visits nothing.
    /// </summary>
    public virtual void VisitState(IStateVisitor visitor) => ArgumentNullException.ThrowIfNull(visitor);

    /// <summary>
    /// A new module of the same type and dimensions, with freshly initialised variables (used by <c>Merge</c> and
    /// <c>Clone</c>, which then copy state in). Generated modules override it.
    /// </summary>
    /// <exception cref="NotSupportedException">The module was not generated and does not override this.</exception>
    public virtual Module NewLike() =>
        throw new NotSupportedException($"{GetType().Name} does not implement NewLike(); only generated modules can be rebuilt from a state.");
}
