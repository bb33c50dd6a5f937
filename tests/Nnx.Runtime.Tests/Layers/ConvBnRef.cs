using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Layers;

/// <summary>
/// <c>Data/conv-bn-ref.json</c> (written by <c>tests/reference/conv_bn_ref.py</c>) and the <c>conv</c> and
/// <c>batch_norm</c> sections of <c>layers-ref.json</c>, with NNX's Conv arguments translated to <see cref="Conv"/>'s.
/// </summary>
internal static class ConvBnRef
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "conv-bn-ref.json"))));

    public static JsonElement Section(string name) => Document.Value.RootElement.GetProperty(name);

    public static JsonElement Case(string section, string name) =>
        Section(section).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    /// <summary>Every Conv case of both files, as (file, index) pairs for a theory.</summary>
    public static TheoryData<string, int> ConvCases()
    {
        var data = new TheoryData<string, int>();
        for (int i = 0; i < LayersRef.Section("conv").GetArrayLength(); i++) data.Add("layers-ref", i);
        for (int i = 0; i < Section("conv").GetArrayLength(); i++) data.Add("conv-bn-ref", i);
        return data;
    }

    public static JsonElement ConvCase(string file, int index) =>
        (file == "layers-ref" ? LayersRef.Section("conv") : Section("conv"))[index];

    /// <summary>The case's layer, <c>nnx.Conv(in, out, kernel_size, **options, rngs=nnx.Rngs(seed))</c> in Nnx's arguments.</summary>
    public static Conv NewConv(JsonElement c, Rngs? rngs = null)
    {
        JsonElement o = c.GetProperty("options");
        long[] kernelSize = JaxVectors.Longs(c.GetProperty("kernel_size"));
        string padding = "SAME";
        long[]? explicitPadding = null;
        if (o.TryGetProperty("padding", out JsonElement p))
        {
            if (p.ValueKind == JsonValueKind.String) padding = p.GetString()!;
            else if (p.ValueKind == JsonValueKind.Number) explicitPadding = [p.GetInt64()];
            // NNX's sequence: an int is both sides of its axis, a pair is (low, high).
            else explicitPadding = p.EnumerateArray()
                .SelectMany(e => e.ValueKind == JsonValueKind.Number ? new[] { e.GetInt64(), e.GetInt64() } : JaxVectors.Longs(e)).ToArray();
        }
        return new Conv(c.GetProperty("in_features").GetInt64(), c.GetProperty("out_features").GetInt64(), kernelSize,
            rngs ?? new Rngs(c.GetProperty("seed").GetInt64()),
            strides: PerAxis(o, "strides"), padding: padding, explicitPadding: explicitPadding,
            inputDilation: PerAxis(o, "input_dilation"), kernelDilation: PerAxis(o, "kernel_dilation"),
            featureGroupCount: o.TryGetProperty("feature_group_count", out JsonElement g) ? g.GetInt32() : 1,
            useBias: !o.TryGetProperty("use_bias", out JsonElement b) || b.GetBoolean());
    }

    public static Tensor Tensor(JsonElement floats, JsonElement shape) => LayersRef.Tensor(floats, shape);

    // NNX's int-or-sequence arguments: an int is one value for every axis.
    private static long[]? PerAxis(JsonElement options, string name) =>
        !options.TryGetProperty(name, out JsonElement v) ? null
        : v.ValueKind == JsonValueKind.Number ? [v.GetInt64()] : JaxVectors.Longs(v);
}
