using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Layers;

/// <summary>
/// <see cref="MultiHeadAttention"/> as a Flax NNX user relies on it: state paths and shapes, the forward pass against
/// the attention formula written out here, masks, cross-attention, dropout in train and eval, gradients, dtypes,
/// Clone and checkpoints, and errors that name the bad value.
/// </summary>
public class MultiHeadAttentionTests
{
    // x (2, 3, 8): distinct rows, so every attention weight matters.
    private static Tensor X(long length = 3, long features = 8) =>
        torch.sin(torch.arange(2 * length * features, ScalarType.Float64).mul(0.37)).reshape(2, length, features).to(ScalarType.Float32);

    // Non-zero biases, so the formula below checks where each one is added.
    private static MultiHeadAttention WithBiases(MultiHeadAttention mha)
    {
        using (torch.no_grad())
        {
            foreach (var (bias, i) in new[] { mha.Query.Bias!, mha.Key.Bias!, mha.Value.Bias!, mha.Out.Bias! }.Select((b, i) => (b, i)))
                bias.copy_(torch.linspace(-0.3, 0.3, bias.numel()).reshape(bias.shape).add(0.1 * i));
        }
        return mha;
    }

    // softmax((x Wq + bq)(x Wk + bk)ᵀ / √d, masked) (x Wv + bv), then Wo, in float64 with einsum.
    private static Tensor Formula(MultiHeadAttention mha, Tensor xq, Tensor? xkv = null, Tensor? attend = null)
    {
        xkv ??= xq;
        Tensor Project(LinearToHeads p, Tensor x) =>
            torch.einsum("bti,ihd->bthd", x.to(ScalarType.Float64), p.Kernel.detach().to(ScalarType.Float64))
                .add(p.Bias is null ? torch.zeros(1, ScalarType.Float64) : p.Bias.detach().to(ScalarType.Float64));
        Tensor q = Project(mha.Query, xq), k = Project(mha.Key, xkv), v = Project(mha.Value, xkv);
        Tensor logits = torch.einsum("bthd,bshd->bhts", q, k).div(Math.Sqrt(mha.HeadDim));
        if (attend is not null) logits = logits.masked_fill(attend.logical_not(), double.NegativeInfinity);
        Tensor y = torch.einsum("bhts,bshd->bthd", logits.softmax(-1), v);
        Tensor o = torch.einsum("bthd,hdo->bto", y, mha.Out.Kernel.detach().to(ScalarType.Float64));
        return mha.Out.Bias is null ? o : o.add(mha.Out.Bias.detach().to(ScalarType.Float64));
    }

