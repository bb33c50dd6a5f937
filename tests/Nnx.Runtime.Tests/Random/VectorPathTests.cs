using System;
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
        var lanes256 = new float[8];
        var lanes512 = new float[16];
        int checkedInputs = 0;
        for (uint b = first; b <= last; b += 16)
        {
            for (int j = 0; j < 16; j++) lanes512[j] = BitConverter.UInt32BitsToSingle(Math.Min(b + (uint)j, last));
            Vector512<float> x512 = Vector512.Create(lanes512);
            Vector512<float> y512 = JaxMathVector.Log1p(x512);
            Vector256<float> y256lo = JaxMathVector.Log1p(x512.GetLower()), y256hi = JaxMathVector.Log1p(x512.GetUpper());
            for (int j = 0; j < 16; j++)
            {
                uint expected = BitConverter.SingleToUInt32Bits(JaxMath.Log1p(lanes512[j]));
                float from256 = j < 8 ? y256lo[j] : y256hi[j - 8];
                if (expected != BitConverter.SingleToUInt32Bits(y512[j]) || expected != BitConverter.SingleToUInt32Bits(from256))
                    Assert.Fail($"log1p({lanes512[j]:R}): scalar {JaxMath.Log1p(lanes512[j]):R}, Vector512 {y512[j]:R}, Vector256 {from256:R}");
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
        Vector256<float> edges = Vector256.Create(0f, float.Epsilon, 1f, 0.5f, 2.5e-7f, 0.25f, 0.58578646f, 1e-30f);
        Vector256<float> logs = JaxMathVector.Log1p(edges - Vector256<float>.One);
        for (int j = 0; j < 8; j++)
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
        SimdPath path = width == 512 ? SimdPath.Vector512 : SimdPath.Vector256;
        // Indices 2^32 - 5 .. 2^32 + 10 straddle the carry from the low into the high 32-bit counter word.
        PrngKey key = PrngKey.FromSeed(1);
        var stream = new BitStream(key, BitsLayout.Partitionable, (1L << 32) + 16);
        const long start = (1L << 32) - 5;
        for (long i = start; i < start + 16; i += path == SimdPath.Vector512 ? 16 : 8)
        {
            uint[] lanes = new uint[16];
            if (path == SimdPath.Vector512) stream.At512(i).CopyTo(lanes);
            else stream.At256(i).CopyTo(lanes);
            for (int j = 0; j < (path == SimdPath.Vector512 ? 16 : 8); j++)
            {
                var (y0, y1) = Threefry.Hash(key.K0, key.K1, (uint)((i + j) >> 32), (uint)(i + j));
                Assert.Equal(y0 ^ y1, lanes[j]);
            }
        }
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
