using System;
using System.Threading.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// <c>jax.random</c> on the CPU, bit for bit: the same key and shape give the same float32 numbers as JAX
/// (partitionable Threefry layout, the JAX &gt;= 0.5 default). Results are written straight into tensor memory.
/// </summary>
public static class JaxRandom
{
    // Below this many elements one thread is faster than the cost of fanning out.
    private const long ParallelThreshold = 1 << 16;
    private const int ChunkElements = 1 << 15;

    /// <summary><c>jax.random.normal(key, shape)</c> in float32, as a new CPU tensor.</summary>
    public static Tensor Normal(PrngKey key, params long[] shape)
    {
        Tensor output = torch.empty(CheckShape(shape), ScalarType.Float32);
        FillNormal(key, output);
        return output;
    }

    /// <summary>
    /// Fills <paramref name="output"/> (float32, CPU, contiguous) with <c>jax.random.normal(key, output.shape)</c>,
    /// reusing its memory; returns it.
    /// </summary>
    public static Tensor Normal(PrngKey key, Tensor output)
    {
        CheckOutput(output, nameof(output));
        FillNormal(key, output);
        return output;
    }

    /// <summary><c>jax.random.bits(key, shape)</c> for 32-bit words, as uint32 values in a managed array (row-major).</summary>
    public static uint[] Bits(PrngKey key, params long[] shape)
    {
        long n = ElementCount(CheckShape(shape));
        if (n > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(shape), n, "Bits returns a managed array; the shape holds more elements than an array can.");
        var bits = new uint[n];
        for (long i = 0; i < n; i++) bits[i] = BitsAt(key, (ulong)i);
        return bits;
    }

    /// <summary>Element <paramref name="index"/> of <c>random_bits(key, 32, shape)</c>: it depends on the flat index only.</summary>
    internal static uint BitsAt(PrngKey key, ulong index)
    {
        var (y0, y1) = Threefry.Hash(key.K0, key.K1, (uint)(index >> 32), (uint)index);
        return y0 ^ y1;
    }

    private static unsafe void FillNormal(PrngKey key, Tensor output)
    {
        long n = output.numel();
        float* data = (float*)TensorMemory.Pointer(output);
        if (n < ParallelThreshold)
        {
            NormalRange(key, data, 0, n);
            return;
        }
        long chunks = (n + ChunkElements - 1) / ChunkElements;
        Parallel.For(0L, chunks, c =>
        {
            long start = c * ChunkElements;
            NormalRange(key, data, start, Math.Min(start + ChunkElements, n));
        });
    }

    private static unsafe void NormalRange(PrngKey key, float* data, long start, long end)
    {
        for (long i = start; i < end; i++) data[i] = JaxMath.NormalFromBits(BitsAt(key, (ulong)i));
    }

    internal static long[] CheckShape(long[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0)
                throw new ArgumentOutOfRangeException(nameof(shape), shape[i], $"Dimension {i} of shape [{string.Join(", ", shape)}] is negative; sizes must be >= 0.");
        }
        ElementCount(shape);
        return shape;
    }

    internal static long ElementCount(long[] shape)
    {
        long n = 1;
        foreach (long d in shape)
        {
            try { n = checked(n * d); }
            catch (OverflowException)
            {
                throw new ArgumentOutOfRangeException(nameof(shape), $"Shape [{string.Join(", ", shape)}] has more elements than a 64-bit count can hold.");
            }
        }
        return n;
    }

    internal static void CheckOutput(Tensor output, string name)
    {
        ArgumentNullException.ThrowIfNull(output, name);
        if (output.dtype != ScalarType.Float32)
            throw new ArgumentException($"The output tensor has dtype {output.dtype}; JaxRandom fills Float32 tensors. Create it with torch.empty(shape, ScalarType.Float32).", name);
        if (output.device_type != DeviceType.CPU)
            throw new ArgumentException($"The output tensor is on {output.device}; JaxRandom fills CPU tensors. Fill a CPU tensor, then move it with .to(device).", name);
        if (!output.is_contiguous())
            throw new ArgumentException("The output tensor is not contiguous; JaxRandom fills contiguous tensors (row-major flat index). Pass tensor.contiguous() or a fresh tensor.", name);
    }
}
