using System;
using System.Linq;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Layers;

/// <summary><c>Nnx.Linear</c> against <c>nnx.Linear</c> (the <c>layers.linear*</c> vectors) and a hand-computed forward.</summary>
public class LinearTests
{
    public static TheoryData<int> Cases => new(Enumerable.Range(0, LayerData.Section("linear").GetArrayLength()));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Kernel_and_bias_equal_nnx_Linear_and_two_params_keys_are_drawn(int index)
    {
        JsonElement c = LayerData.Section("linear")[index];
        var rngs = new Rngs(c.GetProperty("seed").GetInt64());
        using var linear = new Linear(c.GetProperty("in_features").GetInt64(), c.GetProperty("out_features").GetInt64(), rngs);

        float[] expected = JaxVectors.FloatsFromBits(c.GetProperty("bits"));
        Assert.Equal(JaxVectors.Longs(c.GetProperty("kernel_shape")), linear.Kernel.shape);
        Assert.Equal(expected.Length, LayerData.ExactMatches(expected, LayerData.Values(linear.Kernel)));
        Assert.Equal(c.GetProperty("bias").EnumerateArray().Select(b => (float)b.GetDouble()), LayerData.Values(linear.Bias!));
        Assert.Equal(2u, rngs.Count("params"));   // kernel key (count 0), bias key (count 1), as bias_key_count says
    }

    [Fact]
    public void A_second_Linear_on_the_same_Rngs_gets_NNX_key_count_two()
    {
        JsonElement c = LayerData.Section("two_linear_layers");
        var rngs = new Rngs(0);
        using var layer1 = new Linear(5, 3, rngs);
        using var layer2 = new Linear(3, 2, rngs);

        float[] k1 = JaxVectors.FloatsFromBits(c.GetProperty("layer1_kernel").GetProperty("bits"));
        float[] k2 = JaxVectors.FloatsFromBits(c.GetProperty("layer2_kernel").GetProperty("bits"));
        Assert.Equal(k1.Length, LayerData.ExactMatches(k1, LayerData.Values(layer1.Kernel)));
        Assert.Equal(k2.Length, LayerData.ExactMatches(k2, LayerData.Values(layer2.Kernel)));
        Assert.Equal(4u, rngs.Count("params"));
    }

    [Fact]
    public void Forward_matches_the_JAX_reference_within_its_tolerance()
    {
        JsonElement c = LayerData.Section("linear_forward");
        using var linear = new Linear(5, 3, new Rngs(0));
        using Tensor x = LayerData.Tensor(c.GetProperty("x"), JaxVectors.Longs(c.GetProperty("x_shape")));

        using Tensor y = linear.Forward(x);

        Assert.Equal(JaxVectors.Longs(c.GetProperty("y_shape")), y.shape);
        LayerData.AssertClose(JaxVectors.FloatsFromBits(c.GetProperty("y").GetProperty("bits")), LayerData.Values(y), rtol: 1e-6, atol: 1e-6);
    }

    [Fact]
    public void Forward_equals_a_hand_computed_matmul_plus_bias_for_batched_inputs()
    {
        using var linear = new Linear(4, 3, new Rngs(5));
        using (torch.no_grad()) linear.Bias!.copy_(torch.tensor(new float[] { 0.5f, -1f, 2f }));
        using Tensor x = torch.arange(24, ScalarType.Float32).reshape(2, 3, 4).div(10f);
        float[] xs = LayerData.Values(x), w = LayerData.Values(linear.Kernel), b = LayerData.Values(linear.Bias);

        using Tensor y = linear.Forward(x);

        Assert.Equal(new long[] { 2, 3, 3 }, y.shape);
        var expected = new float[18];
        for (int r = 0; r < 6; r++)
            for (int j = 0; j < 3; j++)
                expected[r * 3 + j] = (float)(Enumerable.Range(0, 4).Sum(k => (double)xs[r * 4 + k] * w[k * 3 + j]) + b[j]);
        LayerData.AssertClose(expected, LayerData.Values(y), rtol: 1e-6, atol: 1e-6);
    }

    [Fact]
    public void Forward_rejects_an_input_of_the_wrong_width_naming_the_expected_one()
    {
        using var linear = new Linear(4, 3, new Rngs(5));

        var error = Assert.Throws<ArgumentException>(() => linear.Forward(torch.ones(2, 5)));

        Assert.Contains("[2, 5]", error.Message);
        Assert.Contains("(..., 4)", error.Message);
    }

    [Fact]
    public void Parameters_and_state_dict_are_kernel_then_bias()
    {
        using var linear = new Linear(4, 3, new Rngs(5));

        Assert.Equal(new[] { "kernel", "bias" }, linear.named_parameters().Select(p => p.name));
        Assert.Equal(new[] { "kernel", "bias" }, linear.state_dict().Keys);
        Assert.Equal(15, linear.ParameterCount);
    }

    [Fact]
    public void Gradients_reach_kernel_and_bias()
    {
        using var linear = new Linear(2, 2, new Rngs(5));
        using (Tensor loss = linear.Forward(torch.tensor(new float[] { 1f, 2f })).sum())
            loss.backward();

        Assert.Equal(new float[] { 1, 1, 2, 2 }, LayerData.Values(linear.Kernel.grad!));
        Assert.Equal(new float[] { 1, 1 }, LayerData.Values(linear.Bias!.grad!));
    }
}
