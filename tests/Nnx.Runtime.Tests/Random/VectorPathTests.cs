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
