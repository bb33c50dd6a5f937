using System;
using System.Linq;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Layers;

/// <summary>
/// <see cref="BatchNorm"/> against <c>nnx.BatchNorm</c>: keys and initial state, training steps and evaluation from
/// <c>layers-ref.json</c> and <c>conv-bn-ref.json</c> (feature axis, mask, exact variance, scale and bias), the
/// training flag, dtypes, gradients against libtorch's <c>batch_norm</c>, state and bad input.
/// </summary>
public class BatchNormTests
{
    [Fact]
    public void Creates_the_statistics_first_then_draws_a_scale_and_a_bias_key_as_NNX()
    {
        JsonElement c = LayersRef.Section("batch_norm");
        var rngs = new Rngs(0);

        using var norm = new BatchNorm(3, rngs);

        Assert.Equal((uint)c.GetProperty("params_count").GetInt32(), rngs.Count("params"));
        Assert.Equal(new[] { "mean", "var", "scale", "bias" }, norm.GetState().Keys);
        Assert.Equal(new[] { VariableKind.BatchStat, VariableKind.BatchStat, VariableKind.Param, VariableKind.Param },
            norm.GetState().Values.Select(v => v.Kind));
        Assert.Equal(Doubles(c, "mean"), LayerData.Values(norm.Mean).Select(v => (double)v));
        Assert.Equal(Doubles(c, "var"), LayerData.Values(norm.Var).Select(v => (double)v));
        Assert.Equal(Doubles(c, "scale"), LayerData.Values(norm.Scale!).Select(v => (double)v));
        Assert.Equal(Doubles(c, "bias"), LayerData.Values(norm.Bias!).Select(v => (double)v));
        Assert.Equal((0.99, 1e-5), (norm.Momentum, norm.Epsilon));
        Assert.Equal(new[] { "scale", "bias" }, norm.named_parameters().Select(p => p.name));
        Assert.Equal(new[] { "mean", "var" }, norm.named_buffers().Select(b => b.name));
    }

    [Fact]
    public void The_statistics_stay_float32_whatever_the_parameter_dtype_as_NNX()
    {
        using var norm = new BatchNorm(3, new Rngs(0), paramDtype: ScalarType.Float64);

        Assert.Equal(ScalarType.Float64, norm.Scale!.dtype);
        Assert.Equal(ScalarType.Float32, norm.Mean.dtype);
        Assert.Equal(ScalarType.Float32, norm.Var.dtype);
    }

    // Training without a mask runs libtorch's fused kernel; a mask that keeps everything makes the layer compute NNX's
    // formulas itself. Both must match the reference.
    private static Tensor? KeepAll(bool composed) => composed ? torch.ones(1, ScalarType.Bool) : null;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Training_steps_and_evaluation_match_nnx_BatchNorm(bool composed)
    {
        JsonElement c = LayersRef.Section("batch_norm");
        using var norm = new BatchNorm(3, new Rngs(0));

        RunSteps(norm, c.GetProperty("steps"), KeepAll(composed));
    }

    [Theory]
    [InlineData("feature_axis_1_exact_variance", false)]
    [InlineData("feature_axis_1_exact_variance", true)]
    [InlineData("mask", true)]
    [InlineData("scale_and_bias", false)]
    [InlineData("scale_and_bias", true)]
    [InlineData("no_scale_no_bias", false)]
    [InlineData("no_scale_no_bias", true)]
    public void Other_axes_masks_variances_and_parameters_match_nnx_BatchNorm(string name, bool composed)
    {
        JsonElement c = ConvBnRef.Case("batch_norm", name);
        JsonElement o = c.GetProperty("options");
        var rngs = new Rngs(c.GetProperty("seed").GetInt64());
        using var norm = new BatchNorm(c.GetProperty("num_features").GetInt64(), rngs,
            momentum: Option(o, "momentum", 0.99), epsilon: Option(o, "epsilon", 1e-5),
            axis: o.TryGetProperty("axis", out JsonElement axis) ? axis.GetInt32() : -1,
            useFastVariance: !o.TryGetProperty("use_fast_variance", out JsonElement fast) || fast.GetBoolean(),
            useScale: !o.TryGetProperty("use_scale", out JsonElement scale) || scale.GetBoolean(),
            useBias: !o.TryGetProperty("use_bias", out JsonElement bias) || bias.GetBoolean());
        using (torch.no_grad())
        {
            if (c.GetProperty("scale").ValueKind == JsonValueKind.Array) norm.Scale!.copy_(torch.tensor(Doubles(c, "scale")));
            if (c.GetProperty("bias").ValueKind == JsonValueKind.Array) norm.Bias!.copy_(torch.tensor(Doubles(c, "bias")));
        }
        Tensor? mask = c.TryGetProperty("mask_rows", out JsonElement rows)
            ? torch.tensor(rows.EnumerateArray().Select(r => r.GetBoolean()).ToArray()).unsqueeze(1)
            : KeepAll(composed);

        Assert.Equal((uint)c.GetProperty("params_count").GetInt32(), rngs.Count("params"));
        RunSteps(norm, c.GetProperty("steps"), mask);
    }

