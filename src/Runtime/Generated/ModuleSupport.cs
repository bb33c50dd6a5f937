using System;
using System.ComponentModel;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx.Generated;

/// <summary>Helpers that code emitted by the Nnx source generator calls; not meant for hand-written code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ModuleSupport
{
    /// <summary>Checks a shape dimension passed to a generated constructor.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is below 1; the message names the module and dimension.</exception>
    public static long Dimension(long size, string name, string module)
    {
        if (size < 1)
            throw new ArgumentOutOfRangeException(name, size, $"{module}: dimension '{name}' must be at least 1, got {size}.");
        return size;
    }

    /// <summary>
    /// Creates a trainable leaf parameter from an initializer: built under <c>no_grad</c> and detached from the caller's
    /// dispose scope, so a module constructed inside <c>NewDisposeScope()</c> keeps valid weights.
    /// </summary>
    public static Parameter NewParameter(string path, string init, PrngKey key, long[] shape, ScalarType dtype)
    {
        Initializer initializer;
        try { initializer = Initializer.Parse(init); }
        catch (FormatException e) { throw new ArgumentException($"{path}: {e.Message}", nameof(init), e); }
        using (torch.no_grad())
        {
            var parameter = new Parameter(initializer.Create(key, shape, dtype), requires_grad: true);
            parameter.DetachFromDisposeScope();
            return parameter;
        }
    }
}
