namespace Nnx;

/// <summary>
/// What every Nnx module is, whatever TorchSharp base it has (<see cref="Module"/>, or <see cref="Module{T, TResult}"/>
/// for a module whose <c>Forward</c> takes one argument): an object whose variables can be walked in declaration order
/// and whose definition can rebuild it. The state API (<c>GetState</c>, <c>Split</c>, <c>Merge</c>, <c>Update</c>,
/// <c>Clone</c>, checkpoints) works on any <see cref="IModule"/>.
/// </summary>
public interface IModule
{
    /// <summary>Reports this module's own variables and direct submodules to <paramref name="visitor"/>, in declaration order.</summary>
    void VisitState(IStateVisitor visitor);

    /// <summary>
    /// The module's static definition (NNX's node in a <c>GraphDef</c>): its type and constructor arguments, dimensions
    /// and options, from which an equal module can be built.
    /// </summary>
    /// <exception cref="System.NotSupportedException">A hand-written module that does not provide one.</exception>
    ModuleDefinition Definition { get; }
}
