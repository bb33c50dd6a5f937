using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// One step's row gradients of one table, summed per distinct row: the gradient a dense lookup would have scattered
/// into <c>(vocab, rowElements)</c>, kept for the touched rows only. A row touched once is read in place from its
/// lookup's gradient; a row touched several times is summed into a buffer, starting from zero and adding in the
/// order the ids occurred, as <c>index_add_</c> sums them, so every row gradient equals the dense one bit for bit.
/// </summary>
/// <remarks>Buffers are kept between steps (the row map is as long as the vocabulary). CPU, float or double only.</remarks>
internal sealed unsafe class RowSums : IDisposable
{
    private int[] _slotOfRow = [];
    private long[] _rowOfSlot = [];
    private int[] _countOfSlot = [];
    private nint[] _gradientOfSlot = [];
    private long[] _sumOfSlot = [];
    private void* _sums;
    private long _sumsBytes;

    /// <summary>The number of distinct rows touched.</summary>
    public int Count { get; private set; }

    /// <summary>Elements per row.</summary>
    public long RowElements { get; private set; }

    /// <summary>The slot of a row, or -1 if no lookup touched it.</summary>
    public int SlotOf(long row) => _slotOfRow[row];

    /// <summary>The row a slot holds; slots are numbered in order of first occurrence.</summary>
    public long RowOf(int slot) => _rowOfSlot[slot];

    /// <summary>The summed gradient of a slot's row.</summary>
    public T* Gradient<T>(int slot) where T : unmanaged => (T*)_gradientOfSlot[slot];

    /// <summary>
    /// Sums the lookups' row gradients. The gradients must stay alive and unchanged until the sums are used: rows
    /// touched once point into them.
    /// </summary>
    /// <param name="lookups">Each lookup's flat ids (contiguous Int32/Int64) and gradient (contiguous, ids × rowElements).</param>
    /// <param name="vocab">The table's row count.</param>
    /// <param name="rowElements">Elements per table row.</param>
    /// <exception cref="InvalidOperationException">An id is outside the table: the ids were changed after the lookup.</exception>
    public void Sum<T>(IReadOnlyList<(Tensor Ids, Tensor Gradient)> lookups, long vocab, long rowElements)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Reset();
        RowElements = rowElements;
        if (_slotOfRow.Length != vocab)
        {
            _slotOfRow = new int[vocab];
            Array.Fill(_slotOfRow, -1);
        }
        long total = 0;
        foreach (var (ids, _) in lookups) total += ids.numel();
        if (_rowOfSlot.Length < total)
        {
            _rowOfSlot = new long[total];
            _countOfSlot = new int[total];
            _gradientOfSlot = new nint[total];
            _sumOfSlot = new long[total];
        }

        foreach (var (ids, gradient) in lookups)
        {
            T* rows = (T*)TensorMemory.Pointer(gradient);
            ForEachId(ids, vocab, (i, row) =>
            {
                int slot = _slotOfRow[row];
                if (slot < 0)
                {
                    slot = Count++;
                    _slotOfRow[row] = slot;
                    _rowOfSlot[slot] = row;
                    _countOfSlot[slot] = 0;
                    _gradientOfSlot[slot] = (nint)(rows + i * rowElements);
                }
                _countOfSlot[slot]++;
            });
        }
        SumRepeatedRows<T>(lookups);
    }

    /// <summary>Marks every row untouched again, in time proportional to the rows touched.</summary>
    public void Reset()
    {
        for (int slot = 0; slot < Count; slot++) _slotOfRow[_rowOfSlot[slot]] = -1;
        Count = 0;
    }

    public void Dispose()
    {
        NativeMemory.AlignedFree(_sums);
        _sums = null;
        _sumsBytes = 0;
    }

    private void SumRepeatedRows<T>(IReadOnlyList<(Tensor Ids, Tensor Gradient)> lookups) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long repeated = 0;
        for (int slot = 0; slot < Count; slot++)
            _sumOfSlot[slot] = _countOfSlot[slot] > 1 ? repeated++ : -1;
        if (repeated == 0) return;

        long d = RowElements;
        long bytes = repeated * d * sizeof(T);
        if (_sumsBytes < bytes)
        {
            NativeMemory.AlignedFree(_sums);
            _sums = NativeMemory.AlignedAlloc((nuint)bytes, 64);
            _sumsBytes = bytes;
        }
        T* sums = (T*)_sums;
        NativeMemory.Clear(sums, (nuint)bytes);
        foreach (var (ids, gradient) in lookups)
        {
            T* source = (T*)TensorMemory.Pointer(gradient);
            ForEachId(ids, long.MaxValue, (i, row) =>
            {
                long sum = _sumOfSlot[_slotOfRow[row]];
                if (sum >= 0) Add(sums + sum * d, source + i * d, d);
            });
        }
        for (int slot = 0; slot < Count; slot++)
            if (_sumOfSlot[slot] >= 0) _gradientOfSlot[slot] = (nint)(sums + _sumOfSlot[slot] * d);
    }

    private static void Add<T>(T* target, T* source, long n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                (Vector256.Load(target + i) + Vector256.Load(source + i)).Store(target + i);
        for (; i < n; i++) target[i] += source[i];
    }

    private static void ForEachId(Tensor ids, long vocab, Action<long, long> visit)
    {
        long n = ids.numel();
        void* data = TensorMemory.Pointer(ids);
        bool wide = ids.dtype == ScalarType.Int64;
        for (long i = 0; i < n; i++)
        {
            long row = wide ? ((long*)data)[i] : ((int*)data)[i];
            if ((ulong)row >= (ulong)vocab)
                throw new InvalidOperationException(
                    $"A sparse lookup recorded id {row} at position {i}, outside the table's {vocab} rows: its ids tensor was changed after the lookup. Leave ids unchanged until the optimizer step.");
            visit(i, row);
        }
    }
}
