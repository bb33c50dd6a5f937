using System;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>Checks token-id tensors before a lookup, so a bad id fails with a message instead of garbage or a crash.</summary>
public static class TokenIds
{
    /// <summary>
    /// Throws unless <paramref name="ids"/> is an Int32 or Int64 tensor whose every element lies in
    /// <c>[0, <paramref name="vocab"/>)</c>. The message names the first bad id, its position and the vocabulary size.
    /// </summary>
    /// <exception cref="ArgumentException">The ids are not integers, or an id is out of range.</exception>
    public static void Check(Tensor ids, long vocab)
    {
        CheckDtype(ids);
        long position = FirstOutOfRange(ids, vocab);
        if (position >= 0) throw OutOfRangeError(ids, position, vocab);
    }

    /// <summary>Throws unless <paramref name="ids"/> has an integer dtype that <c>index_select</c> accepts (Int32 or Int64).</summary>
    public static void CheckDtype(Tensor ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.dtype is not (ScalarType.Int64 or ScalarType.Int32))
            throw new ArgumentException(
                $"Token ids must be an Int64 or Int32 tensor, got {ids.dtype}. Cast them first: ids.to(ScalarType.Int64)" +
                (ids.is_floating_point() ? " (floating-point ids are the most common embedding mistake)." : "."),
                nameof(ids));
    }

    /// <summary>
    /// The row-major position of the first id outside <c>[0, vocab)</c>, or -1 when all are in range. CPU ids are
    /// scanned in place; ids on an accelerator are checked with a min/max reduction and copied only when one is bad.
    /// </summary>
    internal static long FirstOutOfRange(Tensor ids, long vocab)
    {
        long count = ids.numel();
        if (count == 0) return -1;
        if (ids.device_type == DeviceType.CPU)
        {
            if (ids.is_contiguous()) return Scan(ids, count, vocab);
        }
        else if (InRangeOnDevice(ids, vocab))
        {
            return -1;
        }
        using Tensor contiguous = ids.cpu().contiguous();
        return Scan(contiguous, count, vocab);
    }

    /// <summary>The error for the id at row-major <paramref name="position"/> of <paramref name="ids"/>.</summary>
    internal static ArgumentException OutOfRangeError(Tensor ids, long position, long vocab)
    {
        long id = ReadAt(ids, position);
        return new ArgumentException(
            $"Token id {id} at position {Position(ids.shape, position)} is out of range for a vocabulary of {vocab}: ids must be in [0, {vocab - 1}]. " +
            "Check that the tokenizer matches the embedding table, or pass OutOfRange.JaxClamp or OutOfRange.Fill for JAX's behaviour.",
            nameof(ids));
    }

    private static unsafe long Scan(Tensor contiguousCpu, long count, long vocab)
    {
        void* data = TensorMemory.Pointer(contiguousCpu);
        return contiguousCpu.dtype == ScalarType.Int64
            ? IdScan.FirstOutOfRange((long*)data, count, vocab)
            : IdScan.FirstOutOfRange((int*)data, count, vocab);
    }

    private static bool InRangeOnDevice(Tensor ids, long vocab)
    {
        using Tensor min = ids.min();
        using Tensor max = ids.max();
        return ids.dtype == ScalarType.Int64
            ? min.item<long>() >= 0 && max.item<long>() < vocab
            : min.item<int>() >= 0 && max.item<int>() < vocab;
    }

    private static long ReadAt(Tensor ids, long position)
    {
        using Tensor flat = ids.reshape(-1);
        using Tensor element = flat[position];
        return ids.dtype == ScalarType.Int64 ? element.item<long>() : element.item<int>();
    }

    private static string Position(ReadOnlySpan<long> shape, long flat)
    {
        if (shape.Length <= 1) return flat.ToString(CultureInfo.InvariantCulture);
        var index = new long[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return $"[{string.Join(", ", index)}]";
    }
}
