using System;
using System.Linq;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Layers;

/// <summary><c>LayerNorm</c> and <c>RMSNorm</c> against the <c>layers.layer_norm</c> vectors (rtol 1e-5, atol 1e-6, SPEC 16.7).</summary>
public class NormTests
{
    private static readonly JsonElement Data = LayerData.Section("layer_norm");

    private static Tensor X() => LayerData.Tensor(Data.GetProperty("x"), JaxVectors.Longs(Data.GetProperty("x_shape")));

    [Fact]
    public void LayerNorm_then_RMSNorm_draw_NNX_key_counts_and_start_at_ones_and_zeros()
    {
        var rngs = new Rngs(0);
        using var layerNorm = new LayerNorm(6, rngs);
        Assert.Equal(2u, rngs.Count("params"));   // layernorm_key_counts [0, 1]
        using var rmsNorm = new RMSNorm(6, rngs);
        Assert.Equal(3u, rngs.Count("params"));   // rmsnorm_key_counts [2]

        float[] ones = Data.GetProperty("scale").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
        float[] zeros = Data.GetProperty("bias").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
        Assert.Equal(ones, LayerData.Values(layerNorm.Scale!));
        Assert.Equal(zeros, LayerData.Values(layerNorm.Bias!));
        Assert.Equal(ones, LayerData.Values(rmsNorm.Scale!));
        Assert.Equal(Data.GetProperty("epsilon").GetDouble(), layerNorm.Epsilon);
        Assert.Equal(Data.GetProperty("epsilon").GetDouble(), rmsNorm.Epsilon);
    }

    [Fact]
    public void LayerNorm_forward_matches_JAX_within_tolerance()
    {
        using var layerNorm = new LayerNorm(6, new Rngs(0));
        using Tensor x = X();

        using Tensor y = layerNorm.Forward(x);

        Assert.Equal(x.shape, y.shape);
        float[] expected = JaxVectors.FloatsFromBits(Data.GetProperty("layernorm_eager").GetProperty("bits"));
        LayerData.AssertClose(expected, LayerData.Values(y), rtol: 1e-5, atol: 1e-6);
    }

    [Fact]
    public void RMSNorm_forward_matches_JAX_within_tolerance()
    {
        using var rmsNorm = new RMSNorm(6, new Rngs(0));
        using Tensor x = X();

        using Tensor y = rmsNorm.Forward(x);

        float[] expected = JaxVectors.FloatsFromBits(Data.GetProperty("rmsnorm_eager").GetProperty("bits"));
        LayerData.AssertClose(expected, LayerData.Values(y), rtol: 1e-5, atol: 1e-6);
    }

    [Fact]
    public void Scale_and_bias_apply_per_feature()
    {
        using var layerNorm = new LayerNorm(2, new Rngs(0));
        using (torch.no_grad())
        {
            layerNorm.Scale!.copy_(torch.tensor(new float[] { 2f, 3f }));
            layerNorm.Bias!.copy_(torch.tensor(new float[] { 10f, 20f }));
        }

        // Row [1, 3]: mean 2, variance 1, so the normalised row is [-1, 1] (up to epsilon).
        float[] y = LayerData.Values(layerNorm.Forward(torch.tensor(new float[] { 1f, 3f })));

        LayerData.AssertClose(new float[] { 8f, 23f }, y, rtol: 1e-5, atol: 1e-5);
    }

    [Fact]
    public void Epsilon_is_added_to_the_mean_square()
    {
        using var rmsNorm = new RMSNorm(2, new Rngs(0), epsilon: 3.0);

        // mean square of [1, 1] is 1; 1 / sqrt(1 + 3) = 0.5.
        float[] y = LayerData.Values(rmsNorm.Forward(torch.ones(2)));

        Assert.Equal(new float[] { 0.5f, 0.5f }, y);
    }

    [Fact]
    public void Parameters_are_scale_and_bias_for_LayerNorm_and_scale_for_RMSNorm()
    {
        using var layerNorm = new LayerNorm(4, new Rngs(0));
        using var rmsNorm = new RMSNorm(4, new Rngs(0));

        Assert.Equal(new[] { "scale", "bias" }, layerNorm.state_dict().Keys);
        Assert.Equal(new[] { "scale", "bias" }, layerNorm.named_parameters().Select(p => p.name));
        Assert.Equal(new[] { "scale" }, rmsNorm.state_dict().Keys);
    }

    [Fact]
    public void A_wrong_feature_size_is_rejected_naming_the_expected_size_and_the_shape()
    {
        using var layerNorm = new LayerNorm(4, new Rngs(0));

        var error = Assert.Throws<ArgumentException>(() => layerNorm.Forward(torch.ones(2, 3)));

        Assert.Contains("size 4", error.Message);
        Assert.Contains("[2, 3]", error.Message);
    }
}
