using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests;

/// <summary>
/// Every case of the jax.random sections of Data/jax-vectors.json, in both layouts: integer stages exact, float stages
/// at least 99 % bit-identical and within 4 ulp (the counts are printed).
/// </summary>
public class JaxSectionTests(ITestOutputHelper output)
{
    [Fact]
    public void Random_bits_match_jax_exactly_in_both_layouts()
    {
        var layouts = new HashSet<BitsLayout>();
        foreach (JsonElement c in JaxVectors.Section("random_bits"))
        {
            BitsLayout layout = Layout(c);

            uint[] bits = JaxRandom.Bits(JaxVectors.Key(c.GetProperty("key")), JaxVectors.Longs(c.GetProperty("shape")), layout);

            Assert.Equal(JaxVectors.HexArray(c.GetProperty("bits")), bits);
            layouts.Add(layout);
        }
        Assert.Equal(2, layouts.Count);
    }

    [Fact]
    public void Legacy_bits_reproduce_the_jax_test_suite()
    {
        // jax tests/random_test.py::testRngRandomBits (legacy), random.bits(make_key(1701), (3,), uint32).
        uint[] bits = JaxRandom.Bits(PrngKey.FromSeed(1701), [3], BitsLayout.Legacy);

        Assert.Equal(new uint[] { 56197195, 4200222568, 961309823 }, bits);
    }

    [Fact]
    public void Uniform_matches_jax()
    {
        var tally = new FloatTally("uniform");
        foreach (JsonElement c in JaxVectors.Section("uniform"))
        {
            using Tensor values = JaxRandom.Uniform(JaxVectors.Key(c.GetProperty("key")), JaxVectors.Longs(c.GetProperty("shape")), layout: Layout(c));
            tally.Add(JaxVectors.FloatsFromBits(c.GetProperty("bits")), values.data<float>().ToArray());
        }
        tally.Report(output, 14);
    }

    [Fact]
    public void Uniform_on_general_ranges_matches_jax()
    {
        var tally = new FloatTally("uniform_range");
        foreach (JsonElement c in JaxVectors.Section("uniform_range"))
        {
            using Tensor values = JaxRandom.Uniform(JaxVectors.Key(c.GetProperty("key")), JaxVectors.Longs(c.GetProperty("shape")),
                c.GetProperty("minval").GetDouble(), c.GetProperty("maxval").GetDouble(), layout: Layout(c));
            tally.Add(JaxVectors.FloatsFromBits(c.GetProperty("bits")), values.data<float>().ToArray());
        }
        tally.Report(output, 54);
    }

    [Fact]
    public void Normal_matches_jax_in_both_layouts()
    {
        var tally = new FloatTally("normal");
        foreach (JsonElement c in JaxVectors.Section("normal"))
        {
            using Tensor values = JaxRandom.Normal(JaxVectors.Key(c.GetProperty("key")), JaxVectors.Longs(c.GetProperty("shape")), ScalarType.Float32, Layout(c));
            tally.Add(JaxVectors.FloatsFromBits(c.GetProperty("bits")), values.data<float>().ToArray());
        }
        tally.Report(output, 1000);
    }

    [Fact]
    public void Truncated_normal_matches_jax_including_infinite_and_asymmetric_bounds()
    {
        var tally = new FloatTally("truncated_normal");
        foreach (JsonElement c in JaxVectors.Section("truncated_normal"))
        {
            using Tensor values = JaxRandom.TruncatedNormal(JaxVectors.Key(c.GetProperty("key")),
                Bound(c.GetProperty("lower")), Bound(c.GetProperty("upper")), JaxVectors.Longs(c.GetProperty("shape")), layout: Layout(c));
            tally.Add(JaxVectors.FloatsFromBits(c.GetProperty("bits")), values.data<float>().ToArray());
        }
        tally.Report(output, 60);
    }

    [Fact]
    public void Truncated_normal_bounds_go_through_xla_erf_exactly()
    {
        foreach (JsonElement c in JaxVectors.Section("truncated_normal"))
        {
            TruncatedNormalMap map = TruncatedNormalMap.Create(Bound(c.GetProperty("lower")), Bound(c.GetProperty("upper")), 1f);

            float a = BitConverter.UInt32BitsToSingle(JaxVectors.Hex(c.GetProperty("a_erf_lower")));
            float b = BitConverter.UInt32BitsToSingle(JaxVectors.Hex(c.GetProperty("b_erf_upper")));
            Assert.Equal(a, map.Uniform.Low);
            Assert.Equal(b - a, map.Uniform.Range);
            Assert.Equal(JaxVectors.Hex(c.GetProperty("clip_lo")), BitConverter.SingleToUInt32Bits(map.ClipLow));
            Assert.Equal(JaxVectors.Hex(c.GetProperty("clip_hi")), BitConverter.SingleToUInt32Bits(map.ClipHigh));
        }
    }

