using System;
using System.Linq;
using Nnx.Generated;
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

    /// <summary>The number of trainable scalars; a tied weight counts once.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>
    /// Reports this module's own variables and direct submodules to <paramref name="visitor"/>, in declaration order.
    /// Generated modules override it; a module with nothing declared visits nothing.
    /// </summary>
    public virtual void VisitState(IStateVisitor visitor) => ArgumentNullException.ThrowIfNull(visitor);

    /// <summary>
    /// A new module of the same type and dimensions, with freshly initialised variables. <c>Merge</c> and <c>Clone</c>
    /// call it with initial values skipped (they overwrite every variable). Generated modules override it.
    /// </summary>
    /// <exception cref="NotSupportedException">The module was not generated and does not override this.</exception>
    public virtual Module NewLike() =>
        throw new NotSupportedException($"{GetType().Name} does not implement NewLike(); only generated modules can be rebuilt from a state.");

    /// <summary>
    /// Copies this module's own settings that are neither variables nor dimensions (<c>Embed.OutOfRange</c>, a norm's
    /// <c>Epsilon</c>) to <paramref name="copy"/>, a module of the same type that <see cref="NewLike"/> built.
    /// <c>Merge</c> and <c>Clone</c> call it on every module of the tree, so a copy behaves as the original (Flax NNX
    /// keeps such attributes in the graph definition). Override it in a module that has settings; the default copies
    /// nothing.
    /// </summary>
    protected virtual void CopySettingsTo(Module copy) => ArgumentNullException.ThrowIfNull(copy);

    // The entry point for ModuleSettings: the override stays protected for users, whatever assembly they are in.
    internal void PassSettingsTo(Module copy) => CopySettingsTo(copy);

    /// <summary>
    /// A table of every variable reachable from this module, one line each, in state order: path, kind, shape, dtype,
    /// and for a tied weight the path it shares; then the parameter count.
    /// </summary>
    public string Summary() => ModuleSummary.Write(this);

    /// <summary>The type name and the <see cref="Summary"/> table.</summary>
    public override string ToString() => Summary();
}
