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

    /// <summary>
    /// <c>jax.random.normal(key, shape, dtype)</c> for Float32, Float16 or BFloat16: the 16-bit types are drawn as JAX
    /// draws them (16 or 8 random bits per element, <c>erf_inv</c> in float32, every 16-bit operation rounded), not as a
    /// cast of the float32 numbers.
    /// </summary>
    public static Tensor Normal(PrngKey key, long[] shape, ScalarType dtype, BitsLayout? layout = null)
    {
        CheckSupported(dtype, "normal");
        return Normal(key, torch.empty(CheckShape(shape), dtype), layout);
    }

    /// <summary>
    /// Fills <paramref name="output"/> (Float32, Float16 or BFloat16, CPU, contiguous) with
    /// <c>jax.random.normal(key, output.shape, output.dtype)</c>, reusing its memory; returns it.
    /// </summary>
    public static Tensor Normal(PrngKey key, Tensor output, BitsLayout? layout = null)
    {
        CheckOutput(output, nameof(output));
        if (HalfFormat.For(output.dtype) is { } half)
            FillHalves(key, output, new HalfNormal(half, 1f), layout ?? DefaultLayout);
        else
            FillFloats(key, output, new NormalMap(1f), layout ?? DefaultLayout);
        return output;
    }

    /// <summary><c>jax.random.uniform(key, shape, dtype, minval, maxval)</c>: values in [minval, maxval); Float32, Float16 or BFloat16.</summary>
    public static Tensor Uniform(PrngKey key, long[] shape, double minval = 0.0, double maxval = 1.0,
        ScalarType dtype = ScalarType.Float32, BitsLayout? layout = null)
    {
        CheckSupported(dtype, "uniform");
        UniformMap map = UniformRange(minval, maxval, 1f);
        HalfSampler? sampler = HalfFormat.For(dtype) is { } half ? new HalfUniform(half, minval, maxval, 1f) : null;
        Tensor output = torch.empty(CheckShape(shape), dtype);
        Fill(key, output, map, sampler, layout ?? DefaultLayout);
        return output;
    }

    /// <summary>Fills <paramref name="output"/> with <c>jax.random.uniform(key, output.shape, output.dtype, minval, maxval)</c>.</summary>
    public static Tensor Uniform(PrngKey key, Tensor output, double minval = 0.0, double maxval = 1.0, BitsLayout? layout = null)
    {
        UniformMap map = UniformRange(minval, maxval, 1f);
        CheckOutput(output, nameof(output));
        HalfSampler? sampler = HalfFormat.For(output.dtype) is { } half ? new HalfUniform(half, minval, maxval, 1f) : null;
        Fill(key, output, map, sampler, layout ?? DefaultLayout);
        return output;
    }

    /// <summary>
    /// <c>jax.random.truncated_normal(key, lower, upper, shape, dtype)</c>: values strictly inside (lower, upper); infinite
    /// bounds are allowed. Float32, Float16 or BFloat16.
    /// </summary>
    public static Tensor TruncatedNormal(PrngKey key, double lower, double upper, long[] shape,
        ScalarType dtype = ScalarType.Float32, BitsLayout? layout = null)
    {
        CheckSupported(dtype, "truncated_normal");
        TruncatedNormalMap map = TruncatedNormalMap.Create(lower, upper, 1f);
        HalfSampler? sampler = HalfFormat.For(dtype) is { } half ? new HalfTruncatedNormal(half, lower, upper, 1f) : null;
        Tensor output = torch.empty(CheckShape(shape), dtype);
        Fill(key, output, map, sampler, layout ?? DefaultLayout);
        return output;
    }

    /// <summary>Fills <paramref name="output"/> with <c>jax.random.truncated_normal(key, lower, upper, output.shape, output.dtype)</c>.</summary>
    public static Tensor TruncatedNormal(PrngKey key, double lower, double upper, Tensor output, BitsLayout? layout = null)
    {
        TruncatedNormalMap map = TruncatedNormalMap.Create(lower, upper, 1f);
        CheckOutput(output, nameof(output));
        HalfSampler? sampler = HalfFormat.For(output.dtype) is { } half ? new HalfTruncatedNormal(half, lower, upper, 1f) : null;
        Fill(key, output, map, sampler, layout ?? DefaultLayout);
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
        // uniform(key, (2,) + shape): u1 is word n, u2 word N + n of one 2N-word stream (docs/jax-random.md#bernoulli).
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

    /// <summary>Fills a checked tensor: with the 16-bit sampler when there is one, otherwise with the float32 map.</summary>
    private static void Fill<TMap>(PrngKey key, Tensor output, TMap map, HalfSampler? sampler, BitsLayout layout)
        where TMap : struct, IFloatMap
    {
        if (sampler is null) FillFloats(key, output, map, layout);
        else FillHalves(key, output, sampler, layout);
    }

    /// <summary>Fills a checked 16-bit tensor of the sampler's type from the stream of <paramref name="key"/>.</summary>
    internal static unsafe void FillHalves(PrngKey key, Tensor output, HalfSampler sampler, BitsLayout layout)
    {
        var stream = new NarrowBitStream(key, layout, output.numel(), sampler.Format.RandomBits);
        RandomFill.Halves(stream, (ushort*)TensorMemory.Pointer(output), sampler, SimdPaths.Best, parallel: true);
    }

    /// <summary>Fills a checked float32 tensor from the stream of <paramref name="key"/>, on the best SIMD path.</summary>
    internal static unsafe void FillFloats<TMap>(PrngKey key, Tensor output, TMap map, BitsLayout layout)
        where TMap : struct, IFloatMap
    {
        var stream = new BitStream(key, layout, output.numel());
        RandomFill.Floats(stream, (float*)TensorMemory.Pointer(output), map, SimdPaths.Best, parallel: true);
    }

    /// <summary>Whether JAX's numbers are reproduced for <paramref name="dtype"/>: Float32, Float16 and BFloat16.</summary>
    internal static bool IsSupported(ScalarType dtype) => dtype is ScalarType.Float32 or ScalarType.Float16 or ScalarType.BFloat16;

    internal static void CheckSupported(ScalarType dtype, string distribution)
    {
        if (!IsSupported(dtype))
            throw new NotSupportedException(
                $"jax.random.{distribution} is reproduced for Float32, Float16 and BFloat16; dtype {dtype} is not supported. Draw one of those and convert with .to({dtype}) if the exact JAX values are not needed.");
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
        if (!IsSupported(output.dtype))
            throw new ArgumentException($"The output tensor has dtype {output.dtype}; JaxRandom fills Float32, Float16 and BFloat16 tensors. Create it with torch.empty(shape, ScalarType.Float32).", name);
        if (output.device_type != DeviceType.CPU)
            throw new ArgumentException($"The output tensor is on {output.device}; JaxRandom fills CPU tensors. Fill a CPU tensor, then move it with .to(device).", name);
        if (!output.is_contiguous())
            throw new ArgumentException("The output tensor is not contiguous; JaxRandom fills contiguous tensors (row-major flat index). Pass tensor.contiguous() or a fresh tensor.", name);
    }
}
