using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// Receives a module's variables and submodules in declaration order (the order NNX's graph traversal uses).
/// Generated modules call it from <see cref="IModule.VisitState"/>; the state API (paths, filters, split, merge,
/// update, checkpoints) is built on it.
/// </summary>
public interface IStateVisitor
{
    /// <summary>A variable of the visited module itself. The same tensor object may appear under two names (tied weights).</summary>
    /// <param name="name">Its name in the module (one path segment).</param>
    /// <param name="kind">Its NNX kind.</param>
    /// <param name="value">The live tensor (a <c>Parameter</c> for <see cref="VariableKind.Param"/>).</param>
    void Variable(string name, VariableKind kind, Tensor value);

    /// <summary>A direct submodule; list elements arrive one by one with names <c>"0"</c>, <c>"1"</c>... under <paramref name="name"/>.</summary>
    /// <param name="name">Its path segment(s) relative to the visited module, e.g. <c>"encoder"</c> or <c>"blocks.0"</c>.</param>
    /// <param name="module">The submodule; visitors recurse by calling its <see cref="IModule.VisitState"/>.</param>
    void Submodule(string name, IModule module);
}
