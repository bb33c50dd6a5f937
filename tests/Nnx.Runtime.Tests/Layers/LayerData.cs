using System;
using System.Linq;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Layers;

/// <summary>The <c>layers</c> section of <c>Data/jax-vectors.json</c> and comparisons against it.</summary>
internal static class LayerData
{
    public static JsonElement Section(string name) => JaxVectors.Root.GetProperty("layers").GetProperty(name);

    public static float[] Values(Tensor t)
    {
        using Tensor cpu = t.detach().cpu().to(ScalarType.Float32).contiguous();
        return cpu.data<float>().ToArray();
    }

    /// <summary>How many elements are bit-identical to the expected float32 values.</summary>
    public static int ExactMatches(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        return expected.Zip(actual).Count(p => BitConverter.SingleToUInt32Bits(p.First) == BitConverter.SingleToUInt32Bits(p.Second));
    }

    /// <summary>numpy's <c>allclose</c>: |actual - expected| &lt;= atol + rtol * |expected| for every element.</summary>
    public static void AssertClose(float[] expected, float[] actual, double rtol, double atol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs((double)actual[i] - expected[i]);
            Assert.True(error <= atol + rtol * Math.Abs(expected[i]),
                $"element {i}: expected {expected[i]:R}, got {actual[i]:R} (error {error:E3} > atol {atol} + rtol {rtol} * |expected|)");
        }
    }

    public static Tensor Tensor(JsonElement floats, long[] shape) =>
        torch.tensor(JaxVectors.FloatsFromBits(floats.GetProperty("bits")), shape);
}
