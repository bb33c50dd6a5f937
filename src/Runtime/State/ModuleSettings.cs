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
        source.PassSettingsTo(copy);
        Dictionary<string, TorchSharp.torch.nn.Module> copies = copy.named_modules().ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
        foreach (var (path, module) in source.named_modules())
        {
            if (module is Module nnx && copies.TryGetValue(path, out var target) && target is Module nnxTarget && target.GetType() == module.GetType())
                nnx.PassSettingsTo(nnxTarget);
        }
    }
}