    private static void AssertMatches(Tensor expected, Tensor actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.shape, actual.shape);
        LayerData.AssertClose(LayerData.Values(expected), LayerData.Values(actual), tolerance, tolerance);
    }

    [Fact]
    public void State_paths_and_shapes_are_NNX_s_in_NNX_s_order()
    {
        using var mha = new MultiHeadAttention(4, 8, new Rngs(0), qkvFeatures: 12, outFeatures: 5, normalizeQk: true, dropoutRate: 0.1);

        var state = mha.GetState();

        Assert.Equal(new[]
        {
            "query.kernel", "query.bias", "key.kernel", "key.bias", "value.kernel", "value.bias",
            "query_ln.scale", "key_ln.scale", "out.kernel", "out.bias", "rngs.key", "rngs.count",
        }, state.Keys);
        Assert.Equal(new long[] { 8, 4, 3 }, mha.Query.Kernel.shape);
        Assert.Equal(new long[] { 4, 3 }, mha.Query.Bias!.shape);
        Assert.Equal(new long[] { 4, 3, 5 }, mha.Out.Kernel.shape);
        Assert.Equal(3L, mha.HeadDim);
        Assert.Equal(8 * 12 * 3 + 12 * 3 + 3 + 3 + 12 * 5 + 5, mha.ParameterCount);
    }

    [Fact]
    public void Self_attention_is_the_attention_formula_with_every_bias_in_its_place()
    {
        using var mha = WithBiases(new MultiHeadAttention(2, 8, new Rngs(1)));
        using Tensor x = X();

        AssertMatches(Formula(mha, x), mha.Forward(x));
    }

    [Fact]
    public void A_causal_flag_and_a_causal_mask_both_give_the_triangle_formula()
    {
        using var mha = WithBiases(new MultiHeadAttention(2, 8, new Rngs(2)));
        using Tensor x = X(length: 4);
        using Tensor triangle = torch.ones(4, 4, ScalarType.Bool).tril();
        using Tensor causalMask = AttentionMasks.MakeCausalMask(x.select(-1, 0), dtype: ScalarType.Bool);

        Tensor expected = Formula(mha, x, attend: triangle);

        AssertMatches(expected, mha.Forward(x, isCausal: true));
        AssertMatches(expected, mha.Forward(x, mask: causalMask));
    }

    [Fact]
    public void Cross_attention_reads_keys_and_values_of_another_width_and_length()
    {
        using var mha = WithBiases(new MultiHeadAttention(2, 8, new Rngs(3), inKvFeatures: 6, outFeatures: 4));
        using Tensor xq = X(length: 3), xkv = X(length: 5, features: 6);

        using Tensor y = mha.Forward(xq, xkv);

        Assert.Equal(new long[] { 2, 3, 4 }, y.shape);
        AssertMatches(Formula(mha, xq, xkv), y);
    }

    [Fact]
    public void A_padding_mask_hides_the_padded_keys()
    {
        using var mha = new MultiHeadAttention(2, 8, new Rngs(4));
        using Tensor x = X(length: 4);
        // The second sequence has two real tokens: its queries may read keys 0 and 1 only.
        using Tensor valid = torch.tensor(new[] { true, true, true, true, true, true, false, false }).reshape(2, 4);
        using Tensor mask = AttentionMasks.MakeAttentionMask(torch.ones(2, 4, ScalarType.Bool), valid, dtype: ScalarType.Bool);

        AssertMatches(Formula(mha, x, attend: mask), mha.Forward(x, mask: mask));
    }

    [Fact]
    public void Dropout_draws_from_the_module_s_stream_in_training_and_stops_in_eval()
    {
        using var mha = new MultiHeadAttention(2, 8, new Rngs(5), dropoutRate: 0.5);
        using Tensor x = X();
        using Tensor clean = Formula(mha, x);

        using Tensor first = mha.Forward(x), second = mha.Forward(x);
        Assert.Equal(2u, mha.Stream!.Count);
        Assert.False(first.allclose(second));
        Assert.False(first.to(ScalarType.Float64).allclose(clean, 1e-4, 1e-4));

        AssertMatches(clean, mha.Forward(x, deterministic: true));
        mha.eval();
        Assert.True(mha.Deterministic);
        AssertMatches(clean, mha.Forward(x));
        Assert.Equal(2u, mha.Stream.Count);
    }

    [Fact]
    public void Without_kept_rngs_training_dropout_needs_call_rngs_and_says_so()
    {
        using var mha = new MultiHeadAttention(2, 8, new Rngs(6), dropoutRate: 0.2, keepRngs: false);
        using Tensor x = X();
        var rngs = new Rngs(0, ("dropout", 3));

        var error = Assert.Throws<ArgumentException>(() => mha.Forward(x));
        using Tensor y = mha.Forward(x, rngs: rngs);

        Assert.Null(mha.Stream);
        Assert.Contains("pass rngs to Forward", error.Message);
        Assert.Equal(1u, rngs.Count("dropout"));
        Assert.Equal(x.shape, y.shape);
    }

    [Fact]
    public void Gradients_reach_every_projection_as_through_the_formula()
    {
        using var mha = WithBiases(new MultiHeadAttention(2, 8, new Rngs(7)));
        using Tensor x = X();
        using Tensor weights = torch.linspace(-1, 1, 2 * 3 * 8).reshape(2, 3, 8);
        var peer = new[] { mha.Query.Kernel, mha.Key.Kernel, mha.Value.Kernel, mha.Out.Kernel, mha.Query.Bias! }
            .Select(p => p.detach().clone().requires_grad_(true)).ToArray();

        using (Tensor loss = mha.Forward(x, isCausal: true).mul(weights).sum()) loss.backward();
        Tensor Heads(Tensor kernel, Tensor bias) => torch.einsum("bti,ihd->bthd", x, kernel).add(bias);
        Tensor q = Heads(peer[0], peer[4]), k = Heads(peer[1], mha.Key.Bias!.detach()), v = Heads(peer[2], mha.Value.Bias!.detach());
        Tensor w = torch.einsum("bthd,bshd->bhts", q, k).div(2.0).masked_fill(torch.ones(3, 3, ScalarType.Bool).tril().logical_not(), double.NegativeInfinity).softmax(-1);
        Tensor o = torch.einsum("bhts,bshd,hdo->bto", w, v, peer[3]).add(mha.Out.Bias!.detach());
        using (Tensor loss = o.mul(weights).sum()) loss.backward();

        foreach (var (mine, theirs) in new[] { mha.Query.Kernel, mha.Key.Kernel, mha.Value.Kernel, mha.Out.Kernel, mha.Query.Bias! }.Zip(peer))
            LayerData.AssertClose(LayerData.Values(theirs.grad!), LayerData.Values(mine.grad!), 1e-4, 1e-5);
    }

    [Fact]
    public void Mixed_dtypes_compute_in_the_type_NNX_promotes_to()
    {
        using var mha = new MultiHeadAttention(2, 8, new Rngs(8));
        using var bf16 = new MultiHeadAttention(2, 8, new Rngs(8), dtype: ScalarType.BFloat16);
        using Tensor x = X();
        using Tensor expected = Formula(mha, x);

        using Tensor y64 = mha.Forward(x.to(ScalarType.Float64));
        using Tensor yMixed = mha.Forward(x, x.to(ScalarType.Float64));
        using Tensor yBf16 = bf16.Forward(x);

        Assert.Equal(ScalarType.Float64, y64.dtype);
        AssertMatches(expected, y64, 1e-6);
        Assert.Equal(ScalarType.Float64, yMixed.dtype);
        AssertMatches(expected, yMixed, 1e-6);
        Assert.Equal(ScalarType.BFloat16, yBf16.dtype);
        AssertMatches(expected, yBf16, 5e-2);
    }

    [Fact]
    public void It_is_a_TorchSharp_module_that_goes_into_Sequential()
    {
        using var mha = new MultiHeadAttention(2, 8, new Rngs(9));
        using Tensor x = X();
        var seq = torch.nn.Sequential(("attn", mha), ("act", torch.nn.Tanh()));

        using Tensor y = seq.call(x);

        AssertMatches(Formula(mha, x).tanh(), y);
    }

    [Fact]
    public void Clone_and_a_checkpoint_carry_the_kernels_the_options_and_the_dropout_stream()
    {
        using var folder = new CheckpointTests.TempFolder();
        string path = folder.File("mha.safetensors");
        using var mha = new MultiHeadAttention(4, 8, new Rngs(10), qkvFeatures: 16, numKvHeads: 2, normalizeQk: true, dropoutRate: 0.3);
        using var other = new MultiHeadAttention(4, 8, new Rngs(11), qkvFeatures: 16, numKvHeads: 2, normalizeQk: true, dropoutRate: 0.3);
        using Tensor x = X();
        mha.Forward(x).Dispose();

        using MultiHeadAttention clone = mha.Clone();
        mha.SaveCheckpoint(path);
        other.LoadCheckpoint(path);

        Assert.Equal((4, 2, 16L, true, 0.3), (clone.NumHeads, clone.NumKvHeads, clone.QkvFeatures, clone.NormalizeQk, clone.DropoutRate));
        using Tensor y = mha.Forward(x);
        Assert.Equal(LayerData.Values(y), LayerData.Values(clone.Forward(x)));
        Assert.Equal(LayerData.Values(y), LayerData.Values(other.Forward(x)));
    }

    [Fact]
    public void Bad_options_are_rejected_at_construction_with_the_value_and_the_fix()
    {
        static string Error(Func<MultiHeadAttention> create) => Assert.ThrowsAny<ArgumentException>(() => create().Dispose()).Message;

        Assert.Contains("is not divisible by numHeads (3)", Error(() => new MultiHeadAttention(3, 8, new Rngs(0))));
        Assert.Contains("numKvHeads (3) must divide numHeads (4)", Error(() => new MultiHeadAttention(4, 8, new Rngs(0), numKvHeads: 3)));
        Assert.Contains("dropoutRate 1 must be in [0, 1)", Error(() => new MultiHeadAttention(2, 8, new Rngs(0), dropoutRate: 1.0)));
        Assert.Contains("numHeads is 0", Error(() => new MultiHeadAttention(0, 8, new Rngs(0))));
    }

    [Fact]
    public void Bad_inputs_are_rejected_before_libtorch_sees_them()
    {
        using var mha = new MultiHeadAttention(2, 8, new Rngs(0));
        using Tensor x = X();

        var width = Assert.Throws<ArgumentException>(() => mha.Forward(torch.ones(2, 3, 7)));
        var rank = Assert.Throws<ArgumentException>(() => mha.Forward(torch.ones(8)));
        var valuesAlone = Assert.Throws<ArgumentException>(() => mha.Forward(x, inputsV: x));
        var batch = Assert.Throws<ArgumentException>(() => mha.Forward(x, X().narrow(0, 0, 1)));
        var mask = Assert.Throws<ArgumentException>(() => mha.Forward(x, mask: torch.ones(2, 2, 3, 4, ScalarType.Bool)));
        var device = Assert.Throws<ArgumentException>(() => mha.Forward(torch.ones([2, 3, 8], device: torch.META)));
        var complex = Assert.Throws<ArgumentException>(() => mha.Forward(torch.ones(2, 3, 8, ScalarType.ComplexFloat32)));

        Assert.Contains("inputsQ of shape (batch..., length, 8); got [2, 3, 7]", width.Message);
        Assert.Contains("got [8]", rank.Message);
        Assert.Contains("inputsK cannot be null when inputsV is given", valuesAlone.Message);
        Assert.Contains("batch dimensions must match", batch.Message);
        Assert.Contains("does not broadcast to the attention weights", mask.Message);
        Assert.Contains("meta", device.Message);
        Assert.Contains("promote to ComplexFloat32. Pass real floating-point", complex.Message);
    }
}
