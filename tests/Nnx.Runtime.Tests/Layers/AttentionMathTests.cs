using System;
using System.Linq;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Layers;

/// <summary>
/// <see cref="Attention"/> against the reference (<c>layers-ref.json</c>, section <c>dot_product_attention</c>) and
/// against the formula <c>softmax(q kᵀ / √d + bias, masked) v</c> computed here in double precision.
/// </summary>
public class AttentionMathTests
{
    private static readonly JsonElement Ref = LayersRef.Section("dot_product_attention");

    private static Tensor Q => LayersRef.Tensor(Ref.GetProperty("q"), Ref.GetProperty("q_shape"));
    private static Tensor K => LayersRef.Tensor(Ref.GetProperty("k"), Ref.GetProperty("kv_shape"));
    private static Tensor V => LayersRef.Tensor(Ref.GetProperty("v"), Ref.GetProperty("kv_shape"));

    private static float[] Expected(string name) =>
        LayersRef.Floats(Ref.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name).GetProperty("y"));

    [Theory]
    [InlineData(AttentionKernel.Fused)]
    [InlineData(AttentionKernel.Explicit)]
    public void Plain_attention_matches_the_reference(AttentionKernel kernel)
    {
        using Tensor y = Attention.DotProductAttention(Q, K, V, kernel: kernel);

        Assert.Equal(new long[] { 1, 3, 2, 3 }, y.shape);
        LayerData.AssertClose(Expected("plain"), LayerData.Values(y), LayersRef.Rtol, LayersRef.Atol);
    }

    [Theory]
    [InlineData(AttentionKernel.Fused)]
    [InlineData(AttentionKernel.Explicit)]
    public void A_key_padding_mask_a_bias_and_causality_match_the_reference(AttentionKernel kernel)
    {
        long[] padding = JaxVectors.Longs(Ref.GetProperty("key_padding"));
        using Tensor mask = torch.tensor(padding.Select(p => p == 1).ToArray()).reshape(1, 1, 1, 4);
        using Tensor bias = LayersRef.Tensor(Ref.GetProperty("bias"), Ref.GetProperty("bias_shape"));

        using Tensor masked = Attention.DotProductAttention(Q, K, V, mask: mask, kernel: kernel);
        using Tensor biased = Attention.DotProductAttention(Q, K, V, bias: bias, kernel: kernel);
        using Tensor causal = Attention.DotProductAttention(Q, K, V, isCausal: true, kernel: kernel);

        LayerData.AssertClose(Expected("padding_mask"), LayerData.Values(masked), LayersRef.Rtol, LayersRef.Atol);
        LayerData.AssertClose(Expected("bias"), LayerData.Values(biased), LayersRef.Rtol, LayersRef.Atol);
        LayerData.AssertClose(Expected("causal"), LayerData.Values(causal), LayersRef.Rtol, LayersRef.Atol);
    }

    [Fact]
    public void A_mask_or_bias_of_rank_below_two_broadcasts_in_the_fused_kernel_as_in_the_explicit_one()
    {
        long[] padding = JaxVectors.Longs(Ref.GetProperty("key_padding"));
        using Tensor keys = torch.tensor(padding.Select(p => p == 1).ToArray());
        using Tensor bias = torch.linspace(-1, 1, 4);

        using Tensor masked = Attention.DotProductAttention(Q, K, V, mask: keys, kernel: AttentionKernel.Fused);
        using Tensor biased = Attention.DotProductAttention(Q, K, V, bias: bias, kernel: AttentionKernel.Fused);
        using Tensor scalar = Attention.DotProductAttention(Q, K, V, mask: torch.tensor(true), kernel: AttentionKernel.Fused);

        LayerData.AssertClose(Expected("padding_mask"), LayerData.Values(masked), LayersRef.Rtol, LayersRef.Atol);
        LayerData.AssertClose(LayerData.Values(Attention.DotProductAttention(Q, K, V, bias: bias, kernel: AttentionKernel.Explicit)),
            LayerData.Values(biased), LayersRef.Rtol, LayersRef.Atol);
        LayerData.AssertClose(Expected("plain"), LayerData.Values(scalar), LayersRef.Rtol, LayersRef.Atol);
    }

    [Theory]
    [InlineData("dropout", 0.5, true)]
    [InlineData("dropout_not_broadcast", 0.25, false)]
    public void Dropout_multiplies_the_weights_by_JAX_s_bernoulli_mask_as_the_reference(string name, double rate, bool broadcast)
    {
        PrngKey key = LayersRef.Key(Ref.GetProperty("dropout_key"));

        using Tensor y = Attention.DotProductAttention(Q, K, V, dropoutRate: rate, dropoutRng: key, broadcastDropout: broadcast);

        LayerData.AssertClose(Expected(name), LayerData.Values(y), LayersRef.Rtol, LayersRef.Atol);
    }

    [Fact]
    public void Deterministic_or_rate_zero_applies_no_dropout()
    {
        using Tensor plain = Attention.DotProductAttention(Q, K, V, kernel: AttentionKernel.Explicit);
        using Tensor deterministic = Attention.DotProductAttention(Q, K, V, dropoutRate: 0.5, deterministic: true, kernel: AttentionKernel.Explicit);

        Assert.Equal(LayerData.Values(plain), LayerData.Values(deterministic));
    }

    [Fact]
    public void Causal_weights_match_the_reference_and_are_zero_above_the_diagonal()
    {
        using Tensor w = Attention.DotProductAttentionWeights(Q, K, isCausal: true);

        Assert.Equal(new long[] { 1, 2, 3, 4 }, w.shape);
        float[] values = LayerData.Values(w);
        LayerData.AssertClose(Expected("weights_causal"), values, LayersRef.Rtol, LayersRef.Atol);
        for (int h = 0; h < 2; h++)
            for (int t = 0; t < 3; t++)
                for (int s = t + 1; s < 4; s++)
                    Assert.Equal(0f, values[(h * 3 + t) * 4 + s]);
    }

    [Theory]
    [InlineData(AttentionKernel.Fused)]
    [InlineData(AttentionKernel.Explicit)]
    public void Two_batch_axes_grouped_heads_a_mask_and_a_bias_equal_the_formula(AttentionKernel kernel)
    {
        // (batch 2, batch 2, length 3, heads 4, headDim 5) queries on (.., kvLength 6, kvHeads 2, ..) keys.
        using Tensor q = Uniform(1, 2, 2, 3, 4, 5), k = Uniform(2, 2, 2, 6, 2, 5), v = Uniform(3, 2, 2, 6, 2, 7);
        using Tensor bias = Uniform(4, 2, 1, 4, 3, 6);
        using Tensor mask = Uniform(5, 2, 2, 1, 3, 6).gt(-0.6);   // some keys masked, broadcast over heads

        using Tensor y = Attention.DotProductAttention(q, k, v, bias: bias, mask: mask, kernel: kernel);

        Assert.Equal(new long[] { 2, 2, 3, 4, 7 }, y.shape);
        LayerData.AssertClose(Formula(q, k, v, bias, mask, causal: false), LayerData.Values(y), 1e-5, 1e-6);
    }

    [Theory]
    [InlineData(AttentionKernel.Fused)]
    [InlineData(AttentionKernel.Explicit)]
    public void A_query_whose_keys_are_all_masked_gets_the_mean_of_the_values_as_in_JAX(AttentionKernel kernel)
    {
        using Tensor q = Uniform(6, 1, 2, 1, 3), k = Uniform(7, 1, 4, 1, 3), v = Uniform(8, 1, 4, 1, 2);
        using Tensor mask = torch.tensor(new[] { false, false, false, false, true, true, false, true }).reshape(1, 1, 2, 4);

        using Tensor y = Attention.DotProductAttention(q, k, v, mask: mask, kernel: kernel);

        using Tensor mean = v.mean([1L]);
        LayerData.AssertClose(LayerData.Values(mean), LayerData.Values(y[0, 0]), 1e-6, 1e-6);
        LayerData.AssertClose(Formula(q, k, v, null, mask, causal: false), LayerData.Values(y), 1e-5, 1e-6);
    }

    [Fact]
    public void Causal_attention_combined_with_a_padding_mask_equals_the_formula_in_both_kernels()
    {
        using Tensor q = Uniform(9, 2, 5, 2, 4), k = Uniform(10, 2, 5, 2, 4), v = Uniform(11, 2, 5, 2, 4);
        using Tensor ids = torch.tensor(new long[] { 3, 1, 4, 0, 0, 2, 7, 1, 8, 0 }).reshape(2, 5);
        using Tensor padding = AttentionMasks.MakeAttentionMask(ids.gt(0), ids.gt(0));

        using Tensor fused = Attention.DotProductAttention(q, k, v, mask: padding, isCausal: true, kernel: AttentionKernel.Fused);
        using Tensor explicitly = Attention.DotProductAttention(q, k, v, mask: padding, isCausal: true, kernel: AttentionKernel.Explicit);

        float[] expected = Formula(q, k, v, null, padding, causal: true);
        LayerData.AssertClose(expected, LayerData.Values(fused), 1e-5, 1e-6);
        LayerData.AssertClose(expected, LayerData.Values(explicitly), 1e-5, 1e-6);
    }

    [Fact]
    public void Causal_attention_over_a_longer_key_sequence_is_aligned_top_left_as_tril_ones()
    {
        using Tensor q = Uniform(12, 1, 2, 1, 3), k = Uniform(13, 1, 4, 1, 3), v = Uniform(14, 1, 4, 1, 3);

        using Tensor y = Attention.DotProductAttention(q, k, v, isCausal: true);

        LayerData.AssertClose(Formula(q, k, v, null, null, causal: true), LayerData.Values(y), 1e-5, 1e-6);
    }

    [Fact]
    public void Mixed_input_dtypes_are_promoted_instead_of_reaching_libtorch_mismatched()
    {
        using Tensor q64 = Q.to(ScalarType.Float64);

        using Tensor promoted = Attention.DotProductAttention(q64, K, V);
        using Tensor forced = Attention.DotProductAttention(Q, K, V, dtype: ScalarType.Float64);

        Assert.Equal(ScalarType.Float64, promoted.dtype);
        Assert.Equal(ScalarType.Float64, forced.dtype);
        LayerData.AssertClose(Expected("plain"), LayerData.Values(promoted), LayersRef.Rtol, LayersRef.Atol);
    }

    [Fact]
    public void A_float16_computation_stays_close_to_float32()
    {
        using Tensor y = Attention.DotProductAttention(Q, K, V, dtype: ScalarType.Float16);

        Assert.Equal(ScalarType.Float16, y.dtype);
        LayerData.AssertClose(Expected("plain"), LayerData.Values(y), 1e-2, 2e-3);
    }

    [Fact]
    public void Gradients_flow_to_query_key_and_value_through_the_fused_kernel()
    {
        using Tensor q = Q.requires_grad_(true), k = K.requires_grad_(true), v = V.requires_grad_(true);

        using Tensor loss = Attention.DotProductAttention(q, k, v, isCausal: true).square().sum();
        loss.backward();

        foreach (Tensor t in new[] { q, k, v })
        {
            Assert.NotNull(t.grad);
            Assert.True(t.grad!.abs().sum().item<float>() > 0f);
        }
    }

    [Theory]
    [InlineData(new long[] { 3, 2, 3 }, new long[] { 1, 3, 2, 3 }, "same rank")]
    [InlineData(new long[] { 2, 3, 2, 3 }, new long[] { 1, 4, 2, 3 }, "batch dimensions must match")]
    [InlineData(new long[] { 1, 3, 2, 3 }, new long[] { 1, 4, 2, 5 }, "head dimensions (last axis) must match; got 3 and 5")]
    [InlineData(new long[] { 1, 3, 3, 3 }, new long[] { 1, 4, 2, 3 }, "query heads (3) must be a multiple of key heads (2)")]
    [InlineData(new long[] { 3, 3 }, new long[] { 3, 3 }, "at least 3 dimensions")]
    public void Mismatched_shapes_are_rejected_naming_both(long[] queryShape, long[] keyShape, string message)
    {
        using Tensor q = torch.zeros(queryShape), k = torch.zeros(keyShape), v = torch.zeros(keyShape);

        var error = Assert.Throws<ArgumentException>(() => Attention.DotProductAttention(q, k, v));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Key_and_value_lengths_must_match()
    {
        using Tensor v = torch.zeros(1, 5, 2, 3);

        var error = Assert.Throws<ArgumentException>(() => Attention.DotProductAttention(Q, K, v));

        Assert.Contains("key and value lengths (axis -3) must match; got 4 and 5", error.Message);
    }

    [Fact]
    public void A_mask_that_does_not_broadcast_to_the_weights_is_rejected_with_both_shapes()
    {
        using Tensor mask = torch.ones(1, 1, 3, 5, ScalarType.Bool);

        var error = Assert.Throws<ArgumentException>(() => Attention.DotProductAttention(Q, K, V, mask: mask));

        Assert.Contains("mask of shape [1, 1, 3, 5] does not broadcast to the attention weights", error.Message);
        Assert.Contains("[1, 2, 3, 4]", error.Message);
    }

    [Fact]
    public void Dropout_without_a_key_or_with_the_fused_kernel_or_at_rate_one_is_rejected()
    {
        var noKey = Assert.Throws<ArgumentException>(() => Attention.DotProductAttention(Q, K, V, dropoutRate: 0.1));
        var fused = Assert.Throws<ArgumentException>(() =>
            Attention.DotProductAttention(Q, K, V, dropoutRate: 0.1, dropoutRng: new PrngKey(0, 1), kernel: AttentionKernel.Fused));
        var rateOne = Assert.Throws<ArgumentOutOfRangeException>(() => Attention.DotProductAttention(Q, K, V, dropoutRate: 1.0));

        Assert.Contains("needs dropoutRng", noKey.Message);
        Assert.Contains("cannot apply dropout", fused.Message);
        Assert.Contains("must be in [0, 1)", rateOne.Message);
    }

    [Fact]
    public void An_integer_bias_is_rejected_as_a_mask_in_disguise()
    {
        using Tensor bias = torch.ones(3, 4, ScalarType.Int64);

        var error = Assert.Throws<ArgumentException>(() => Attention.DotProductAttention(Q, K, V, bias: bias));

        Assert.Contains("must be floating point; got Int64", error.Message);
    }

    private static Tensor Uniform(long seed, params long[] shape) => JaxRandom.Uniform(PrngKey.FromSeed(seed), shape, -1.0, 1.0);

    // softmax(q kᵀ / √d + bias, masked) v in double, query head h on key/value head h / groups; a query with no
    // key left attends every key equally (JAX's finite mask value).
    private static float[] Formula(Tensor q, Tensor k, Tensor v, Tensor? bias, Tensor? mask, bool causal)
    {
        long[] qs = q.shape, ks = k.shape, vs = v.shape;
        int rank = qs.Length;
        long batch = qs.Take(rank - 3).Aggregate(1L, (a, b) => a * b);
        long T = qs[^3], H = qs[^2], D = qs[^1], S = ks[^3], Hk = ks[^2], Dv = vs[^1];
        long[] weightsShape = [.. qs.Take(rank - 3), H, T, S];
        double[] qd = Doubles(q), kd = Doubles(k), vd = Doubles(v);
        double[]? bd = bias is null ? null : Doubles(bias.broadcast_to(weightsShape));
        bool[]? md = mask is null ? null : mask.ne(0).broadcast_to(weightsShape).contiguous().data<bool>().ToArray();
        var y = new float[batch * T * H * Dv];
        for (long b = 0; b < batch; b++)
            for (long h = 0; h < H; h++)
                for (long t = 0; t < T; t++)
                {
                    long hk = h / (H / Hk);
                    var logits = new double[S];
                    var keep = new bool[S];
                    for (long s = 0; s < S; s++)
                    {
                        double dot = 0;
                        for (long d = 0; d < D; d++) dot += qd[((b * T + t) * H + h) * D + d] * kd[((b * S + s) * Hk + hk) * D + d];
                        long w = ((b * H + h) * T + t) * S + s;
                        logits[s] = dot / Math.Sqrt(D) + (bd?[w] ?? 0);
                        keep[s] = (md?[w] ?? true) && (!causal || s <= t);
                    }
                    double[] p = keep.Any(x => x)
                        ? Softmax(logits.Select((l, s) => keep[s] ? l : double.NegativeInfinity).ToArray())
                        : Enumerable.Repeat(1.0 / S, (int)S).ToArray();
                    for (long e = 0; e < Dv; e++)
                        y[((b * T + t) * H + h) * Dv + e] = (float)Enumerable.Range(0, (int)S).Sum(s => p[s] * vd[((b * S + s) * Hk + hk) * Dv + e]);
                }
        return y;
    }

    private static double[] Softmax(double[] x)
    {
        double max = x.Max();
        double[] e = x.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    private static double[] Doubles(Tensor t)
    {
        using Tensor d = t.detach().to(ScalarType.Float64).contiguous();
        return d.data<double>().ToArray();
    }
}
