using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// One variable's part of an optimizer step: its gradient, checked and brought into the form its update needs before
/// anything is written. Three forms: a dense gradient for the fused CPU kernel; summed row gradients for the fused
/// row passes; or a dense gradient for <see cref="TensorStep"/>. Disposes what it made.
/// </summary>
internal sealed unsafe class SlotStep : IDisposable
{
    private readonly List<Tensor> _owned = [];
    private readonly bool _fused;
    private Tensor? _dense;

    private SlotStep(ParamSlot slot)
    {
        Slot = slot;
        _fused = IsFusable(slot);
    }

    public ParamSlot Slot { get; }

    /// <summary>
    /// The step of <paramref name="slot"/>, or null when it has no gradient. Takes ownership of <paramref name="lookups"/>
    /// and, when <paramref name="ownsDense"/>, of <paramref name="dense"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The gradient's shape, dtype or device differs from the parameter's.</exception>
    public static SlotStep? Create(ParamSlot slot, Tensor? dense, bool ownsDense, List<RowLookup> lookups)
    {
        var step = new SlotStep(slot);
        try
        {
            foreach (RowLookup lookup in lookups) step._owned.Add(lookup.Ids);
            foreach (RowLookup lookup in lookups) step._owned.Add(lookup.Rows);
            if (dense is not null && ownsDense) step._owned.Add(dense);
            if (dense is not null) CheckGradient(slot, dense);
            var rows = step.RowGradients(lookups);
            if (dense is null && rows.Count == 0)
            {
                step.Dispose();
                return null;
            }
            step.Prepare(dense, rows);
            return step;
        }
        catch
        {
            step.Dispose();
            throw;
        }
    }

    /// <summary>The sum of the squared gradient elements, for global-norm clipping.</summary>
    public double SumOfSquares()
    {
        if (!_fused) return Norm2(_dense!);
        return Slot.Param.dtype == ScalarType.Float32 ? FusedSumOfSquares<float>() : FusedSumOfSquares<double>();
    }

    /// <summary>Updates the parameter and its moments in place.</summary>
    /// <param name="rule">The rule.</param>
    /// <param name="t">The update number, 1 for the first.</param>
    /// <param name="learningRate">The rate for this update.</param>
    /// <param name="rowUpdate">How summed row gradients are applied.</param>
    /// <param name="clip">The global norm and the maximum, when clipping is triggered.</param>
    public void Run(UpdateRule rule, long t, double learningRate, RowUpdate rowUpdate, (double Norm, double Max)? clip)
    {
        if (!_fused)
            TensorStep.Run(rule, t, learningRate, Slot.Decay, Slot.Param, _dense!, Slot.First, Slot.Second, clip);
        else if (Slot.Param.dtype == ScalarType.Float32)
            RunFused<float>(UpdateKernel<float>.For(rule, t, learningRate, Slot.Decay), rowUpdate, clip);
        else
            RunFused<double>(UpdateKernel<double>.For(rule, t, learningRate, Slot.Decay), rowUpdate, clip);
    }

    public void Dispose()
    {
        foreach (Tensor tensor in _owned) tensor.Dispose();
        _owned.Clear();
    }

    // The fused kernel needs plain CPU memory of a type it computes in; anything else goes through tensor operations.
    private static bool IsFusable(ParamSlot slot) =>
        slot.Param.device_type == DeviceType.CPU
        && slot.Param.dtype is ScalarType.Float32 or ScalarType.Float64
        && slot.Param.is_contiguous()
        && slot.Moments.All(m => m.is_contiguous());

    private static void CheckGradient(ParamSlot slot, Tensor gradient)
    {
        Tensor p = slot.Param;
        if (gradient.IsInvalid)
            throw new ArgumentException($"The gradient for '{slot.Path}' is a disposed tensor.");
        if (!gradient.shape.SequenceEqual(p.shape) || gradient.dtype != p.dtype || gradient.device_type != p.device_type || gradient.device_index != p.device_index)
            throw new ArgumentException(
                $"The gradient for '{slot.Path}' is {StateFormat.Describe(gradient.dtype, gradient.shape)} on {gradient.device}; " +
                $"expected the parameter's {StateFormat.Describe(p.dtype, p.shape)} on {p.device}.");
    }

