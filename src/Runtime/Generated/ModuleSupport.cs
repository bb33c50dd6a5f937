using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx.Generated;

/// <summary>Helpers that code emitted by the Nnx source generator calls; not meant for hand-written code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ModuleSupport
{
    // NNX's nnx.BatchStat(jnp.zeros(...)) draws no key, so only initializers that ignore the key are allowed.
    private static readonly string[] DeterministicInits = ["zeros", "ones", "constant"];

    [ThreadStatic] private static bool t_skipInitialValues;

    /// <summary>
    /// While true on this thread, new variables are allocated but not initialised (keys are still drawn, so the
    /// structure is the same). <c>Merge</c> and <c>Clone</c> set it around <c>NewLike()</c>, which builds a module
    /// whose every variable they then overwrite: drawing a GPT-2 table's JAX-exact normals there would be wasted.
    /// </summary>
    internal static bool SkipInitialValues
    {
        get => t_skipInitialValues;
        set => t_skipInitialValues = value;
    }

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
    /// <param name="path">"Module.field", for error messages.</param>
    /// <param name="init">The <c>Init</c> text of the attribute.</param>
    /// <param name="initOverride">An initializer the caller passed to the constructor, used instead of <paramref name="init"/>.</param>
    /// <param name="key">The key drawn for this parameter (drawn even when the initializer ignores it, as NNX does).</param>
    /// <param name="shape">The parameter's shape.</param>
    /// <param name="dtype">The parameter's element type.</param>
    public static Parameter NewParameter(string path, string init, Initializer? initOverride, PrngKey key, long[] shape, ScalarType dtype)
    {
        Initializer initializer = initOverride ?? Parse(path, init);
        using (torch.no_grad())
        {
            Tensor value = SkipInitialValues ? torch.empty(shape, dtype) : initializer.Create(key, shape, dtype);
            var parameter = new Parameter(value, requires_grad: true);
            parameter.DetachFromDisposeScope();
            return parameter;
        }
    }

    /// <summary>
    /// Creates the initial value of a <c>[BatchStat]</c> buffer, detached from the caller's dispose scope. No key is
    /// drawn (NNX's <c>nnx.BatchStat(jnp.zeros(...))</c> takes none), so the initializer must be deterministic.
    /// </summary>
    /// <exception cref="ArgumentException">The initializer is random or unknown; the message names it and the allowed forms.</exception>
    public static Tensor NewBatchStat(string path, string init, long[] shape, ScalarType dtype)
    {
        Initializer initializer = Parse(path, init);
        string name = initializer.Spec.Split('(')[0];
        if (!DeterministicInits.Contains(name))
            throw new ArgumentException(
                $"{path}: a [BatchStat] draws no RNG key, so its Init must be zeros, ones or constant(c); got \"{init}\". " +
                "Use [Param] for randomly initialised state.", nameof(init));
        Tensor value = SkipInitialValues ? torch.empty(shape, dtype) : initializer.Create(default, shape, dtype);
        value.DetachFromDisposeScope();
        return value;
    }

    /// <summary>Builds a list of <paramref name="count"/> submodules in order (so their keys are drawn in order).</summary>
    public static ModuleList<T> NewModuleList<T>(long count, Func<T> create) where T : torch.nn.Module
    {
        ArgumentNullException.ThrowIfNull(create);
        var items = new T[count];
        for (long i = 0; i < count; i++) items[i] = create();
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

    /// <summary>Moves a submodule as <c>to(dtype/device)</c> asked its parent (the protected <c>_to</c> is out of reach).</summary>
    public static void MoveTo(torch.nn.Module module, ScalarType? dtype, Device? device, bool nonBlocking)
    {
        ArgumentNullException.ThrowIfNull(module);
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

    private static Initializer Parse(string path, string init)
    {
        try { return Initializer.Parse(init); }
        catch (FormatException e) { throw new ArgumentException($"{path}: {e.Message}", nameof(init), e); }
    }
}
