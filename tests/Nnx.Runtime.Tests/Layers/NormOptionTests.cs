using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Layers;

/// <summary>
/// NNX's arguments of <c>nnx.LayerNorm</c> and <c>nnx.RMSNorm</c> on <see cref="LayerNorm"/> and <see cref="RMSNorm"/>:
/// the forward <c>mask</c>, <c>use_fast_variance</c>, <c>use_scale</c>/<c>use_bias</c>, and statistics in the
/// promoted type, each against the formula in double precision.
/// </summary>
public class NormOptionTests
{
    // (x - mean) / sqrt(var + eps) over the given elements, applied to every element of the row.
    private static float[] Normalised(double[] row, bool[] kept, double epsilon = 1e-6)
    {
        double[] used = row.Where((_, i) => kept[i]).ToArray();
        double mean = used.Average(), variance = used.Average(v => (v - mean) * (v - mean));
        return row.Select(v => (float)((v - mean) / Math.Sqrt(variance + epsilon))).ToArray();
    }

    [Fact]
    public void LayerNorm_s_mask_takes_the_statistics_over_the_kept_elements_and_normalises_all()
    {
        using var norm = new LayerNorm(4, new Rngs(0));
        double[] row = [1, 2, 4, 100];
        using Tensor x = torch.tensor(row).to(ScalarType.Float32).reshape(1, 4);
        using Tensor mask = torch.tensor(new[] { true, true, true, false });

        float[] y = LayerData.Values(norm.Forward(x, mask));

        LayerData.AssertClose(Normalised(row, [true, true, true, false]), y, 1e-5, 1e-5);
    }

    [Fact]
    public void An_infinite_element_outside_the_mask_does_not_reach_the_statistics()
    {
        using var layerNorm = new LayerNorm(4, new Rngs(0));
        using var rmsNorm = new RMSNorm(4, new Rngs(0));
        using Tensor x = torch.tensor(new float[] { 1, 2, 4, float.PositiveInfinity }).reshape(1, 4);
        using Tensor mask = torch.tensor(new[] { true, true, true, false });

        float[] layer = LayerData.Values(layerNorm.Forward(x, mask));
        float[] rms = LayerData.Values(rmsNorm.Forward(x, mask));

        LayerData.AssertClose(Normalised([1, 2, 4, 0], [true, true, true, false])[..3], layer[..3], 1e-5, 1e-5);
        double rootMeanSquare = Math.Sqrt((1 + 4 + 16) / 3.0 + 1e-6);
        LayerData.AssertClose([(float)(1 / rootMeanSquare), (float)(2 / rootMeanSquare), (float)(4 / rootMeanSquare)], rms[..3], 1e-5, 1e-5);
    }

    [Fact]
    public void A_mask_broadcasts_over_rows_and_a_wider_mask_is_rejected()
    {
        using var norm = new RMSNorm(2, new Rngs(0));
        using Tensor x = torch.tensor(new float[] { 3, 4, 6, 8 }).reshape(2, 2);
        using Tensor firstOnly = torch.tensor(new[] { true, false });

        float[] y = LayerData.Values(norm.Forward(x, firstOnly));
        var error = Assert.Throws<ArgumentException>(() => norm.Forward(x, torch.ones(new long[] { 3, 2 }, ScalarType.Bool)));

        // Each row divided by the root of its first element's square: 3 and 6.
        LayerData.AssertClose([1f, 4f / 3, 1f, 8f / 6], y, 1e-5, 1e-5);
        Assert.Contains("mask of shape [3, 2] does not broadcast to the input's [2, 2]", error.Message);
    }

    [Fact]
    public void The_exact_variance_survives_a_large_offset_that_the_fast_one_cancels_in_float32()
    {
        using var exact = new LayerNorm(3, new Rngs(0), useFastVariance: false);
        double[] row = [1000, 1000.0625, 1000.125];
        using Tensor x = torch.tensor(row).to(ScalarType.Float32);

        float[] y = LayerData.Values(exact.Forward(x));

        LayerData.AssertClose(Normalised(row, [true, true, true]), y, 1e-4, 1e-4);
    }

    [Fact]
    public void Float64_parameters_make_the_statistics_float64_as_NNX_promotes_the_input_first()
    {
        // In float32, E[x^2] - E[x]^2 of 10000, 10001, 10002 loses the variance; NNX computes in the promoted float64.
        using var norm = new LayerNorm(3, new Rngs(0), paramDtype: ScalarType.Float64);
        double[] row = [10000, 10001, 10002];
        using Tensor x = torch.tensor(row).to(ScalarType.Float32);

        using Tensor y = norm.Forward(x);

        Assert.Equal(ScalarType.Float64, y.dtype);
        LayerData.AssertClose(Normalised(row, [true, true, true]), LayerData.Values(y), 1e-6, 1e-6);
    }

    [Fact]
    public void Without_scale_and_bias_no_key_is_drawn_and_the_output_is_the_normalised_input()
    {
        var rngs = new Rngs(0);
        using var layerNorm = new LayerNorm(3, rngs, useScale: false, useBias: false);
        using var rmsNorm = new RMSNorm(3, rngs, useScale: false);
        using Tensor x = torch.tensor(new float[] { 1, 2, 6 });

        float[] layer = LayerData.Values(layerNorm.Forward(x));
        float[] rms = LayerData.Values(rmsNorm.Forward(x));

        Assert.Equal(0u, rngs.Count("params"));
        Assert.Empty(layerNorm.GetState());
        Assert.Empty(rmsNorm.GetState());
        LayerData.AssertClose(Normalised([1, 2, 6], [true, true, true]), layer, 1e-5, 1e-5);
        double root = Math.Sqrt((1 + 4 + 36) / 3.0 + 1e-6);
        LayerData.AssertClose([(float)(1 / root), (float)(2 / root), (float)(6 / root)], rms, 1e-5, 1e-5);
    }

    [Fact]
    public void The_dtype_option_sets_the_output_type()
    {
        using var layerNorm = new LayerNorm(3, new Rngs(0), dtype: ScalarType.BFloat16);
        using var rmsNorm = new RMSNorm(3, new Rngs(0), dtype: ScalarType.Float64);
        using Tensor x = torch.tensor(new float[] { 1, 2, 6 });

        using Tensor layer = layerNorm.Forward(x);
        using Tensor rms = rmsNorm.Forward(x);

        Assert.Equal(ScalarType.BFloat16, layer.dtype);
        Assert.Equal(ScalarType.Float64, rms.dtype);
        LayerData.AssertClose(Normalised([1, 2, 6], [true, true, true]), LayerData.Values(layer), 1e-2, 1e-2);
    }
}
