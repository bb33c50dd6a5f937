using System;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests;

/// <summary>
/// Float16 and BFloat16 draws against <c>Data/jax-vectors-16bit.json</c> (derived from JAX's source by the reference in
/// <c>tests/reference</c>, not yet compared with a real JAX run): every value bit for bit, in both layouts.
/// </summary>
public unsafe class HalfPrecisionTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_possible_16_bit_normal_matches_the_reference()
    {
        // A 16-bit normal depends only on the uniform's mantissa index: 1024 values for float16, 128 for bfloat16.
        int compared = 0;
        foreach (JsonElement c in JaxVectors.Section16("normal_by_mantissa"))
        {
            var sampler = new HalfNormal(Format(c), 1f);
            ushort[] expected = JaxVectors.Hex16Array(c.GetProperty("bits"));

            Assert.Equal(expected, sampler.Table());
            compared += expected.Length;
        }
        Assert.Equal(1024 + 128, compared);
    }

    [Fact]
    public void Normal_matches_in_both_formats_and_layouts()
    {
        int compared = 0;
        foreach (JsonElement c in JaxVectors.Section16("normal"))
        {
            using Tensor values = JaxRandom.Normal(Key(c), Shape(c), Format(c).Dtype, JaxSectionTests.Layout(c));

            Assert.Equal(Format(c).Dtype, values.dtype);
            compared += AssertBits(c, values);
        }
        output.WriteLine($"normal16: {compared}/{compared} bit-identical");
        Assert.True(compared > 6000, $"only {compared} values compared");
    }

    [Fact]
    public void Uniform_matches_on_unit_symmetric_and_general_ranges()
    {
        int compared = 0;
        foreach (JsonElement c in JaxVectors.Section16("uniform"))
        {
            using Tensor values = JaxRandom.Uniform(Key(c), Shape(c), c.GetProperty("minval").GetDouble(), c.GetProperty("maxval").GetDouble(),
                Format(c).Dtype, JaxSectionTests.Layout(c));
            compared += AssertBits(c, values);
        }
        output.WriteLine($"uniform16: {compared}/{compared} bit-identical");
    }

    [Fact]
    public void Truncated_normal_matches_including_its_bounds_and_an_infinite_one()
    {
        int compared = 0;
        foreach (JsonElement c in JaxVectors.Section16("truncated_normal"))
        {
            double lower = Bound(c.GetProperty("lower")), upper = Bound(c.GetProperty("upper"));
            HalfFormat format = Format(c);
            var (a, b, clipLow, clipHigh) = new HalfTruncatedNormal(format, lower, upper, 1f).Bounds;
            Assert.Equal(JaxVectors.Hex(c.GetProperty("a_erf_lower")), format.ToBits(a));
            Assert.Equal(JaxVectors.Hex(c.GetProperty("b_erf_upper")), format.ToBits(b));
            Assert.Equal(JaxVectors.Hex(c.GetProperty("clip_lo")), format.ToBits(clipLow));
            Assert.Equal(JaxVectors.Hex(c.GetProperty("clip_hi")), format.ToBits(clipHigh));

            using Tensor values = JaxRandom.TruncatedNormal(Key(c), lower, upper, Shape(c), format.Dtype, JaxSectionTests.Layout(c));
            compared += AssertBits(c, values);
        }
        output.WriteLine($"truncated_normal16: {compared}/{compared} bit-identical");
    }

    [Fact]
    public void Every_initializer_case_matches_with_its_variance_and_multiplier()
    {
        int cases = 0, compared = 0;
        foreach (JsonElement c in JaxVectors.Section16("initializers"))
        {
            Initializer init = Initializer.Parse(Spec(c));
            HalfFormat format = Format(c);

            using Tensor values = init.Create(Key(c), Shape(c), format.Dtype, JaxSectionTests.Layout(c));

            compared += AssertBits(c, values);
            if (c.TryGetProperty("variance", out JsonElement variance))
                Assert.Equal(JaxVectors.Hex(variance), format.ToBits(format.FromPython(((VarianceScalingInitializer)init).Ratio(Shape(c)))));
            cases++;
        }
        output.WriteLine($"initializers16: {cases} cases, {compared}/{compared} bit-identical");
        Assert.Equal(26, cases);
    }

    [Fact]
    public void Python_floats_round_to_float16_once_and_to_bfloat16_through_float32()
    {
        foreach (JsonElement c in JaxVectors.Section16("constants"))
        {
            HalfFormat format = Format(c);
            double[] inputs = c.GetProperty("inputs").EnumerateArray().Select(v => double.Parse(v.GetString()!, CultureInfo.InvariantCulture)).ToArray();
            ushort[] expected = JaxVectors.Hex16Array(c.GetProperty("bits"));

            Assert.Equal(expected, inputs.Select(v => format.ToBits(format.FromPython(v))).ToArray());
            // constant(c) fills the same value, although libtorch alone would round a double to Half through float32.
            using Tensor filled = Initializer.Parse($"constant({inputs[0].ToString("R", CultureInfo.InvariantCulture)})").Create(default, [3], format.Dtype);
            Assert.All(Bits16(filled), b => Assert.Equal(expected[0], b));
        }
    }

    [Fact]
    public void A_bfloat16_Linear_draws_the_bfloat16_lecun_normal_kernel()
    {
        // nnx.Linear(16, 8, rngs=nnx.Rngs(0), param_dtype=jnp.bfloat16): kernel from key count 0 in bfloat16.
        JsonElement c = JaxVectors.Section16("initializers").First(c =>
            c.GetProperty("initializer").GetString() == "lecun_normal" && c.GetProperty("dtype").GetString() == "bfloat16"
            && c.GetProperty("seed").GetInt32() == 0 && c.GetProperty("partitionable").GetBoolean());

        using var linear = new Linear(16, 8, new Rngs(0), paramDtype: ScalarType.BFloat16);

        Assert.Equal(ScalarType.BFloat16, linear.Kernel.dtype);
        AssertBits(c, linear.Kernel);
        Assert.All(Bits16(linear.Bias!), b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData(ScalarType.Float16, BitsLayout.Partitionable)]
    [InlineData(ScalarType.Float16, BitsLayout.Legacy)]
    [InlineData(ScalarType.BFloat16, BitsLayout.Partitionable)]
    [InlineData(ScalarType.BFloat16, BitsLayout.Legacy)]
    public void Table_fills_on_every_simd_path_equal_the_per_element_draw(ScalarType dtype, BitsLayout layout)
    {
        // Large enough for the table, several parallel chunks and a ragged tail; odd so the legacy pairing pads.
        const long n = 200_003;
        HalfFormat format = HalfFormat.For(dtype)!;
        var sampler = new HalfTruncatedNormal(format, -1.5, 0.5, format.FromPython(0.02));
        var stream = new NarrowBitStream(PrngKey.FromSeed(8).FoldIn(0), layout, n, format.RandomBits);
        int shift = format.RandomBits - format.MantissaBits;
        ushort[] expected = new ushort[n];
        for (long i = 0; i < n; i++) expected[i] = sampler.Bits((int)(stream.At(i) >> shift));

        foreach (SimdPath path in new[] { SimdPath.Scalar, SimdPath.Vector256, SimdPath.Vector512 })
        {
            var actual = new ushort[n];
            fixed (ushort* data = actual) RandomFill.Halves(stream, data, sampler, path, parallel: true);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{path} differs from the per-element draw");
        }
    }

    [Fact]
    public void Normal_into_a_reused_bfloat16_tensor_equals_the_allocating_form()
    {
        PrngKey key = PrngKey.FromSeed(3).FoldIn(0);
        using Tensor fresh = JaxRandom.Normal(key, [300, 257], ScalarType.BFloat16);
        using Tensor reused = torch.full(new long[] { 300, 257 }, 42f, ScalarType.BFloat16);

        Tensor returned = JaxRandom.Normal(key, reused);

        Assert.Same(reused, returned);
        Assert.Equal(Bits16(fresh), Bits16(reused));
    }

    [Fact]
    public void Bounds_that_collapse_or_overflow_in_16_bits_are_rejected_naming_them()
    {
        PrngKey key = PrngKey.FromSeed(0);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => JaxRandom.Uniform(key, [4], 1.0, 1.001, ScalarType.BFloat16));
        Assert.Contains("maxval = 1.001", e.Message);
        Assert.Contains("BFloat16", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => JaxRandom.Uniform(key, [4], 0, 1e6, ScalarType.Float16));
        Assert.Contains("1000000", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => JaxRandom.TruncatedNormal(key, 2.0, 2.001, [4], ScalarType.BFloat16));
        Assert.Contains("upper = 2.001", e.Message);
    }

    [Fact]
    public void Other_dtypes_are_still_rejected_by_initializers_naming_them()
    {
        var e = Assert.Throws<NotSupportedException>(() => Initializers.LecunNormal().Create(PrngKey.FromSeed(0), [2, 2], ScalarType.Float64));
        Assert.Contains("Float64", e.Message);
        Assert.Contains("BFloat16", e.Message);
    }

    private static int AssertBits(JsonElement c, Tensor values)
    {
        ushort[] expected = JaxVectors.Hex16Array(c.GetProperty("bits"));
        ushort[] actual = Bits16(values);
        Assert.Equal(Shape(c), values.shape);
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i])
                Assert.Fail($"{c.GetProperty("dtype")} seed {c.GetProperty("seed")} element {i}: expected 0x{expected[i]:x4}, got 0x{actual[i]:x4}");
        }
        Assert.Equal(expected.Length, actual.Length);
        return expected.Length;
    }

    private static ushort[] Bits16(Tensor t)
    {
        using Tensor cpu = t.detach().cpu().contiguous();
        return MemoryMarshal.Cast<byte, ushort>(cpu.bytes).ToArray();
    }

    private static HalfFormat Format(JsonElement c) => c.GetProperty("dtype").GetString() switch
    {
        "float16" => HalfFormat.Float16,
        "bfloat16" => HalfFormat.BFloat16,
        string s => throw new FormatException($"unexpected dtype '{s}' in jax-vectors-16bit.json"),
        null => throw new FormatException("null dtype in jax-vectors-16bit.json"),
    };

    private static PrngKey Key(JsonElement c) => JaxVectors.Key(c.GetProperty("key"));

    private static long[] Shape(JsonElement c) => JaxVectors.Longs(c.GetProperty("shape"));

    private static double Bound(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch
        {
            "-inf" => double.NegativeInfinity,
            "inf" => double.PositiveInfinity,
            string s => throw new FormatException($"unexpected bound '{s}'"),
            null => throw new FormatException("null bound"),
        }
        : e.GetDouble();

    /// <summary>The Init text for a case, as a user would write it.</summary>
    private static string Spec(JsonElement c)
    {
        string name = c.GetProperty("initializer").GetString()!;
        if (c.TryGetProperty("stddev_or_scale", out JsonElement s))
            return $"{name}({s.GetDouble().ToString("R", CultureInfo.InvariantCulture)})";
        if (name != "variance_scaling") return name;
        return $"variance_scaling({c.GetProperty("scale").GetDouble().ToString("R", CultureInfo.InvariantCulture)}, " +
               $"{c.GetProperty("mode").GetString()}, {c.GetProperty("distribution").GetString()}, out_axis={c.GetProperty("out_axis").GetInt32()})";
    }
}
