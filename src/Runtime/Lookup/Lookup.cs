using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// Embedding lookup: the rows of a <c>(vocab, ...)</c> table for integer token ids of any rank. This is what a
/// generated embedding module's <c>Forward</c> calls; TorchSharp 0.107.0 has no <c>F.embedding</c>.
/// </summary>
public static class Lookup
{
    /// <summary>
    /// <c>table[ids]</c>: a tensor of shape <c>ids.shape + table.shape[1..]</c>, computed as <c>index_select</c> on
    /// the flattened ids (views, no copies of the ids). Differentiable: the table's gradient accumulates one
    /// contribution per occurrence of an id. Ids are range-checked first with a vectorised scan (CPU) or a min/max
    /// reduction (accelerators).
    /// </summary>
    /// <param name="table">The embedding table, <c>(vocab, dModel)</c> or any rank of at least 1.</param>
    /// <param name="ids">Int32 or Int64 token ids, any rank including 0, on the table's device.</param>
    /// <param name="outOfRange">What an id outside <c>[0, vocab)</c> does; an error by default.</param>
    /// <param name="sparseGradient">
    /// Hand the table's gradient to <see cref="Optimizer"/> as rows (the ids and the gradient of the returned rows, see
    /// <see cref="RowGradients"/>) instead of a dense <c>(vocab, ...)</c> gradient in <c>table.grad</c>, as PyTorch's
    /// <c>Embedding(sparse=True)</c>. Only while gradients are recorded and the table requires them; otherwise this
    /// argument changes nothing. The result is then a view of a leaf, which autograd lets no in-place operation change.
    /// </param>
    /// <exception cref="ArgumentException">The ids are not Int32/Int64, or an id is out of range under
    /// <see cref="OutOfRange.Throw"/>, or the table is a scalar.</exception>
    public static Tensor Rows(Tensor table, Tensor ids, OutOfRange outOfRange = OutOfRange.Throw, bool sparseGradient = false)
    {
        long vocab = CheckArguments(table, ids, outOfRange);
        outOfRange = Policy(vocab, outOfRange);
        long bad = TokenIds.FirstOutOfRange(ids, vocab);
        if (bad >= 0 && outOfRange == OutOfRange.Throw) throw TokenIds.OutOfRangeError(ids, bad, vocab);
        if (sparseGradient && table.requires_grad && torch.is_grad_enabled())
            return SparseRows.Select(table, ids, vocab, bad >= 0 ? outOfRange : OutOfRange.Throw);
        if (bad < 0) return ids.dim() == 1 ? table.index_select(0, ids) : SelectReshaped(table, ids);
        return Remapped(table, ids, vocab, outOfRange);
    }

    /// <summary>
    /// <see cref="Rows(Tensor, Tensor, OutOfRange, bool)"/> written into <paramref name="output"/>, which the caller
    /// allocates once and reuses. Use it for inference over many tokens: a freshly allocated output of hundreds of
    /// megabytes costs far more in page faults than the copy itself (see docs/benchmarks.md), while a reused buffer
    /// runs near memory speed. On CPU the rows are copied straight from the table's memory.
    /// </summary>
    /// <remarks>
    /// Not differentiable: <paramref name="output"/> carries no history back to the table, so use
    /// <see cref="Rows(Tensor, Tensor, OutOfRange, bool)"/> for training. Off the CPU (or for non-contiguous tensors) it falls
    /// back to an allocating lookup followed by <c>copy_</c>.
    /// </remarks>
    /// <param name="table">The embedding table, <c>(vocab, dModel)</c> or any rank of at least 1.</param>
    /// <param name="ids">Int32 or Int64 token ids, any rank including 0.</param>
    /// <param name="output">Shape <c>ids.shape + table.shape[1..]</c>, the table's dtype and device, not requiring grad.</param>
    /// <param name="outOfRange">What an id outside <c>[0, vocab)</c> does; an error by default (then nothing is written).</param>
    /// <exception cref="ArgumentException">Bad ids (as for <see cref="Rows(Tensor, Tensor, OutOfRange, bool)"/>), or an
    /// output of the wrong shape, dtype or device, or one that requires grad.</exception>
    public static void RowsInto(Tensor table, Tensor ids, Tensor output, OutOfRange outOfRange = OutOfRange.Throw)
    {
        long vocab = CheckArguments(table, ids, outOfRange);
        outOfRange = Policy(vocab, outOfRange);
        CheckOutput(table, ids, output);
        long bad = TokenIds.FirstOutOfRange(ids, vocab);
        if (bad >= 0 && outOfRange == OutOfRange.Throw) throw TokenIds.OutOfRangeError(ids, bad, vocab);

        if (RowCopy.CanCopy(table, ids, output))
        {
            RowCopy.Gather(table, ids, output, vocab, bad >= 0 ? outOfRange : OutOfRange.Throw);
            return;
        }
        using (torch.no_grad())
        using (Tensor rows = bad >= 0 ? Remapped(table, ids, vocab, outOfRange) : SelectReshaped(table, ids))
            output.copy_(rows);
    }

