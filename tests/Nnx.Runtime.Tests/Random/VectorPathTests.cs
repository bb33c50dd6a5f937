using System;
using System.Linq;
using System.Runtime.Intrinsics;

namespace Nnx.Runtime.Tests;

/// <summary>
/// The SIMD paths against the scalar path, which the JAX vectors check: every draw bit-identical.
/// </summary>
public unsafe class VectorPathTests
{
    [Fact]
    public void Vector256_normals_equal_scalar_normals_on_ten_million_draws()
    {
        // Emulated (slow) where the CPU lacks 256-bit vectors, so fewer draws there.
        int n = Vector256.IsHardwareAccelerated ? 10_000_000 : 200_000;
        AssertPathsAgree(new NormalMap(1f), PrngKey.FromSeed(123).FoldIn(0), BitsLayout.Partitionable, n, SimdPath.Vector256);
    }

    [Fact]
    public void Vector512_normals_equal_scalar_normals()
    {
        // Without AVX-512 .NET emulates Vector512 (slowly), so fewer draws; on AVX-512 machines this is the path in use.
        int n = Vector512.IsHardwareAccelerated ? 10_000_000 : 200_000;
        AssertPathsAgree(new NormalMap(1f), PrngKey.FromSeed(321).FoldIn(0), BitsLayout.Partitionable, n, SimdPath.Vector512);
    }

    [Fact]
    public void Vector_log1p_equals_scalar_on_every_float_of_the_log_branch()
    {
        // Every float32 x in [-1, -(sqrt(2) - 1)], where log1p takes XLA's Cephes log of 1 + x: about 1.1e7 inputs.
        uint first = BitConverter.SingleToUInt32Bits(-0.41421357f), last = BitConverter.SingleToUInt32Bits(-1f);
        uint* inputs = stackalloc uint[32];
        float* from256 = stackalloc float[32], from512 = stackalloc float[32];
        int checkedInputs = 0;
        for (uint b = first; b <= last; b += 32)
        {
            for (int j = 0; j < 32; j++) inputs[j] = Math.Min(b + (uint)j, last);
            JaxMathVector.Log1p(Lanes256x2.Load(inputs)).Store(from256);
            JaxMathVector.Log1p(Lanes256x2.Load(inputs + 16)).Store(from256 + 16);
            JaxMathVector.Log1p(Lanes512x2.Load(inputs)).Store(from512);
            for (int j = 0; j < 32; j++)
            {
                float x = BitConverter.UInt32BitsToSingle(inputs[j]);
                uint expected = BitConverter.SingleToUInt32Bits(JaxMath.Log1p(x));
                if (expected != BitConverter.SingleToUInt32Bits(from256[j]) || expected != BitConverter.SingleToUInt32Bits(from512[j]))
                    Assert.Fail($"log1p({x:R}): scalar {JaxMath.Log1p(x):R}, 2 x Vector256 {from256[j]:R}, 2 x Vector512 {from512[j]:R}");
                checkedInputs++;
            }
        }
        Assert.True(checkedInputs > 11_000_000, $"only {checkedInputs} inputs checked");
    }

    [Fact]
    public void Cephes_log_handles_zero_the_smallest_normals_and_one()
    {
        // log(0) = -inf; subnormals are raised to the smallest normal 2^-126 first, as XLA does; log(1) = 0 exactly.
        Assert.Equal(float.NegativeInfinity, JaxMath.Log(0f));
        Assert.Equal(JaxMath.Log(BitConverter.UInt32BitsToSingle(0x00800000)), JaxMath.Log(float.Epsilon));
        Assert.Equal(0f, JaxMath.Log(1f));
        Assert.True(float.IsNaN(JaxMath.Log(-1f)));
        float[] edges = [0f, float.Epsilon, 1f, 0.5f, 2.5e-7f, 0.25f, 0.58578646f, 1e-30f, 1e-38f, 0.75f, 0.125f, 0.6f, 0.3f, 0.01f, 0.99f, 0.0625f];
        uint* x = stackalloc uint[16];
        float* logs = stackalloc float[16];
        for (int j = 0; j < 16; j++) x[j] = BitConverter.SingleToUInt32Bits(edges[j] - 1f);
        JaxMathVector.Log1p(Lanes256x2.Load(x)).Store(logs);
        for (int j = 0; j < 16; j++)
            Assert.Equal(BitConverter.SingleToUInt32Bits(JaxMath.Log1p(edges[j] - 1f)), BitConverter.SingleToUInt32Bits(logs[j]));
    }

