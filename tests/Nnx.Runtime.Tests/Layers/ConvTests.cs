using System;
using System.Linq;
using System.Text.Json;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Layers;

/// <summary>
/// <see cref="Conv"/> against <c>nnx.Conv</c>: kernels bit for bit, forward values of every padding, stride, dilation,
/// group and batch form in <c>layers-ref.json</c> and <c>conv-bn-ref.json</c>, dtypes, gradients and bad arguments.
/// </summary>
public class ConvTests(ITestOutputHelper output)
{
    public static TheoryData<string, int> Cases => ConvBnRef.ConvCases();

    [Fact]
    public void Kernels_are_bit_identical_to_nnx_Conv_in_every_reference_case()
    {
        var tally = new FloatTally("Conv kernels");
        foreach (var (file, index) in Cases.Select(row => ((string)row[0], (int)row[1])))
        {
            JsonElement c = ConvBnRef.ConvCase(file, index);
            var rngs = new Rngs(c.GetProperty("seed").GetInt64());
            using Conv conv = ConvBnRef.NewConv(c, rngs);

            Assert.Equal(JaxVectors.Longs(c.GetProperty("kernel_shape")), conv.Kernel.shape);
            tally.Add(LayersRef.Floats(c.GetProperty("kernel")), LayerData.Values(conv.Kernel));
            // The kernel key, then the bias key only with a bias (layers-ref.json's cases all have one).
            long expectedCount = c.TryGetProperty("params_count", out JsonElement count) ? count.GetInt64() : 2;
            Assert.Equal((uint)expectedCount, rngs.Count("params"));
        }
        tally.Report(output, minimumValues: 500);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_matches_nnx_Conv_for_each_padding_stride_dilation_group_and_batch_form(string file, int index)
    {
        JsonElement c = ConvBnRef.ConvCase(file, index);
        using Conv conv = ConvBnRef.NewConv(c);
        using Tensor x = ConvBnRef.Tensor(c.GetProperty("x"), c.GetProperty("x_shape"));

        using Tensor y = conv.Forward(x);

        output.WriteLine(c.GetProperty("module").GetString());
        Assert.Equal(JaxVectors.Longs(c.GetProperty("y_shape")), y.shape);
        Assert.Equal(ScalarType.Float32, y.dtype);
        // A kernel larger than the padded input leaves no output position, as lax's max(0, ...) output size.
        float[] values = y.numel() == 0 ? [] : LayerData.Values(y);
        LayerData.AssertClose(LayersRef.Floats(c.GetProperty("y")), values, LayersRef.Rtol, LayersRef.Atol);
    }

    [Fact]
    public void Without_a_bias_only_the_kernel_key_is_drawn_and_the_state_holds_the_kernel()
    {
        var rngs = new Rngs(0);
        using var conv = new Conv(3, 2, [2], rngs, useBias: false);
        using var withBias = new Conv(3, 2, [2], new Rngs(0));

        Assert.Null(conv.Bias);
        Assert.Equal(1u, rngs.Count("params"));
        Assert.Equal(new[] { "kernel" }, conv.GetState().Keys);
        Assert.Equal(new[] { "kernel", "bias" }, withBias.GetState().Keys);
        Assert.Equal(LayerData.Values(withBias.Kernel), LayerData.Values(conv.Kernel));
    }

    [Fact]
    public void Mixed_dtypes_compute_in_the_type_NNX_promotes_to()
    {
        using var conv = new Conv(3, 4, [3], new Rngs(0));
        using var conv16 = new Conv(3, 4, [3], new Rngs(0), paramDtype: ScalarType.Float16);
        // JAX draws float16 parameters natively, so the two layers' kernels differ; give them the same one.
        using (torch.no_grad()) conv16.Kernel.copy_(conv.Kernel);
        using var convBf16 = new Conv(3, 4, [3], new Rngs(0), dtype: ScalarType.BFloat16);
        using Tensor x = torch.arange(30, ScalarType.Float32).reshape(2, 5, 3).div(10);
        using Tensor ints = torch.arange(30, ScalarType.Int64).reshape(2, 5, 3);
        using Tensor y = conv.Forward(x);

        using Tensor y64 = conv.Forward(x.to(ScalarType.Float64));
        using Tensor yInts = conv.Forward(ints);
        using Tensor y16 = conv16.Forward(x);
        using Tensor yBf16 = convBf16.Forward(x);

        Assert.Equal(ScalarType.Float64, y64.dtype);
        LayerData.AssertClose(LayerData.Values(y), LayerData.Values(y64), 1e-5, 1e-6);
        // Integers and float32 parameters compute in float32: the same as the converted input.
        Assert.Equal(ScalarType.Float32, yInts.dtype);
        Assert.Equal(LayerData.Values(conv.Forward(ints.to(ScalarType.Float32))), LayerData.Values(yInts));
        Assert.Equal(ScalarType.Float32, y16.dtype);
        LayerData.AssertClose(LayerData.Values(y), LayerData.Values(y16), 2e-3, 2e-3);
        Assert.Equal(ScalarType.BFloat16, yBf16.dtype);
        LayerData.AssertClose(LayerData.Values(y), LayerData.Values(yBf16), 3e-2, 3e-2);
    }

    [Fact]
    public void Gradients_reach_the_kernel_in_NNX_layout_as_through_a_channels_first_libtorch_convolution()
    {
        using var conv = new Conv(3, 4, [3], new Rngs(0), strides: [2]);
        using Tensor x = torch.linspace(-1, 1, 2 * 7 * 3).reshape(2, 7, 3).requires_grad_(true);
        using Tensor weights = torch.linspace(1, 2, 2 * 4 * 4).reshape(2, 4, 4);
        using Tensor peerKernel = conv.Kernel.detach().clone().requires_grad_(true);
        using Tensor peerX = x.detach().clone().requires_grad_(true);

        using (Tensor loss = conv.Forward(x).mul(weights).sum()) loss.backward();
        // SAME with stride 2 on 7 elements: 4 outputs, padding (1, 1).
        using Tensor peer = torch.nn.functional.conv1d(peerX.permute(0, 2, 1), peerKernel.permute(2, 1, 0), conv.Bias, stride: 2, padding: 1);
        using (Tensor loss = peer.permute(0, 2, 1).mul(weights).sum()) loss.backward();

        Assert.Equal(conv.Kernel.shape, conv.Kernel.grad!.shape);
        LayerData.AssertClose(LayerData.Values(peerKernel.grad!), LayerData.Values(conv.Kernel.grad!), 1e-5, 1e-5);
        LayerData.AssertClose(LayerData.Values(peerX.grad!), LayerData.Values(x.grad!), 1e-5, 1e-5);
    }

    [Fact]
    public void Clone_and_a_checkpoint_carry_the_kernel_and_the_options()
    {
        using var folder = new CheckpointTests.TempFolder();
        string path = folder.File("conv.safetensors");
        using var conv = new Conv(2, 3, [2, 3], new Rngs(0), strides: [2, 1], padding: "CIRCULAR");
        using var other = new Conv(2, 3, [2, 3], new Rngs(7), strides: [2, 1], padding: "CIRCULAR");
        using Tensor x = torch.linspace(-2, 2, 5 * 4 * 2).reshape(1, 5, 4, 2);
        using Tensor y = conv.Forward(x);

        using Conv clone = conv.Clone();
        conv.SaveCheckpoint(path);
        other.LoadCheckpoint(path);

        Assert.Equal("CIRCULAR", clone.Padding);
        Assert.Equal(new long[] { 2, 1 }, clone.Strides);
        Assert.Equal(LayerData.Values(y), LayerData.Values(clone.Forward(x)));
        Assert.Equal(LayerData.Values(y), LayerData.Values(other.Forward(x)));
    }

    [Fact]
    public void Bad_options_are_rejected_at_construction_with_the_value_and_the_fix()
    {
        static string Error(Func<Conv> create) => Assert.ThrowsAny<ArgumentException>(() => create().Dispose()).Message;

        Assert.Contains("has 0 spatial axes", Error(() => new Conv(3, 4, [], new Rngs(0))));
        Assert.Contains("has 4 spatial axes", Error(() => new Conv(3, 4, [2, 2, 2, 2], new Rngs(0))));
        Assert.Contains("'same_upper' is not one of", Error(() => new Conv(3, 4, [3], new Rngs(0), padding: "same_upper")));
        Assert.Contains("give one of them", Error(() => new Conv(3, 4, [3], new Rngs(0), padding: "VALID", explicitPadding: [1])));
        Assert.Contains("has 3 values for 2 spatial axes", Error(() => new Conv(3, 4, [3, 3], new Rngs(0), explicitPadding: [1, 2, 3])));
        Assert.Contains("only defined for 1-D", Error(() => new Conv(3, 4, [3, 3], new Rngs(0), padding: "CAUSAL")));
        Assert.Contains("needs explicitPadding", Error(() => new Conv(3, 4, [3], new Rngs(0), inputDilation: [2])));
        Assert.Contains("strides [0]", Error(() => new Conv(3, 4, [3], new Rngs(0), strides: [0])));
        Assert.Contains("kernelDilation [1, 2, 3] has 3 values for 2", Error(() => new Conv(3, 4, [3, 3], new Rngs(0), kernelDilation: [1, 2, 3])));
        Assert.Contains("outFeatures (5) is not divisible by featureGroupCount (2)", Error(() => new Conv(4, 5, [3], new Rngs(0), featureGroupCount: 2)));
        Assert.Contains("inFeatures (3) is not divisible by featureGroupCount (2)", Error(() => new Conv(3, 4, [3], new Rngs(0), featureGroupCount: 2)));
    }

    [Fact]
    public void Bad_inputs_are_rejected_before_libtorch_sees_them()
    {
        using var conv = new Conv(3, 4, [3, 3], new Rngs(0), explicitPadding: [-3]);
        using var valid = new Conv(3, 4, [3, 3], new Rngs(0), padding: "CIRCULAR");

        var features = Assert.Throws<ArgumentException>(() => conv.Forward(torch.ones(1, 5, 5, 2)));
        var rank = Assert.Throws<ArgumentException>(() => conv.Forward(torch.ones(5, 3)));
        var cropped = Assert.Throws<ArgumentException>(() => conv.Forward(torch.ones(1, 5, 5, 3)));
        var empty = Assert.Throws<ArgumentException>(() => valid.Forward(torch.ones(1, 0, 5, 3)));
        var device = Assert.Throws<ArgumentException>(() => conv.Forward(torch.ones([1, 9, 9, 3], device: torch.META)));

        Assert.Contains("(*batch, 2 spatial axes, 3); got [1, 5, 5, 2]", features.Message);
        Assert.Contains("got [5, 3]", rank.Message);
        Assert.Contains("padding (-3, -3) crops more than the 5 elements", cropped.Message);
        Assert.Contains("'CIRCULAR' needs at least one element", empty.Message);
        Assert.Contains("share a device", device.Message);
    }
}
