using System;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests;

/// <summary>The <c>initializers</c> and <c>layers.embed</c> sections of Data/jax-vectors.json through <see cref="Initializer.Parse"/>.</summary>
public class InitializerVectorTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_initializer_case_matches_jax()
    {
        var tally = new FloatTally("initializers");
        int cases = 0;
        foreach (JsonElement c in JaxVectors.Section("initializers"))
        {
            Initializer init = Initializer.Parse(Spec(c));
            long[] shape = JaxVectors.Longs(c.GetProperty("shape"));

            using Tensor values = init.Create(JaxVectors.Key(c.GetProperty("key")), shape, ScalarType.Float32, JaxSectionTests.Layout(c));

            Assert.Equal(shape, values.shape);
            tally.Add(JaxVectors.FloatsFromBits(c.GetProperty("bits")), values.data<float>().ToArray());
            cases++;
        }
        output.WriteLine($"initializers: {cases} cases");
        Assert.Equal(28, cases);
        tally.Report(output, 3000);
    }

    [Fact]
    public void Variance_scaling_computes_jax_fans_and_float32_variance_exactly()
    {
        foreach (JsonElement c in JaxVectors.Section("initializers").Where(c => c.TryGetProperty("variance", out _)))
        {
            var init = (VarianceScalingInitializer)Initializer.Parse(Spec(c));

            float variance = init.Variance(JaxVectors.Longs(c.GetProperty("shape")));

            Assert.Equal(JaxVectors.Hex(c.GetProperty("variance")), BitConverter.SingleToUInt32Bits(variance));
        }
    }

    [Fact]
    public void Flax_embed_default_init_matches_its_docstring_table()
    {
        // nnx.Embed uses variance_scaling(1.0, 'fan_in', 'normal', out_axis=0).
        var tally = new FloatTally("layers.embed");
        Initializer init = Initializer.Parse("variance_scaling(1.0, fan_in, normal, out_axis=0)");
        foreach (JsonElement c in JaxVectors.Root.GetProperty("layers").GetProperty("embed").EnumerateArray())
        {
            long vocab = c.GetProperty("num_embeddings").GetInt64(), features = c.GetProperty("features").GetInt64();
            using Tensor table = init.Create(JaxVectors.Key(c.GetProperty("key")), [vocab, features]);
            float[] all = table.data<float>().ToArray();

            float[] rows = JaxVectors.Longs(c.GetProperty("rows")).SelectMany(r => all.Skip((int)(r * features)).Take((int)features)).ToArray();

            tally.Add(JaxVectors.FloatsFromBits(c.GetProperty("bits")), rows);
        }
        tally.Report(output, 15);
    }

    /// <summary>The Init text for a case, built from its fields the way a user would write it.</summary>
    private static string Spec(JsonElement c)
    {
        string name = c.GetProperty("initializer").GetString()!;
        if (c.TryGetProperty("stddev_or_scale", out JsonElement s))
            return $"{name}({s.GetDouble().ToString("R", CultureInfo.InvariantCulture)})";
        if (name != "variance_scaling") return name;
        string text = $"variance_scaling({c.GetProperty("scale").GetDouble().ToString("R", CultureInfo.InvariantCulture)}, '{c.GetProperty("mode").GetString()}', \"{c.GetProperty("distribution").GetString()}\"";
        if (c.TryGetProperty("in_axis", out JsonElement inAxis)) text += $", in_axis={Axes(inAxis)}";
        if (c.TryGetProperty("out_axis", out JsonElement outAxis)) text += $", out_axis={Axes(outAxis)}";
        return text + ")";
    }

    private static string Axes(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array ? $"({string.Join(", ", e.EnumerateArray().Select(a => a.GetInt32()))})" : e.GetInt32().ToString(CultureInfo.InvariantCulture);
}
