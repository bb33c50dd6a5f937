using System;
using System.Collections.Generic;
using System.Linq;

namespace Nnx;

/// <summary>Carries <c>Module.CopySettingsTo</c> over a whole module tree, pairing modules by their path.</summary>
internal static class ModuleSettings
{
    /// <summary>Copies the settings of <paramref name="source"/> and of each of its submodules to the module at the same
    /// path in <paramref name="copy"/>, which has the same structure.</summary>
    public static void Copy(Module source, Module copy)
    {
        CopyBetween(source, copy);
        Dictionary<string, TorchSharp.torch.nn.Module> copies = copy.named_modules().ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
        foreach (var (path, module) in source.named_modules())
            if (copies.TryGetValue(path, out var target)) CopyBetween(module, target);
    }

    // Only between Nnx modules of one type: an override may cast the copy to its own type.
    private static void CopyBetween(TorchSharp.torch.nn.Module source, TorchSharp.torch.nn.Module copy)
    {
        if (source is Module nnx && copy is Module nnxCopy && copy.GetType() == source.GetType())
            nnx.PassSettingsTo(nnxCopy);
    }
}