    [Fact]
    public void Evaluation_uses_and_keeps_the_running_statistics_and_the_call_argument_wins_over_the_flag()
    {
        using var norm = new BatchNorm(2, new Rngs(0));
        using Tensor x = torch.tensor(new float[] { 1, 10, 3, 20, 5, 60 }).reshape(3, 2);
        norm.Forward(x).Dispose();
        float[] trained = LayerData.Values(norm.Mean);

        norm.eval();
        using Tensor evaluated = norm.Forward(x);
        float[] afterEval = LayerData.Values(norm.Mean);
        using Tensor forcedTraining = norm.Forward(x, useRunningAverage: false);
        float[] afterForced = LayerData.Values(norm.Mean);
        norm.train();
        norm.Forward(x, useRunningAverage: true).Dispose();

        // Columns [1, 3, 5] and [10, 20, 60]: batch means 3 and 30, biased variances 8/3 and 1400/3.
        double[] mean = [0.01 * 3, 0.01 * 30], variance = [0.99 + 0.01 * 8 / 3, 0.99 + 0.01 * 1400 / 3];
        LayerData.AssertClose(mean.Select(v => (float)v).ToArray(), trained, 1e-6, 1e-7);
        Assert.True(norm.training);
        Assert.Equal(trained, afterEval);
        Assert.NotEqual(afterEval, afterForced);
        Assert.Equal(afterForced, LayerData.Values(norm.Mean));
        // Evaluation normalises with the running statistics: (x - mean) / sqrt(var + eps).
        float[] expected = LayerData.Values(x).Select((v, i) => (float)((v - mean[i % 2]) / Math.Sqrt(variance[i % 2] + 1e-5))).ToArray();
        LayerData.AssertClose(expected, LayerData.Values(evaluated), 1e-5, 1e-5);
    }

