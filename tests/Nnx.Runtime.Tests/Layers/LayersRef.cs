using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Layers;

/// <summary><c>Data/layers-ref.json</c>, written by <c>tests/reference/layers_ref.py --layers-json</c>.</summary>
internal static class LayersRef
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "layers-ref.json"))));

    public static JsonElement Section(string name) => Document.Value.RootElement.GetProperty(name);

    public static JsonElement Case(string section, string name) =>
        Section(section).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    /// <summary>Exact float32 values of a <c>{"bits": [...]}</c> entry.</summary>
    public static float[] Floats(JsonElement e) => JaxVectors.FloatsFromBits(e.GetProperty("bits"));

    public static Tensor Tensor(JsonElement floats, JsonElement shape) =>
        torch.tensor(Floats(floats), JaxVectors.Longs(shape));

    public static PrngKey Key(JsonElement e) => JaxVectors.Key(e);

    // The reference's forward model sums in a fixed order; libtorch's kernels use others.
    public const double Rtol = 1e-5, Atol = 1e-6;
}