    [Theory]
    [InlineData(256)]
    [InlineData(512)]
    public void Legacy_layout_vector_words_equal_scalar_words_across_the_half_point(int width)
    {
        SimdPath path = width == 512 ? SimdPath.Vector512 : SimdPath.Vector256;
        // An odd count pads the last pair with 0 and puts the half point mid-vector.
        foreach (long n in new long[] { 1, 7, 17, 99_999 })
        {
            var stream = new BitStream(new PrngKey(0x13198A2E, 0x03707344), BitsLayout.Legacy, n);
            var vector = new uint[n];
            fixed (uint* data = vector) RandomFill.Words(stream, data, path, parallel: false);

            for (long i = 0; i < n; i++) Assert.Equal(stream.At(i), vector[i]);
        }
    }

    [Theory]
    [InlineData(256)]
    [InlineData(512)]
    public void Partitionable_words_carry_into_the_high_counter_word(int width)
    {
        // Indices 2^32 - 5 .. 2^32 + 26 straddle the carry from the low into the high 32-bit counter word.
        PrngKey key = PrngKey.FromSeed(1);
        var stream = new BitStream(key, BitsLayout.Partitionable, (1L << 32) + 32);
        const long start = (1L << 32) - 5;
        uint* lanes = stackalloc uint[32];
        int count = width == 512 ? Lanes512x2.Count : Lanes256x2.Count;
        if (width == 512) stream.Words<Lanes512x2>(start).Store(lanes);
        else stream.Words<Lanes256x2>(start).Store(lanes);
        for (int j = 0; j < count; j++)
        {
            var (y0, y1) = Threefry.Hash(key.K0, key.K1, (uint)((start + j) >> 32), (uint)(start + j));
            Assert.Equal(y0 ^ y1, lanes[j]);
        }
    }

    [Theory]
    [InlineData(BitsLayout.Partitionable)]
    [InlineData(BitsLayout.Legacy)]
    public void Bernoulli_masks_are_the_same_on_every_simd_path(BitsLayout layout)
    {
        // A count that leaves a ragged tail after the 16- and 32-lane blocks; threshold = p 0.3 in units of 2^-23.
        var stream = new BitStream(new PrngKey(7, 9), layout, 1_000_003);
        var scalar = new byte[stream.Count];
        fixed (byte* s = scalar) RandomFill.BelowThreshold(stream, s, 2516583, SimdPath.Scalar, parallel: true);
        foreach (SimdPath path in new[] { SimdPath.Vector256, SimdPath.Vector512 })
        {
            var vector = new byte[stream.Count];
            fixed (byte* v = vector) RandomFill.BelowThreshold(stream, v, 2516583, path, parallel: true);
            Assert.True(scalar.AsSpan().SequenceEqual(vector), $"{path} mask differs");
        }
        Assert.InRange(scalar.Count(b => b == 1), 290_000, 310_000);
    }

    [Fact]
    public void Truncated_normal_and_uniform_vector_paths_equal_scalar()
    {
        AssertPathsAgree(TruncatedNormalMap.Create(double.NegativeInfinity, 0.25, 0.3f), PrngKey.FromSeed(5).FoldIn(0), BitsLayout.Partitionable, 300_000, SimdPath.Vector256);
        AssertPathsAgree(TruncatedNormalMap.Create(-2, 2, 1f), PrngKey.FromSeed(6).FoldIn(0), BitsLayout.Legacy, 300_001, SimdPath.Vector256);
        AssertPathsAgree(new UniformMap(-3.7f, 5f, 1f), PrngKey.FromSeed(7).FoldIn(0), BitsLayout.Partitionable, 300_000, SimdPath.Vector256);
    }

    private static void AssertPathsAgree<TMap>(TMap map, PrngKey key, BitsLayout layout, int n, SimdPath path)
        where TMap : struct, IFloatMap
    {
        var stream = new BitStream(key, layout, n);
        float[] scalar = new float[n], vector = new float[n];
        fixed (float* s = scalar) RandomFill.Floats(stream, s, map, SimdPath.Scalar, parallel: true);
        fixed (float* v = vector) RandomFill.Floats(stream, v, map, path, parallel: true);

        int differ = 0, first = -1;
        for (int i = 0; i < n; i++)
        {
            if (BitConverter.SingleToUInt32Bits(scalar[i]) != BitConverter.SingleToUInt32Bits(vector[i]))
            {
                differ++;
                if (first < 0) first = i;
            }
        }
        Assert.True(differ == 0, $"{differ} of {n} draws differ; first at {first}: scalar {(first < 0 ? 0 : scalar[first]):R}, vector {(first < 0 ? 0 : vector[first]):R}");
    }
}
