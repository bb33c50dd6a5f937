using System;
using TorchSharp;

namespace Nnx;

/// <summary>
/// Base of Nnx modules whose <c>Forward</c> takes one argument: a <c>torch.nn.Module&lt;T, TResult&gt;</c>, so the module
/// goes into <c>torch.nn.Sequential</c> (when both are tensors) and <c>call</c> runs forward hooks. Otherwise as <see cref="Module"/>.
/// </summary>
public abstract class Module<T, TResult> : torch.nn.Module<T, TResult>, IModule
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

    /// <summary>The variables reachable from this module, one line each, then the parameter count (see <see cref="Module.Summary"/>).</summary>
    public string Summary() => ModuleSummary.Write(this);

    /// <summary>The type name and the <see cref="Summary"/> table.</summary>
    public override string ToString() => Summary();
}

/// <summary>
/// Base of Nnx modules whose <c>Forward</c> takes two arguments: a <c>torch.nn.Module&lt;T1, T2, TResult&gt;</c>, so the module
/// goes into <c>torch.nn.Sequential</c> and <c>call</c> runs forward hooks. Otherwise as <see cref="Module"/>.
/// </summary>
public abstract class Module<T1, T2, TResult> : torch.nn.Module<T1, T2, TResult>, IModule
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

    /// <summary>The variables reachable from this module, one line each, then the parameter count (see <see cref="Module.Summary"/>).</summary>
    public string Summary() => ModuleSummary.Write(this);

    /// <summary>The type name and the <see cref="Summary"/> table.</summary>
    public override string ToString() => Summary();
}

/// <summary>
/// Base of Nnx modules whose <c>Forward</c> takes three arguments: a <c>torch.nn.Module&lt;T1, T2, T3, TResult&gt;</c>, so the module
/// goes into <c>torch.nn.Sequential</c> and <c>call</c> runs forward hooks. Otherwise as <see cref="Module"/>.
/// </summary>
public abstract class Module<T1, T2, T3, TResult> : torch.nn.Module<T1, T2, T3, TResult>, IModule
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

    /// <summary>The variables reachable from this module, one line each, then the parameter count (see <see cref="Module.Summary"/>).</summary>
    public string Summary() => ModuleSummary.Write(this);

    /// <summary>The type name and the <see cref="Summary"/> table.</summary>
    public override string ToString() => Summary();
}
