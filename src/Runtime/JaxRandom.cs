using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// <c>jax.random</c> on the CPU, bit for bit: the same key, shape and layout give the same float32 numbers as JAX.
/// Results are written straight into tensor memory, vectorised (AVX2/AVX-512 with FMA where the CPU has it) and spread
/// over all cores for large tensors.
/// </summary>
public static class JaxRandom
{
    private static volatile BitsLayout s_defaultLayout = BitsLayout.Partitionable;

    /// <summary>
    /// The layout used when a call does not name one: <see cref="BitsLayout.Partitionable"/> (JAX &gt;= 0.5) unless
    /// changed, e.g. to <see cref="BitsLayout.Legacy"/> to reproduce a model initialised with JAX &lt;= 0.4.38. Process-wide.
    /// </summary>
    public static BitsLayout DefaultLayout
    {
        get => s_defaultLayout;
        set
        {
            if (value is not (BitsLayout.Partitionable or BitsLayout.Legacy))
                throw new ArgumentOutOfRangeException(nameof(value), value, "Expected BitsLayout.Partitionable or BitsLayout.Legacy.");
            s_defaultLayout = value;
        }
    }

    /// <summary><c>jax.random.bits(key, shape)</c> for 32-bit words, as uint32 values in a managed array (row-major).</summary>
    public static uint[] Bits(PrngKey key, params long[] shape) => Bits(key, shape, DefaultLayout);

    /// <summary><c>jax.random.bits(key, shape)</c> for 32-bit words in the given layout.</summary>
    public static unsafe uint[] Bits(PrngKey key, long[] shape, BitsLayout layout)
    {
        long n = ElementCount(CheckShape(shape));
        if (n > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(shape), n, $"Bits returns a managed array of at most {Array.MaxLength} elements; shape [{string.Join(", ", shape)}] has more.");
        var bits = new uint[n];
        fixed (uint* data = bits) RandomFill.Words(new BitStream(key, layout, n), data, SimdPaths.Best, parallel: true);
        return bits;
    }

    /// <summary><c>jax.random.normal(key, shape)</c> in float32, as a new CPU tensor.</summary>
    public static Tensor Normal(PrngKey key, params long[] shape) => Normal(key, shape, ScalarType.Float32);

    /// <summary><c>jax.random.normal(key, shape, dtype)</c>; float32 only (JAX's other dtypes use other kernels).</summary>
    public static Tensor Normal(PrngKey key, long[] shape, ScalarType dtype, BitsLayout? layout = null)
    {
        CheckFloat32(dtype, "normal");
        return Normal(key, torch.empty(CheckShape(shape), ScalarType.Float32), layout);
    }

    /// <summary>
    /// Fills <paramref name="output"/> (float32, CPU, contiguous) with <c>jax.random.normal(key, output.shape)</c>,
    /// reusing its memory; returns it.
    /// </summary>
    public static Tensor Normal(PrngKey key, Tensor output, BitsLayout? layout = null)
    {
        CheckOutput(output, nameof(output));
        FillFloats(key, output, new NormalMap(1f), layout ?? DefaultLayout);
        return output;
    }

    /// <summary><c>jax.random.uniform(key, shape, float32, minval, maxval)</c>: values in [minval, maxval).</summary>
    public static Tensor Uniform(PrngKey key, long[] shape, double minval = 0.0, double maxval = 1.0,
        ScalarType dtype = ScalarType.Float32, BitsLayout? layout = null)
    {
        CheckFloat32(dtype, "uniform");
        UniformMap map = UniformRange(minval, maxval, 1f);
        Tensor output = torch.empty(CheckShape(shape), ScalarType.Float32);
        FillFloats(key, output, map, layout ?? DefaultLayout);
        return output;
    }

    /// <summary>Fills <paramref name="output"/> with <c>jax.random.uniform(key, output.shape, float32, minval, maxval)</c>.</summary>
    public static Tensor Uniform(PrngKey key, Tensor output, double minval = 0.0, double maxval = 1.0, BitsLayout? layout = null)
    {
        UniformMap map = UniformRange(minval, maxval, 1f);
        CheckOutput(output, nameof(output));
        FillFloats(key, output, map, layout ?? DefaultLayout);
        return output;
    }