    [Fact]
    public void Bernoulli_masks_match_jax_exactly_in_both_modes_and_layouts()
    {
        int cases = 0;
        foreach (JsonElement c in JaxVectors.Section("bernoulli"))
        {
            BernoulliMode mode = c.GetProperty("mode").GetString() == "high" ? BernoulliMode.High : BernoulliMode.Low;

            using Tensor mask = JaxRandom.Bernoulli(JaxVectors.Key(c.GetProperty("key")), c.GetProperty("p").GetDouble(),
                JaxVectors.Longs(c.GetProperty("shape")), mode, Layout(c));

            Assert.Equal(ScalarType.Bool, mask.dtype);
            Assert.Equal(JaxVectors.Longs(c.GetProperty("mask")).Select(m => m == 1).ToArray(), mask.data<bool>().ToArray());
            cases++;
        }
        output.WriteLine($"bernoulli: {cases}/{cases} masks identical");
        Assert.Equal(8, cases);
    }

    [Fact]
    public void Dropout_masks_of_flax_match_with_a_forked_stream()
    {
        // layers.dropout: Linear(3, 4) draws counts 0 and 1, Dropout forks count 2, its first mask key is fold_in(fork, 0).
        foreach (JsonElement c in JaxVectors.Root.GetProperty("layers").GetProperty("dropout").EnumerateArray())
        {
            int seed = int.Parse(c.GetProperty("module").GetString()!.Split("Rngs(")[1].TrimEnd(')'));
            var rngs = new Rngs(seed);
            rngs.Params();
            rngs.Params();

            RngStream dropout = rngs.Fork("dropout");
            PrngKey maskKey = dropout.Next();
            using Tensor mask = JaxRandom.Bernoulli(maskKey, 1.0 - c.GetProperty("rate").GetDouble(), JaxVectors.Longs(c.GetProperty("shape")), layout: Layout(c));

            Assert.Equal(JaxVectors.Key(c.GetProperty("fork_key")), dropout.Key);
            Assert.Equal(JaxVectors.Key(c.GetProperty("mask_key")), maskKey);
            Assert.Equal(JaxVectors.Longs(c.GetProperty("mask")).Select(m => m == 1).ToArray(), mask.data<bool>().ToArray());
        }
    }

    [Fact]
    public void Embed_forward_matches_in_both_layouts()
    {
        var tally = new FloatTally("embed_forward");
        var layouts = new HashSet<BitsLayout>();
        foreach (JsonElement c in JaxVectors.Section("embed_forward"))
        {
            long vocab = c.GetProperty("vocab").GetInt64(), dModel = c.GetProperty("d_model").GetInt64();
            PrngKey key = new Rngs(c.GetProperty("seed").GetInt64()).Params();
            using Tensor table = JaxRandom.Normal(key, [vocab, dModel], ScalarType.Float32, Layout(c));
            float[] all = table.data<float>().ToArray();

            float[] rows = JaxVectors.Longs(c.GetProperty("ids"))
                .SelectMany(id => all.Skip((int)(Math.Clamp(id < 0 ? id + vocab : id, 0, vocab - 1) * dModel)).Take((int)dModel))
                .ToArray();

            tally.Add(JaxVectors.FloatsFromBits(c.GetProperty("bits")), rows);
            layouts.Add(Layout(c));
        }
        tally.Report(output, 150);
        Assert.Equal(2, layouts.Count);
    }

    internal static BitsLayout Layout(JsonElement c) =>
        c.GetProperty("partitionable").GetBoolean() ? BitsLayout.Partitionable : BitsLayout.Legacy;

    private static double Bound(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch
        {
            "-inf" => double.NegativeInfinity,
            "inf" => double.PositiveInfinity,
            string s => throw new FormatException($"unexpected bound '{s}' in jax-vectors.json"),
            null => throw new FormatException("null bound in jax-vectors.json"),
        }
        : e.GetDouble();
}