    private static long CheckArguments(Tensor table, Tensor ids, OutOfRange outOfRange)
    {
        ArgumentNullException.ThrowIfNull(table);
        TokenIds.CheckDtype(ids);
        if ((uint)outOfRange > (uint)OutOfRange.Fill)
            throw new ArgumentOutOfRangeException(nameof(outOfRange), outOfRange, "Expected OutOfRange.Throw, JaxClamp or Fill.");
        if (table.dim() == 0)
            throw new ArgumentException("The embedding table is a scalar; expected at least one dimension, (vocab, dModel).", nameof(table));
        long vocab = table.size(0);
        if (vocab == 0 && outOfRange != OutOfRange.Throw && ids.numel() > 0)
            throw new ArgumentException(
                $"OutOfRange.{outOfRange} needs a table with at least one row to read; this one has 0 rows (jnp.take and nnx.Embed refuse a non-empty lookup from an empty table too).",
                nameof(table));
        return vocab;
    }

    // nnx.Embed returns a one-row table's row for every id, whatever its value (its num_embeddings == 1 branch
    // broadcasts the table instead of calling jnp.take), which is what clamping gives.
    private static OutOfRange Policy(long vocab, OutOfRange outOfRange) =>
        vocab == 1 && outOfRange == OutOfRange.Fill ? OutOfRange.JaxClamp : outOfRange;

    private static void CheckOutput(Tensor table, Tensor ids, Tensor output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (output.dtype != table.dtype)
            throw new ArgumentException($"The output is {output.dtype} but the table is {table.dtype}; allocate the output with the table's dtype.", nameof(output));
        if (output.device_type != table.device_type || output.device_index != table.device_index)
            throw new ArgumentException($"The output is on {output.device} but the table is on {table.device}; allocate it on the table's device.", nameof(output));
        if (output.requires_grad)
            throw new ArgumentException("The output requires grad; RowsInto is not differentiable. Use Lookup.Rows for training, or pass a tensor without requires_grad.", nameof(output));
        if (!HasShape(output, ids, table))
            throw new ArgumentException(
                $"The output has shape [{string.Join(", ", output.shape)}]; expected ids.shape + table.shape[1..] = [{string.Join(", ", OutputShape(ids, table))}].",
                nameof(output));
    }

    private static bool HasShape(Tensor output, Tensor ids, Tensor table)
    {
        int idRank = (int)ids.dim();
        if (output.dim() != idRank + table.dim() - 1) return false;
        for (int i = 0; i < idRank; i++)
            if (output.size(i) != ids.size(i)) return false;
        for (int i = 1; i < table.dim(); i++)
            if (output.size(idRank + i - 1) != table.size(i)) return false;
        return true;
    }