    // The lookups that received a gradient, as (contiguous ids, contiguous gradient) pairs.
    private List<(Tensor Ids, Tensor Gradient)> RowGradients(List<RowLookup> lookups)
    {
        var rows = new List<(Tensor, Tensor)>();
        foreach (RowLookup lookup in lookups)
        {
            Tensor? gradient = lookup.Gradient();
            if (gradient is null) continue;
            _owned.Add(gradient);
            if (lookup.Ids.device_type != Slot.Param.device_type || gradient.dtype != Slot.Param.dtype)
                throw new ArgumentException(
                    $"A sparse lookup of '{Slot.Path}' has rows of {gradient.dtype} on {lookup.Ids.device}; the table is {Slot.Param.dtype} on {Slot.Param.device}. Was the table converted after the lookup?");
            rows.Add((Own(lookup.Ids.contiguous()), Own(gradient.contiguous())));
        }
        return rows;
    }

    private void Prepare(Tensor? dense, List<(Tensor Ids, Tensor Gradient)> rows)
    {
        if (rows.Count > 0 && dense is null && _fused && Slot.Param.dim() >= 1 && Slot.Param.size(0) > 0)
        {
            Slot.Rows ??= new RowSums();
            long vocab = Slot.Param.size(0);
            long rowElements = Slot.Param.numel() / vocab;
            if (Slot.Param.dtype == ScalarType.Float32) Slot.Rows.Sum<float>(rows, vocab, rowElements);
            else Slot.Rows.Sum<double>(rows, vocab, rowElements);
            return;
        }
        // A tied table (a dense gradient from another use as well) or a table the row passes cannot run on: add the
        // rows into the dense gradient, exactly what autograd would have done.
        if (rows.Count > 0)
        {
            dense ??= Own(torch.zeros_like(Slot.Param));
            foreach (var (ids, gradient) in rows) RowLookup.AddRows(dense, ids, gradient);
        }
        _dense = _fused && !dense!.is_contiguous() ? Own(dense.contiguous()) : dense;
    }

    private double FusedSumOfSquares<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (_dense is null) return global::Nnx.SumOfSquares.OfTouchedRows<T>(Slot.Rows!);
        long rows = _dense.dim() == 0 ? 1 : _dense.size(0);
        return rows == 0 ? 0 : global::Nnx.SumOfSquares.OfRows((T*)TensorMemory.Pointer(_dense), rows, _dense.numel() / rows);
    }

    private void RunFused<T>(UpdateKernel<T> kernel, RowUpdate rowUpdate, (double Norm, double Max)? clip) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* p = (T*)TensorMemory.Pointer(Slot.Param);
        T* first = Slot.First is null ? null : (T*)TensorMemory.Pointer(Slot.First);
        T* second = Slot.Second is null ? null : (T*)TensorMemory.Pointer(Slot.Second);
        bool clipping = clip is not null;
        T norm = T.CreateTruncating(clip?.Norm ?? 1), max = T.CreateTruncating(clip?.Max ?? 1);
        if (_dense is not null)
        {
            var g = new DenseGrad<T>((T*)TensorMemory.Pointer(_dense));
            long n = Slot.Param.numel();
            if (clipping) FusedPasses.Dense(kernel, p, new ClippedGrad<T, DenseGrad<T>>(g, norm, max), first, second, n);
            else FusedPasses.Dense(kernel, p, g, first, second, n);
            return;
        }
        RowSums rows = Slot.Rows!;
        try
        {
            if (rowUpdate == RowUpdate.Lazy || kernel.ZeroGradientIsNoOp) FusedPasses.TouchedRows(kernel, p, rows, first, second, clipping, norm, max);
            else FusedPasses.EveryRow(kernel, p, rows, first, second, Slot.Param.size(0), clipping, norm, max);
        }
        finally
        {
            rows.Reset();
        }
    }

    private static double Norm2(Tensor gradient)
    {
        using Tensor wide = gradient.to(ScalarType.Float64);
        using Tensor squares = wide.square();
        using Tensor sum = squares.sum();
        return sum.item<double>();
    }

    private Tensor Own(Tensor tensor)
    {
        _owned.Add(tensor);
        return tensor;
    }
}
