using System;
using System.Linq;
using System.Text.Json;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests;

public class NormalTests(ITestOutputHelper output)
{
    [Fact]
    public void Partitionable_random_bits_match_jax()
    {
        foreach (JsonElement c in JaxVectors.Section("random_bits").Where(c => c.GetProperty("partitionable").GetBoolean()))
        {
            PrngKey key = JaxVectors.Key(c.GetProperty("key"));
            long[] shape = JaxVectors.Longs(c.GetProperty("shape"));

            uint[] bits = JaxRandom.Bits(key, shape);

            Assert.Equal(JaxVectors.HexArray(c.GetProperty("bits")), bits);
        }
    }

    [Fact]
    public void Partitionable_normal_matches_jax_bit_for_bit()
    {
        var tally = new FloatTally("normal (partitionable)");
        foreach (JsonElement c in JaxVectors.Section("normal").Where(c => c.GetProperty("partitionable").GetBoolean()))
        {
            PrngKey key = JaxVectors.Key(c.GetProperty("key"));
            long[] shape = JaxVectors.Longs(c.GetProperty("shape"));
            float[] expected = JaxVectors.FloatsFromBits(c.GetProperty("bits"));

            using Tensor values = JaxRandom.Normal(key, shape);

            Assert.Equal(shape, values.shape);
            Assert.Equal(ScalarType.Float32, values.dtype);
            tally.Add(expected, values.data<float>().ToArray());
        }
        tally.Report(output, 1000);
    }

    [Fact]
    public void Normal_into_a_reused_tensor_equals_the_allocating_form()
    {
        PrngKey key = PrngKey.FromSeed(3).FoldIn(0);
        using Tensor fresh = JaxRandom.Normal(key, 300, 257);
        using Tensor reused = torch.full(new long[] { 300, 257 }, 42f);

        Tensor returned = JaxRandom.Normal(key, reused);

        Assert.Same(reused, returned);
        Assert.True(fresh.equal(reused).all().item<bool>());
    }

    [Fact]
    public void Large_tensors_filled_in_parallel_equal_the_element_formula()
    {
        // Past the parallel threshold the chunks must still use each element's own flat index.
        PrngKey key = PrngKey.FromSeed(9).FoldIn(0);
        using Tensor values = JaxRandom.Normal(key, 1 << 18);
        float[] all = values.data<float>().ToArray();

        foreach (int i in new[] { 0, 1, 32767, 32768, 65535, 65536, 200003, (1 << 18) - 1 })
            Assert.Equal(JaxMath.NormalFromBits(new BitStream(key, BitsLayout.Partitionable, 1 << 18).At(i)), all[i]);
    }

    [Fact]
    public void Normal_rejects_an_output_of_the_wrong_dtype_naming_it()
    {
        using Tensor doubles = torch.zeros(3, ScalarType.Float64);

        var e = Assert.Throws<ArgumentException>(() => JaxRandom.Normal(new PrngKey(0, 0), doubles));

        Assert.Contains("Float64", e.Message);
    }

    [Fact]
    public void Normal_rejects_a_negative_dimension_naming_it()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => JaxRandom.Normal(new PrngKey(0, 0), 3, -2));

        Assert.Contains("-2", e.Message);
    }
}