    /// <summary>
    /// <c>jax.random.truncated_normal(key, lower, upper, shape)</c> in float32: values strictly inside (lower, upper);
    /// infinite bounds are allowed.
    /// </summary>
    public static Tensor TruncatedNormal(PrngKey key, double lower, double upper, long[] shape,
        ScalarType dtype = ScalarType.Float32, BitsLayout? layout = null)
    {
        CheckFloat32(dtype, "truncated_normal");
        TruncatedNormalMap map = TruncatedNormalMap.Create(lower, upper, 1f);
        Tensor output = torch.empty(CheckShape(shape), ScalarType.Float32);
        FillFloats(key, output, map, layout ?? DefaultLayout);
        return output;
    }

    /// <summary>Fills <paramref name="output"/> with <c>jax.random.truncated_normal(key, lower, upper, output.shape)</c>.</summary>
    public static Tensor TruncatedNormal(PrngKey key, double lower, double upper, Tensor output, BitsLayout? layout = null)
    {
        TruncatedNormalMap map = TruncatedNormalMap.Create(lower, upper, 1f);
        CheckOutput(output, nameof(output));
        FillFloats(key, output, map, layout ?? DefaultLayout);
        return output;
    }

    /// <summary>
    /// <c>jax.random.bernoulli(key, p, shape, mode)</c> as a Bool CPU tensor: true with probability <paramref name="p"/>
    /// (rounded to float32 first, as JAX does with a Python float).
    /// </summary>
    public static unsafe Tensor Bernoulli(PrngKey key, double p, long[] shape, BernoulliMode mode = BernoulliMode.Low,
        BitsLayout? layout = null)
    {
        if (!(p >= 0.0 && p <= 1.0))
            throw new ArgumentOutOfRangeException(nameof(p), p, "bernoulli needs a probability p in [0, 1]; for dropout pass the keep probability 1 - rate.");
        long n = ElementCount(CheckShape(shape));
        Tensor output = torch.empty(shape, ScalarType.Bool);
        byte* data = (byte*)TensorMemory.Pointer(output);
        float pf = (float)p;
        if (mode == BernoulliMode.Low)
        {
            // uniform = m * 2^-23 with m = bits >> 9, both exact, so `uniform < pf` is `m < ceil(pf * 2^23)`.
            uint threshold = (uint)Math.Ceiling(pf * 8388608.0);
            RandomFill.BelowThreshold(new BitStream(key, layout ?? DefaultLayout, n), data, threshold, SimdPaths.Best, parallel: true);
            return output;
        }
        if (mode != BernoulliMode.High)
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Expected BernoulliMode.Low or BernoulliMode.High.");
        // uniform(key, (2,) + shape): u1 is word n, u2 word N + n of one 2N-word stream (SPEC.md 16.4).
        var stream = new BitStream(key, layout ?? DefaultLayout, checked(2 * n));
        for (long i = 0; i < n; i++)
        {
            float u1 = JaxMath.UnitUniform(stream.At(i));
            float u2 = JaxMath.UnitUniform(stream.At(n + i)) * (1f / 8388608f);
            data[i] = u2 < pf - u1 ? (byte)1 : (byte)0;
        }
        return output;
    }

    /// <summary>The uniform map for [minval, maxval) in float32, validated.</summary>
    internal static UniformMap UniformRange(double minval, double maxval, float scale)
    {
        float lo = (float)minval, hi = (float)maxval;
        if (!float.IsFinite(lo) || !float.IsFinite(hi) || !(lo < hi))
            throw new ArgumentOutOfRangeException(nameof(minval), $"uniform needs finite minval < maxval (as float32), got minval = {minval}, maxval = {maxval}.");
        return new UniformMap(lo, hi - lo, scale);
    }

    /// <summary>Fills a checked float32 tensor from the stream of <paramref name="key"/>, on the best SIMD path.</summary>
    internal static unsafe void FillFloats<TMap>(PrngKey key, Tensor output, TMap map, BitsLayout layout)
        where TMap : struct, IFloatMap
    {
        var stream = new BitStream(key, layout, output.numel());
        RandomFill.Floats(stream, (float*)TensorMemory.Pointer(output), map, SimdPaths.Best, parallel: true);
    }

    internal static void CheckFloat32(ScalarType dtype, string distribution)
    {
        if (dtype != ScalarType.Float32)
            throw new NotSupportedException(
                $"jax.random.{distribution} is reproduced for Float32 only; dtype {dtype} is not supported (JAX draws it with other bit widths and kernels). Draw Float32 and convert with .to({dtype}) if the exact JAX values are not needed.");
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
