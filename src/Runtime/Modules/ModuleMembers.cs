using System;
using System.Linq;
using TorchSharp;

namespace Nnx;

/// <summary>The members every Nnx base class shares, written once (the bases differ only in their TorchSharp base).</summary>
internal static class ModuleMembers
{
    /// <summary>The elements of the module's <see cref="VariableKind.Param"/> variables, each stored tensor once (as in its state).</summary>
    public static long ParameterCount(torch.nn.Module module) =>
        StateTraversal.Collect(module).Values.Where(v => v.Kind == VariableKind.Param).Sum(v => v.Value.numel());

    public static NotSupportedException NotRebuildable(object module) =>
        new($"{module.GetType().Name} has no Definition: it is not a generated module and does not override Definition, " +
            "so it cannot be rebuilt by NewLike, Merge or Clone. Declare it with the Nnx attributes, or override Definition.");

    public static IModule NewLike(IModule module) => module.Definition.Build(new Rngs(0));
}
