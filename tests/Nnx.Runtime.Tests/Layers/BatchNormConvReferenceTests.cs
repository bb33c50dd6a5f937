using System;
using System.Linq;
using System.Text.Json;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Layers;

/// <summary>
/// The <c>nnx.BatchNorm</c> and <c>nnx.Conv</c> reference (<c>layers-ref.json</c>) checked against independent
/// computations: BatchNorm's formula in double precision, and libtorch's <c>conv1d</c>/<c>conv2d</c> with NNX's
/// layout and padding forms translated (the recipe for the <c>Nnx.Conv</c> layer of issue 15).
/// </summary>
public class BatchNormConvReferenceTests(ITestOutputHelper output)
{
    [Fact]
    public void BatchNorm_draws_a_scale_and_a_bias_key_and_none_for_its_statistics()
    {
        JsonElement c = LayersRef.Section("batch_norm");
        var rngs = new Rngs(0);

        PrngKey[] keys = [rngs.Params(), rngs.Params()];

        Assert.Equal(c.GetProperty("keys").EnumerateArray().Select(LayersRef.Key), keys);
        Assert.Equal(new double[] { 0, 0, 0 }, c.GetProperty("mean").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(new double[] { 1, 1, 1 }, c.GetProperty("var").EnumerateArray().Select(e => e.GetDouble()));
    }

    [Fact]
    public void BatchNorm_training_steps_and_eval_match_the_formula_with_momentum()
    {
        JsonElement c = LayersRef.Section("batch_norm");
        double momentum = c.GetProperty("momentum").GetDouble(), epsilon = c.GetProperty("epsilon").GetDouble();
        double[] mean = [0, 0, 0], variance = [1, 1, 1];

        foreach (JsonElement step in c.GetProperty("steps").EnumerateArray())
        {
            float[] x = LayersRef.Floats(step.GetProperty("x"));
            bool train = step.GetProperty("mode").GetString() == "train";
            double[] useMean = mean, useVariance = variance;
            if (train)
            {
                useMean = Enumerable.Range(0, 3).Select(j => Enumerable.Range(0, 4).Average(r => (double)x[r * 3 + j])).ToArray();
                useVariance = Enumerable.Range(0, 3).Select(j => Enumerable.Range(0, 4).Average(r => Math.Pow(x[r * 3 + j] - useMean[j], 2))).ToArray();
                mean = mean.Zip(useMean, (old, batch) => momentum * old + (1 - momentum) * batch).ToArray();
                variance = variance.Zip(useVariance, (old, batch) => momentum * old + (1 - momentum) * batch).ToArray();
            }
            float[] y = x.Select((v, i) => (float)((v - useMean[i % 3]) / Math.Sqrt(useVariance[i % 3] + epsilon))).ToArray();

            LayerData.AssertClose(LayersRef.Floats(step.GetProperty("y")), y, 1e-5, 1e-5);
            LayerData.AssertClose(LayersRef.Floats(step.GetProperty("mean_after")), mean.Select(v => (float)v).ToArray(), 1e-5, 1e-7);
            LayerData.AssertClose(LayersRef.Floats(step.GetProperty("var_after")), variance.Select(v => (float)v).ToArray(), 1e-5, 1e-7);
        }
    }

    public static TheoryData<int> ConvCases => new(Enumerable.Range(0, LayersRef.Section("conv").GetArrayLength()));

    [Fact]
    public void Conv_kernels_are_lecun_normal_over_kernel_size_in_out_from_the_first_params_key()
    {
        var tally = new FloatTally("conv kernels");
        foreach (JsonElement c in LayersRef.Section("conv").EnumerateArray())
        {
            var rngs = new Rngs(c.GetProperty("seed").GetInt64());
            PrngKey key = rngs.Params();
            using Tensor kernel = Initializer.Parse("lecun_normal").Create(key, JaxVectors.Longs(c.GetProperty("kernel_shape")));

            Assert.Equal(LayersRef.Key(c.GetProperty("kernel_key")), key);
            tally.Add(LayersRef.Floats(c.GetProperty("kernel")), LayerData.Values(kernel));
        }
        tally.Report(output, minimumValues: 300);
    }

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Conv_forward_equals_libtorch_on_the_channels_first_layout_with_NNX_s_padding(int index)
    {
        JsonElement c = LayersRef.Section("conv")[index];
        JsonElement options = c.GetProperty("options");
        long[] kernelSize = JaxVectors.Longs(c.GetProperty("kernel_size"));
        int rank = kernelSize.Length;
        long stride = options.TryGetProperty("strides", out JsonElement s) ? s.GetInt64() : 1;
        long dilation = options.TryGetProperty("kernel_dilation", out JsonElement d) ? d.GetInt64() : 1;
        long groups = options.TryGetProperty("feature_group_count", out JsonElement g) ? g.GetInt64() : 1;
        using Tensor x = LayersRef.Tensor(c.GetProperty("x"), c.GetProperty("x_shape"));
        using Tensor kernel = LayersRef.Tensor(c.GetProperty("kernel"), c.GetProperty("kernel_shape"));

        // (batch, *spatial, in) -> (batch, in, *spatial); (*kernelSize, in/groups, out) -> (out, in/groups, *kernelSize)
        using Tensor input = x.permute([0, rank + 1, .. Enumerable.Range(1, rank).Select(i => (long)i)]);
        using Tensor weight = kernel.permute([rank + 1, rank, .. Enumerable.Range(0, rank).Select(i => (long)i)]);
        using Tensor padded = Pad(input, options.GetProperty("padding"), kernelSize, stride, dilation);
        using Tensor y = rank == 1
            ? torch.nn.functional.conv1d(padded, weight, stride: stride, dilation: dilation, groups: groups)
            : torch.nn.functional.conv2d(padded, weight, strides: [stride, stride], dilation: [dilation, dilation], groups: groups);
        using Tensor channelsLast = y.permute([0, .. Enumerable.Range(2, rank).Select(i => (long)i), 1]);

        Assert.Equal(JaxVectors.Longs(c.GetProperty("y_shape")), channelsLast.shape);
        LayerData.AssertClose(LayersRef.Floats(c.GetProperty("y")), LayerData.Values(channelsLast), LayersRef.Rtol, LayersRef.Atol);
    }

    // NNX's padding forms as explicit (low, high) pairs per spatial axis, applied with F.pad (last axis first).
    private static Tensor Pad(Tensor input, JsonElement padding, long[] kernelSize, long stride, long dilation)
    {
        int rank = kernelSize.Length;
        long[] spatial = input.shape[2..];
        long[] dilated = kernelSize.Select(k => (k - 1) * dilation + 1).ToArray();
        (long Low, long High)[] pairs;
        PaddingModes mode = PaddingModes.Constant;
        if (padding.ValueKind == JsonValueKind.Number)
            pairs = Enumerable.Repeat((padding.GetInt64(), padding.GetInt64()), rank).ToArray();
        else if (padding.ValueKind == JsonValueKind.Array)
            pairs = padding.EnumerateArray().Select(p => (p[0].GetInt64(), p[1].GetInt64())).ToArray();
        else
        {
            string form = padding.GetString()!;
            pairs = form switch
            {
                "VALID" => Enumerable.Repeat((0L, 0L), rank).ToArray(),
                "SAME" => spatial.Select((n, i) =>
                {
                    long total = Math.Max(((n + stride - 1) / stride - 1) * stride + dilated[i] - n, 0);
                    return (total / 2, total - total / 2);
                }).ToArray(),
                "CIRCULAR" => dilated.Select(k => ((k - 1) / 2, k / 2)).ToArray(),
                "CAUSAL" => [(dilation * (kernelSize[0] - 1), 0L)],
                _ => throw new ArgumentException($"unknown padding {form}"),
            };
            if (form == "CIRCULAR") mode = PaddingModes.Circular;
        }
        long[] pad = pairs.Reverse().SelectMany(p => new[] { p.Low, p.High }).ToArray();
        return torch.nn.functional.pad(input, pad, mode);
    }
}
