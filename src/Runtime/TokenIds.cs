using System;
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
        ArgumentNullException.ThrowIfNull(ids);
        CheckDtype(ids);
        if (ids.numel() == 0) return;
        Tensor flat = ids.device_type == DeviceType.CPU && ids.is_contiguous() ? ids : ids.cpu().contiguous();
        try
        {
            long position = ids.dtype == ScalarType.Int64 ? FirstOutOfRange<long>(flat, vocab) : FirstOutOfRange<int>(flat, vocab);
            if (position >= 0)
            {
                long id = ids.dtype == ScalarType.Int64 ? ReadAt<long>(flat, position) : ReadAt<int>(flat, position);
                throw new ArgumentException(
                    $"Token id {id} at position {Position(ids.shape, position)} is out of range for a vocabulary of {vocab}: ids must be in [0, {vocab - 1}].",
                    nameof(ids));
            }
        }
        finally
        {
            if (!ReferenceEquals(flat, ids)) flat.Dispose();
        }
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

    private static unsafe long FirstOutOfRange<T>(Tensor contiguous, long vocab) where T : unmanaged
    {
        long n = contiguous.numel();
        T* data = (T*)TensorMemory.Pointer(contiguous);
        for (long i = 0; i < n; i++)
        {
            long id = typeof(T) == typeof(long) ? *(long*)(data + i) : *(int*)(data + i);
            if ((ulong)id >= (ulong)vocab) return i;
        }
        return -1;
    }

    private static unsafe long ReadAt<T>(Tensor contiguous, long index) where T : unmanaged =>
        typeof(T) == typeof(long) ? ((long*)TensorMemory.Pointer(contiguous))[index] : ((int*)TensorMemory.Pointer(contiguous))[index];

    private static string Position(ReadOnlySpan<long> shape, long flat)
    {
        if (shape.Length <= 1) return flat.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var index = new long[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return $"[{string.Join(", ", index)}]";
    }
}
