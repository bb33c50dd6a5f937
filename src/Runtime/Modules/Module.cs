using System;
using TorchSharp;

namespace Nnx;

/// <summary>
/// Base of Nnx modules whose <c>Forward</c> is not a one-to-three-argument function (else the generator picks
/// <see cref="Module{T, TResult}"/> and its siblings): a <c>torch.nn.Module</c> whose parameters, buffers and
/// submodules are registered by generated code (no reflection), so <c>parameters()</c>, optimizers,
/// <c>state_dict()</c>, <c>to()</c> and <c>Dispose()</c> work as for built-in TorchSharp modules.
/// </summary>
public abstract class Module : torch.nn.Module, IModule
{
    /// <summary>Creates the native module; <paramref name="name"/> is the type name shown by TorchSharp.</summary>
    protected Module(string name) : base(name) { }

    /// <summary>The number of trainable scalars; a tied weight counts once.</summary>
    public long ParameterCount => ModuleMembers.ParameterCount(this);

    /// <inheritdoc/>
    public virtual void VisitState(IStateVisitor visitor) => ArgumentNullException.ThrowIfNull(visitor);

    /// <inheritdoc/>
    public virtual ModuleDefinition Definition => throw ModuleMembers.NotRebuildable(this);

    /// <summary>A module of the same definition (type, dimensions, options) with fresh variables drawn from <c>new Rngs(0)</c>.</summary>
    public IModule NewLike() => ModuleMembers.NewLike(this);

    /// <summary>
    /// A table of every variable reachable from this module, one line each, in state order: path, kind, shape, dtype,
    /// and for a tied weight the path it shares; then the parameter count.
    /// </summary>
    public string Summary() => ModuleSummary.Write(this);

    /// <summary>The type name and the <see cref="Summary"/> table.</summary>
    public override string ToString() => Summary();
}
