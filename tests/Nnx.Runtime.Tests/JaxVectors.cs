using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Nnx;

namespace Nnx.Runtime.Tests;

/// <summary>Reads <c>Data/jax-vectors.json</c> and <c>Data/jax-vectors-16bit.json</c> (origin in <c>Data/ORIGIN.md</c>).</summary>
internal static class JaxVectors
{
    private static readonly Lazy<JsonDocument> Document = new(() => Load("jax-vectors.json"));
    private static readonly Lazy<JsonDocument> Document16 = new(() => Load("jax-vectors-16bit.json"));

    public static IEnumerable<JsonElement> Section(string name) => Document.Value.RootElement.GetProperty(name).EnumerateArray();

    /// <summary>A section of the float16/bfloat16 vectors.</summary>
    public static IEnumerable<JsonElement> Section16(string name) => Document16.Value.RootElement.GetProperty(name).EnumerateArray();

    public static JsonElement Root => Document.Value.RootElement;

    /// <summary>16-bit patterns written as hex strings.</summary>
    public static ushort[] Hex16Array(JsonElement e) => HexArray(e).Select(b => (ushort)b).ToArray();

    private static JsonDocument Load(string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", file)));

    public static uint Hex(JsonElement e) => uint.Parse(e.GetString()!.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public static uint[] HexArray(JsonElement e) => e.EnumerateArray().Select(Hex).ToArray();

    public static PrngKey Key(JsonElement e)
    {
        uint[] words = HexArray(e);
        return new PrngKey(words[0], words[1]);
    }

    public static long[] Longs(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt64()).ToArray();

    /// <summary>Expected float32 values from their bit patterns (exact, unlike the 9-digit decimal copies).</summary>
    public static float[] FloatsFromBits(JsonElement e) => HexArray(e).Select(BitConverter.UInt32BitsToSingle).ToArray();

    /// <summary>Distance in units in the last place between two float32 values (0 when bit-identical).</summary>
    public static long UlpDistance(float a, float b)
    {
        static long Ordered(float f)
        {
            int bits = BitConverter.SingleToInt32Bits(f);
            return bits < 0 ? int.MinValue - (long)bits : bits;
        }
        return Math.Abs(Ordered(a) - Ordered(b));
    }
}