    internal static long[] OutputShape(Tensor ids, Tensor table)
    {
        long[] idShape = ids.shape;
        long[] tableShape = table.shape;
        var shape = new long[idShape.Length + tableShape.Length - 1];
        idShape.CopyTo(shape, 0);
        Array.Copy(tableShape, 1, shape, idShape.Length, tableShape.Length - 1);
        return shape;
    }

    // index_select wants a vector of ids; reshape(-1) and view are views for contiguous ids, so nothing is copied.
    private static Tensor SelectReshaped(Tensor table, Tensor ids)
    {
        if (ids.dim() == 1) return table.index_select(0, ids);
        using Tensor flat = ids.reshape(-1);
        using Tensor rows = table.index_select(0, flat);
        return rows.view(OutputShape(ids, table));
    }

    // The JAX policies, only when some id is out of range; the common case never pays for these temporaries.
    private static Tensor Remapped(Tensor table, Tensor ids, long vocab, OutOfRange outOfRange)
    {
        using DisposeScope scope = torch.NewDisposeScope();
        var (read, outside) = Remap(ids, vocab, outOfRange);
        Tensor rows = SelectReshaped(table, read);
        return (outside is null ? rows : FillOutside(rows, outside)).MoveToOuterDisposeScope();
    }

    /// <summary>The table row each id reads under <paramref name="outOfRange"/> (JaxClamp or Fill), shaped as the ids; a filled id reads row 0.</summary>
    internal static Tensor RowsRead(Tensor ids, long vocab, OutOfRange outOfRange) => Remap(ids, vocab, Policy(vocab, outOfRange)).Read;

    /// <summary>
    /// The ids a JAX policy reads, shaped as <paramref name="ids"/>: negatives wrapped once, then clamped
    /// (<see cref="OutOfRange.JaxClamp"/>) or sent to row 0 and flagged in <c>Outside</c> (<see cref="OutOfRange.Fill"/>).
    /// </summary>
    internal static (Tensor Read, Tensor? Outside) Remap(Tensor ids, long vocab, OutOfRange outOfRange)
    {
        // Int64 so that id + vocab cannot overflow Int32 ids.
        Tensor ids64 = ids.to(ScalarType.Int64);
        Tensor wrapped = torch.where(ids64.lt(0), ids64.add(vocab), ids64);
        if (outOfRange == OutOfRange.JaxClamp) return (wrapped.clamp(0, vocab - 1), null);
        Tensor outside = wrapped.lt(0).logical_or(wrapped.ge(vocab));
        return (wrapped.masked_fill(outside, 0), outside);
    }

    /// <summary>jnp.take's fill value in the rows of flagged ids (<paramref name="outside"/> has the ids' shape).</summary>
    internal static Tensor FillOutside(Tensor rows, Tensor outside)
    {
        long[] maskShape = new long[rows.dim()];
        Array.Fill(maskShape, 1L);
        for (int i = 0; i < outside.dim(); i++) maskShape[i] = outside.size(i);
        using Scalar fill = FillValue(rows.dtype);
        return rows.masked_fill(outside.view(maskShape), fill);
    }

    /// <summary>jnp.take's default fill value for a dtype: NaN for inexact types, the minimum of signed integers,
    /// the maximum of unsigned ones, true for bool.</summary>
    internal static Scalar FillValue(ScalarType dtype) => dtype switch
    {
        ScalarType.Bool => true.ToScalar(),
        ScalarType.Byte => ((long)byte.MaxValue).ToScalar(),
        ScalarType.Int8 => ((long)sbyte.MinValue).ToScalar(),
        ScalarType.Int16 => ((long)short.MinValue).ToScalar(),
        ScalarType.Int32 => ((long)int.MinValue).ToScalar(),
        ScalarType.Int64 => long.MinValue.ToScalar(),
        _ => double.NaN.ToScalar(),
    };
}
