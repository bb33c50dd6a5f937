using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx.Dsl;

/// <summary>Helpers that code emitted by the Nnx source generator calls; not meant for hand-written code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ModuleSupport
{
    /// <summary>Checks a dimension passed to a generated constructor.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is below 1; the message names the module and dimension.</exception>
    public static long Dimension(long size, string name, string module)
    {
        if (size < 1)
            throw new ArgumentOutOfRangeException(name, size, $"{module}: dimension '{name}' must be at least 1, got {size}.");
        return size;
    }

    /// <summary>
    /// Creates a trainable leaf parameter from one key of <paramref name="stream"/>: built under <c>no_grad</c> and
    /// detached from the caller's dispose scope, so a module constructed inside <c>NewDisposeScope()</c> keeps valid
    /// weights. The key is drawn even when the initializer ignores it, as NNX does.
    /// </summary>
    /// <param name="path">"Module.field", for error messages.</param>
    /// <param name="init">The declared initializer.</param>
    /// <param name="initOverride">An initializer the caller passed to the constructor, used instead of <paramref name="init"/>.</param>
    /// <param name="rngs">The constructor's streams.</param>
    /// <param name="stream">The stream the key is drawn from.</param>
    /// <param name="shape">The parameter's shape.</param>
    /// <param name="dtype">The parameter's element type.</param>
    public static Parameter NewParameter(string path, Initializer init, Initializer? initOverride, Rngs rngs, string stream, long[] shape, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(init);
        PrngKey key = rngs.Next(stream);
        using (torch.no_grad())
        {
            Tensor value = rngs.SkipsInitialValues ? torch.empty(shape, dtype) : Create(path, initOverride ?? init, key, shape, dtype);
            var parameter = new Parameter(value, requires_grad: true);
            parameter.DetachFromDisposeScope();
            return parameter;
        }
    }

    /// <summary>
    /// Creates the initial value of a <c>[BatchStat]</c> buffer, detached from the caller's dispose scope. No key is
    /// drawn (NNX's <c>nnx.BatchStat(jnp.zeros(...))</c> takes none); the analyzers only accept constant initializers.
    /// </summary>
    public static Tensor NewBatchStat(string path, Initializer init, Rngs rngs, long[] shape, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(init);
        Tensor value = rngs.SkipsInitialValues ? torch.empty(shape, dtype) : Create(path, init, default, shape, dtype);
        value.DetachFromDisposeScope();
        return value;
    }

    /// <summary>Builds a list of <paramref name="count"/> submodules in order (so their keys are drawn in order); <paramref name="create"/> gets the index.</summary>
    public static ModuleList<T> NewModuleList<T>(long count, Func<long, T> create) where T : torch.nn.Module
    {
        ArgumentNullException.ThrowIfNull(create);
        var items = new T[count];
        for (long i = 0; i < count; i++) items[i] = create(i);
        return new ModuleList<T>(items);
    }

    /// <summary>
    /// The registered parameter at <paramref name="path"/> (e.g. <c>"embed.embedding"</c>), for a <c>[Tied]</c> field.
    /// </summary>
    /// <exception cref="InvalidOperationException">No parameter has that path; the message lists those that do.</exception>
    public static Parameter TiedParameter(torch.nn.Module owner, string path, string field)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var known = new List<string>();
        foreach (var (name, parameter) in owner.named_parameters())
        {
            if (name == path) return parameter;
            known.Add(name);
        }
        throw new InvalidOperationException(
            $"{field}: [Tied(\"{path}\")] names no parameter of {owner.GetName()}. " +
            $"Parameters are: {(known.Count == 0 ? "(none)" : string.Join(", ", known))}. Use one of these paths.");
    }

    /// <summary>
    /// Makes the parameter <paramref name="variable"/> of the submodule at <paramref name="childPath"/> the same object
    /// as the parameter at <paramref name="sourcePath"/> (<c>[Sub(Tied = "kernel=bar.kernel")]</c>, Flax's
    /// <c>baz.kernel = bar.kernel</c>); the child's own parameter is disposed.
    /// </summary>
    /// <exception cref="InvalidOperationException">A path names nothing, or the two parameters differ in shape or dtype.</exception>
    public static void Tie(torch.nn.Module owner, string childPath, string variable, string sourcePath, string context)
    {
        ArgumentNullException.ThrowIfNull(owner);
        Parameter source = TiedParameter(owner, sourcePath, context);
        IGeneratedModule child = Child(owner, childPath, context);
        Parameter? own = ((torch.nn.Module)child).named_parameters(recurse: false).FirstOrDefault(p => p.name == variable).parameter;
        if (ReferenceEquals(own, source)) return;
        if (own is not null && (own.dtype != source.dtype || !own.shape.SequenceEqual(source.shape)))
            throw new InvalidOperationException(
                $"{context}: cannot tie {childPath}.{variable} ({StateFormat.Describe(own.dtype, own.shape)}) to {sourcePath} " +
                $"({StateFormat.Describe(source.dtype, source.shape)}); tied parameters must have the same shape and dtype.");
        child.SetParameter(variable, source);
        own?.Dispose();
    }

    /// <summary>Clears a tied parameter of a submodule, so <c>to()</c> moves the shared tensor once, through its owner.</summary>
    public static void Untie(torch.nn.Module owner, string childPath, string variable, string context) =>
        Child(owner, childPath, context).SetParameter(variable, null);

    /// <summary>Moves a submodule as <c>to(dtype/device)</c> asked its parent (the protected <c>_to</c> is out of reach).</summary>
    public static void MoveTo(torch.nn.Module? module, ScalarType? dtype, Device? device, bool nonBlocking)
    {
        if (module is null) return;
        if (device is null && dtype is not null) module.to(dtype.Value, nonBlocking);
        else if (device is not null && dtype is null) module.to(device, nonBlocking);
        else if (device is not null && dtype is not null) module.to(device, dtype.Value, nonBlocking);
    }

    /// <summary>The distinct RNG stream names of a module (its own, then its submodules'), in order of first use.</summary>
    public static IReadOnlyList<string> Streams(params IEnumerable<string>[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        return parts.SelectMany(p => p).Distinct(StringComparer.Ordinal).ToArray();
    }

    private static Tensor Create(string path, Initializer init, PrngKey key, long[] shape, ScalarType dtype)
    {
        try
        {
            return init.Create(key, shape, dtype);
        }
        catch (NotSupportedException e)
        {
            throw new NotSupportedException($"{path}: {e.Message}", e);
        }
    }

    private static IGeneratedModule Child(torch.nn.Module owner, string childPath, string context)
    {
        foreach (var (name, module) in owner.named_modules())
            if (name == childPath && module is IGeneratedModule generated) return generated;
        throw new InvalidOperationException($"{context}: no generated submodule at '{childPath}' to tie a parameter of.");
    }
}
