using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// The gradient of a table's sparse lookups (<see cref="Lookup.Rows(Tensor, Tensor, OutOfRange, bool)"/> with
/// <c>sparseGradient: true</c>) as rows: for each lookup since the last optimizer step, the ids it read and, once
/// <c>backward()</c> has run, the gradient of the rows it returned. The table's own <c>grad</c> stays empty, so no
/// dense <c>(vocab, ...)</c> gradient is zeroed, scattered into and read back.
/// </summary>
/// <remarks>
/// <para><see cref="Optimizer.Step()"/> applies the rows and clears them (see <see cref="RowUpdate"/> for the two ways it
/// can). Other optimizers never see these gradients: give them <see cref="ToDense"/>, or use dense lookups.</para>
/// <para>Lookups are recorded per table object, across threads. Each keeps its rows (ids × row width) until an
/// optimizer step, <see cref="Optimizer.ZeroGrad"/> or <see cref="Clear"/> releases it, whether or not a backward
/// reached it: run evaluation under <c>torch.no_grad()</c>, where nothing is recorded.</para>
/// </remarks>
public sealed class RowGradients
{
    private static readonly ConditionalWeakTable<Tensor, RowGradients> ByTable = new();

    private readonly List<RowLookup> _lookups = [];
    private readonly Lock _lock = new();
    private readonly long[] _tableShape;
    private readonly ScalarType _dtype;
    private readonly Device _device;

    private RowGradients(Tensor table)
    {
        _tableShape = table.shape;
        _dtype = table.dtype;
        _device = table.device;
    }

    /// <summary>The row gradients recorded for <paramref name="table"/>, or null if it never had a sparse lookup.</summary>
    public static RowGradients? Of(Tensor table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return ByTable.TryGetValue(table, out RowGradients? rows) ? rows : null;
    }

    /// <summary>The number of lookups recorded since the last step or <see cref="Clear"/>.</summary>
    public int LookupCount
    {
        get
        {
            lock (_lock) return _lookups.Count;
        }
    }

    /// <summary>
    /// The dense gradient these rows add up to, as autograd would have put in the table's <c>grad</c>: zeros, then each
    /// lookup's row gradients added at its ids (<c>index_add_</c>). Lookups whose rows received no gradient add nothing.
    /// </summary>
    public Tensor ToDense()
    {
        Tensor dense = torch.zeros(_tableShape, _dtype, _device);
        lock (_lock)
            foreach (RowLookup lookup in _lookups) lookup.AddTo(dense);
        return dense;
    }

    /// <summary>Forgets every recorded lookup (as <c>zero_grad</c> forgets a dense gradient).</summary>
    public void Clear()
    {
        foreach (RowLookup lookup in TakeAll()) lookup.Dispose();
    }

    internal static RowGradients For(Tensor table) => ByTable.GetValue(table, t => new RowGradients(t));

    /// <summary>Keeps references to the flat ids and to the leaf rows whose gradient <c>backward()</c> will fill.</summary>
    internal void Record(Tensor flatIds, Tensor rows)
    {
        var lookup = new RowLookup(flatIds.alias().DetachFromDisposeScope(), rows.alias().DetachFromDisposeScope());
        lock (_lock) _lookups.Add(lookup);
    }

    /// <summary>Every recorded lookup, now owned by the caller; the record is left empty.</summary>
    internal List<RowLookup> TakeAll()
    {
        lock (_lock)
        {
            List<RowLookup> taken = [.. _lookups];
            _lookups.Clear();
            return taken;
        }
    }
}

/// <summary>One sparse lookup: its flat ids, and the leaf rows (ids.numel(), ...) whose <c>grad</c> backward fills.</summary>
internal sealed class RowLookup(Tensor ids, Tensor rows) : IDisposable
{
    public Tensor Ids { get; } = ids;

    public Tensor Rows { get; } = rows;

    /// <summary>The rows' gradient, or null if no backward reached them; the caller disposes it.</summary>
    public Tensor? Gradient() => Rows.grad;

    public void AddTo(Tensor dense)
    {
        using Tensor? gradient = Gradient();
        if (gradient is not null) AddRows(dense, Ids, gradient);
    }

    /// <summary>
    /// <c>dense[ids[i]] += rows[i]</c> in the order of i, as autograd's gradient of a lookup is built
    /// (TorchSharp's <c>index_add_</c> takes Int64 ids only).
    /// </summary>
    public static void AddRows(Tensor dense, Tensor ids, Tensor rows)
    {
        using var noGrad = torch.no_grad();
        using Scalar one = 1;
        if (ids.dtype == ScalarType.Int64)
        {
            dense.index_add_(0, ids, rows, one);
            return;
        }
        using Tensor wide = ids.to(ScalarType.Int64);
        dense.index_add_(0, wide, rows, one);
    }

    public void Dispose()
    {
        Ids.Dispose();
        Rows.Dispose();
    }
}