    [Fact]
    public void The_useRunningAverage_option_starts_in_evaluation_and_the_property_sets_the_flag()
    {
        using var norm = new BatchNorm(2, new Rngs(0), useRunningAverage: true);

        Assert.True(norm.UseRunningAverage);
        Assert.False(norm.training);
        norm.UseRunningAverage = false;
        Assert.True(norm.training);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Output_and_gradients_equal_libtorch_batch_norm_whose_running_variance_is_unbiased_where_NNX_s_is_not(bool composed)
    {
        using var norm = new BatchNorm(3, new Rngs(0));
        using (torch.no_grad())
        {
            norm.Scale!.copy_(torch.tensor(new float[] { 0.5f, 2, -1 }));
            norm.Bias!.copy_(torch.tensor(new float[] { 0.1f, 0, -0.2f }));
        }
        using Tensor x = torch.linspace(-3, 5, 4 * 3).pow(2).reshape(4, 3).requires_grad_(true);
        using Tensor peerX = x.detach().clone().requires_grad_(true);
        using Tensor peerScale = norm.Scale!.detach().clone().requires_grad_(true);
        using Tensor runningMean = torch.zeros(3), runningVar = torch.ones(3);
        using Tensor weights = torch.linspace(1, 2, 12).reshape(4, 3);

        using Tensor y = norm.Forward(x, mask: KeepAll(composed));
        using (Tensor loss = y.mul(weights).sum()) loss.backward();
        using Tensor peer = torch.nn.functional.batch_norm(peerX, runningMean, runningVar, peerScale, norm.Bias!.detach(),
            training: true, momentum: 0.01, eps: 1e-5);
        using (Tensor loss = peer.mul(weights).sum()) loss.backward();

        LayerData.AssertClose(LayerData.Values(peer), LayerData.Values(y), 1e-5, 1e-5);
        LayerData.AssertClose(LayerData.Values(peerX.grad!), LayerData.Values(x.grad!), 1e-4, 1e-5);
        LayerData.AssertClose(LayerData.Values(peerScale.grad!), LayerData.Values(norm.Scale!.grad!), 1e-4, 1e-5);
        LayerData.AssertClose(LayerData.Values(runningMean), LayerData.Values(norm.Mean), 1e-6, 1e-7);
        using Tensor biased = x.detach().var([0L], unbiased: false);
        LayerData.AssertClose(LayerData.Values(biased.mul(0.01).add(0.99)), LayerData.Values(norm.Var), 1e-6, 1e-6);
        Assert.False(LayerData.Values(runningVar).SequenceEqual(LayerData.Values(norm.Var)));
    }

    [Fact]
    public void Mixed_dtypes_compute_in_the_type_NNX_promotes_to_and_the_statistics_stay_float32()
    {
        using var norm = new BatchNorm(2, new Rngs(0));
        using var bf16 = new BatchNorm(2, new Rngs(0), dtype: ScalarType.BFloat16);
        using Tensor x = torch.tensor(new double[] { 1, 10, 3, 20, 5, 60 }).reshape(3, 2);

        using Tensor y64 = norm.Forward(x);
        using Tensor yHalf = norm.Forward(x.to(ScalarType.Float16));
        using Tensor yInts = norm.Forward(x.to(ScalarType.Int64));
        using Tensor yBf16 = bf16.Forward(x.to(ScalarType.Float32));

        Assert.Equal(ScalarType.Float64, y64.dtype);
        // A half input meets the float32 statistics and parameters: float32, as jnp.promote_types says.
        Assert.Equal(ScalarType.Float32, yHalf.dtype);
        Assert.Equal(ScalarType.Float32, yInts.dtype);
        Assert.Equal(ScalarType.BFloat16, yBf16.dtype);
        Assert.Equal(ScalarType.Float32, norm.Mean.dtype);
        LayerData.AssertClose(LayerData.Values(y64), LayerData.Values(yInts), 1e-5, 1e-5);
        LayerData.AssertClose(LayerData.Values(y64), LayerData.Values(yBf16), 2e-2, 2e-2);
    }

    [Fact]
    public void A_vector_of_features_has_no_axis_to_average_over_so_it_normalises_to_the_bias()
    {
        using var norm = new BatchNorm(3, new Rngs(0));
        using (torch.no_grad()) norm.Bias!.copy_(torch.tensor(new float[] { 1, 2, 3 }));

        using Tensor y = norm.Forward(torch.tensor(new float[] { 4, -5, 6 }));

        // The batch variance of one element is 0 and the running variance moves to 0.99; the running mean is
        // f32(1 - 0.99) * x, rounded in float32 as JAX computes it.
        Assert.Equal(new float[] { 1, 2, 3 }, LayerData.Values(y));
        Assert.Equal(new[] { 4f, -5f, 6f }.Select(v => (float)(1 - 0.99) * v), LayerData.Values(norm.Mean));
        Assert.Equal(new float[] { 0.99f, 0.99f, 0.99f }, LayerData.Values(norm.Var));
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_the_value_and_the_expected_one()
    {
        using var norm = new BatchNorm(3, new Rngs(0), axis: 1);

        var size = Assert.Throws<ArgumentException>(() => norm.Forward(torch.ones(2, 4)));
        var axis = Assert.Throws<ArgumentException>(() => norm.Forward(torch.ones(3)));
        var complex = Assert.Throws<ArgumentException>(() => norm.Forward(torch.ones(2, 3, ScalarType.ComplexFloat32)));
        var mask = Assert.Throws<ArgumentException>(() => norm.Forward(torch.ones(2, 3), mask: torch.ones(2, 3)));
        var broadcast = Assert.Throws<ArgumentException>(() => norm.Forward(torch.ones(2, 3), mask: torch.ones(new long[] { 4, 3 }, ScalarType.Bool)));
        var momentum = Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm(3, new Rngs(0), momentum: 1.5));

        Assert.Contains("axis 1, which must have size 3; got an input of shape [2, 4]", size.Message);
        Assert.Contains("axis 1 is outside an input of shape [3]", axis.Message);
        Assert.Contains("takes real inputs; got ComplexFloat32", complex.Message);
        Assert.Contains("must be a bool tensor", mask.Message);
        Assert.Contains("mask of shape [4, 3] does not broadcast to the input's [2, 3]", broadcast.Message);
        Assert.Contains("momentum 1.5 is outside [0, 1]", momentum.Message);
        Assert.Equal(new float[] { 0, 0, 0 }, LayerData.Values(norm.Mean));
    }

    // Each step: training or evaluation as recorded, then the output and the running statistics after it.
    private static void RunSteps(BatchNorm norm, JsonElement steps, Tensor? mask = null)
    {
        foreach (JsonElement step in steps.EnumerateArray())
        {
            if (step.GetProperty("mode").GetString() == "train") norm.train(); else norm.eval();
            using Tensor x = LayersRef.Tensor(step.GetProperty("x"), step.GetProperty("x_shape"));

            using Tensor y = norm.Forward(x, mask: mask);

            LayerData.AssertClose(LayersRef.Floats(step.GetProperty("y")), LayerData.Values(y), LayersRef.Rtol, LayersRef.Atol);
            LayerData.AssertClose(LayersRef.Floats(step.GetProperty("mean_after")), LayerData.Values(norm.Mean), LayersRef.Rtol, LayersRef.Atol);
            LayerData.AssertClose(LayersRef.Floats(step.GetProperty("var_after")), LayerData.Values(norm.Var), LayersRef.Rtol, LayersRef.Atol);
        }
    }

    private static double[] Doubles(JsonElement c, string name) => c.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();

    private static double Option(JsonElement options, string name, double fallback) =>
        options.TryGetProperty(name, out JsonElement v) ? v.GetDouble() : fallback;
}
