using System;
using System.Linq;
using System.Text.Json;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Layers;

/// <summary>
/// The <c>nnx.LinearGeneral</c> and <c>nnx.MultiHeadAttention</c> reference (<c>layers-ref.json</c>) reproduced with
/// today's runtime: NNX's key order drawn from <see cref="Rngs"/>, kernels from <c>lecun_normal</c> on the flat
/// shape (bit-exact), and the forward pass composed from matmuls and <see cref="Attention"/>. This is the recipe,
/// and the check, for the <c>Nnx.MultiHeadAttention</c> layer of issue 15.
/// </summary>
public class MultiHeadAttentionReferenceTests(ITestOutputHelper output)
{
    private static readonly Initializer LecunNormal = Initializer.Parse("lecun_normal");

    public static TheoryData<int> LinearGeneralCases => new(Enumerable.Range(0, LayersRef.Section("linear_general").GetArrayLength()));

    [Theory]
    [MemberData(nameof(LinearGeneralCases))]
    public void LinearGeneral_draws_its_kernel_flat_so_lecun_normal_sees_prod_in_and_prod_out(int index)
    {
        JsonElement c = LayersRef.Section("linear_general")[index];
        var rngs = new Rngs(c.GetProperty("seed").GetInt64());
        long[] fin = JaxVectors.Longs(c.GetProperty("in_features")), fout = JaxVectors.Longs(c.GetProperty("out_features"));

        PrngKey kernelKey = rngs.Params();
        using Tensor kernel = LecunNormal.Create(kernelKey, [Product(fin), Product(fout)]);
        PrngKey biasKey = rngs.Params();

        var tally = new FloatTally("linear_general");
        tally.Add(LayersRef.Floats(c.GetProperty("kernel")), LayerData.Values(kernel));
        tally.Report(output, minimumValues: 24);
        Assert.Equal(LayersRef.Key(c.GetProperty("kernel_key")), kernelKey);
        Assert.Equal(LayersRef.Key(c.GetProperty("bias_key")), biasKey);
        Assert.Equal((uint)c.GetProperty("params_count").GetInt32(), rngs.Count("params"));
    }

    [Fact]
    public void MultiHeadAttention_initial_values_follow_NNX_s_key_order_and_shapes()
    {
        var tally = new FloatTally("multi_head_attention_init");
        foreach (JsonElement c in LayersRef.Section("multi_head_attention_init").EnumerateArray())
        {
            var mha = Mha.Init(c);

            foreach (string projection in new[] { "query", "key", "value", "out" })
            {
                Assert.Equal(JaxVectors.Longs(c.GetProperty(projection).GetProperty("kernel_shape")), mha.Kernels[projection].shape);
                tally.Add(LayersRef.Floats(c.GetProperty(projection).GetProperty("kernel")), LayerData.Values(mha.Kernels[projection]));
            }
            foreach (string norm in new[] { "query_ln", "key_ln" })
                if (c.TryGetProperty(norm, out JsonElement ln))
                    Assert.Equal(LayersRef.Key(ln.GetProperty("scale_key")), mha.LayerNormKeys[norm]);
            Assert.Equal((uint)c.GetProperty("default_count_after_init").GetInt32(), mha.Rngs.Count("default"));
            if (c.TryGetProperty("dropout_stream_key", out JsonElement forked))
                Assert.Equal(LayersRef.Key(forked), mha.DropoutStream!.Key);
        }
        // Both sides model JAX's float32 truncated normal; the project's standard for two such models.
        tally.Report(output, minimumValues: 300);
    }

    public static TheoryData<string> ForwardCases => new(LayersRef.Section("multi_head_attention_forward").EnumerateArray().Select(c => c.GetProperty("name").GetString()!));

    [Theory]
    [MemberData(nameof(ForwardCases))]
    public void MultiHeadAttention_forward_composed_from_matmuls_and_Attention_matches_the_reference(string name)
    {
        JsonElement c = LayersRef.Case("multi_head_attention_forward", name);
        var mha = Mha.Init(LayersRef.Case("multi_head_attention_init", c.GetProperty("init").GetString()!));
        using Tensor xq = LayersRef.Tensor(c.GetProperty("xq"), c.GetProperty("xq_shape"));
        using Tensor? xkv = c.TryGetProperty("xkv", out JsonElement kv) ? LayersRef.Tensor(kv, c.GetProperty("xkv_shape")) : null;
        using Tensor? mask = c.TryGetProperty("ids", out JsonElement ids) ? PaddingMask(ids) : null;

        using Tensor y = mha.Forward(xq, xkv, mask, c.GetProperty("is_causal").GetBoolean(), c.GetProperty("deterministic").GetBoolean());

        Assert.Equal(JaxVectors.Longs(c.GetProperty("y_shape")), y.shape);
        LayerData.AssertClose(LayersRef.Floats(c.GetProperty("y")), LayerData.Values(y), LayersRef.Rtol, 2e-6);
    }

    private static Tensor PaddingMask(JsonElement ids)
    {
        long[][] rows = ids.EnumerateArray().Select(JaxVectors.Longs).ToArray();
        using Tensor t = torch.tensor(rows.SelectMany(r => r).ToArray()).reshape(rows.Length, rows[0].Length);
        return AttentionMasks.MakeAttentionMask(t.gt(0), t.gt(0), dtype: ScalarType.Bool);
    }

    private static long Product(long[] dims) => dims.Aggregate(1L, (a, b) => a * b);

    /// <summary>An NNX MultiHeadAttention written out by hand: parameters in NNX's order, forward as NNX's __call__.</summary>
    private sealed class Mha
    {
        public required Rngs Rngs { get; init; }
        public required System.Collections.Generic.Dictionary<string, Tensor> Kernels { get; init; }
        public required System.Collections.Generic.Dictionary<string, PrngKey> LayerNormKeys { get; init; }
        public required RngStream? DropoutStream { get; init; }
        public required long Heads, KvHeads, HeadDim;
        public required bool UseBias, NormalizeQk;
        public required double DropoutRate;

        public static Mha Init(JsonElement c)
        {
            JsonElement cfg = c.GetProperty("config");
            long heads = cfg.GetProperty("num_heads").GetInt64(), inFeatures = cfg.GetProperty("in_features").GetInt64();
            long kvHeads = cfg.TryGetProperty("num_kv_heads", out JsonElement h) ? h.GetInt64() : heads;
            long qkv = cfg.TryGetProperty("qkv_features", out JsonElement f) ? f.GetInt64() : inFeatures;
            long outFeatures = cfg.TryGetProperty("out_features", out JsonElement o) ? o.GetInt64() : inFeatures;
            bool useBias = !cfg.TryGetProperty("use_bias", out JsonElement b) || b.GetBoolean();
            bool normalizeQk = cfg.TryGetProperty("normalize_qk", out JsonElement n) && n.GetBoolean();
            double rate = cfg.TryGetProperty("dropout_rate", out JsonElement r) ? r.GetDouble() : 0.0;
            long headDim = qkv / heads;
            var rngs = new Rngs(c.GetProperty("seed").GetInt64());
            var kernels = new System.Collections.Generic.Dictionary<string, Tensor>();

            void Project(string name, long[] fin, long[] fout)
            {
                kernels[name] = LecunNormal.Create(rngs.Params(), [Product(fin), Product(fout)]).reshape([.. fin, .. fout]);
                if (useBias) rngs.Params();   // the zeros bias still takes its key
            }
            Project("query", [inFeatures], [heads, headDim]);
            Project("key", [inFeatures], [kvHeads, headDim]);
            Project("value", [inFeatures], [kvHeads, headDim]);
            var lnKeys = new System.Collections.Generic.Dictionary<string, PrngKey>();
            if (normalizeQk)
            {
                lnKeys["query_ln"] = rngs.Params();
                lnKeys["key_ln"] = rngs.Params();
            }
            Project("out", [heads, headDim], [outFeatures]);
            return new Mha
            {
                Rngs = rngs, Kernels = kernels, LayerNormKeys = lnKeys, DropoutStream = rate > 0 ? rngs.Fork("dropout") : null,
                Heads = heads, KvHeads = kvHeads, HeadDim = headDim, UseBias = useBias, NormalizeQk = normalizeQk, DropoutRate = rate,
            };
        }

        // Biases start at zero, so they are left out of the sums.
        public Tensor Forward(Tensor xq, Tensor? xkv, Tensor? mask, bool isCausal, bool deterministic)
        {
            xkv ??= xq;
            Tensor q = Project(xq, Kernels["query"], Heads), k = Project(xkv, Kernels["key"], KvHeads), v = Project(xkv, Kernels["value"], KvHeads);
            if (NormalizeQk)
            {
                q = LayerNormWithoutBias(q);
                k = LayerNormWithoutBias(k);
            }
            bool dropout = DropoutRate > 0 && !deterministic;
            Tensor x = Attention.DotProductAttention(q, k, v, mask: mask, isCausal: isCausal,
                dropoutRate: dropout ? DropoutRate : 0.0, dropoutRng: dropout ? DropoutStream!.Next() : null);
            long[] s = x.shape;
            return x.reshape(s[0], s[1], Heads * HeadDim).matmul(Kernels["out"].reshape(Heads * HeadDim, -1));
        }

        private Tensor Project(Tensor x, Tensor kernel, long heads) =>
            x.matmul(kernel.reshape(kernel.size(0), -1)).reshape(x.size(0), x.size(1), heads, HeadDim);

        // nnx.LayerNorm(head_dim, use_bias=False) with its initial scale of ones, epsilon 1e-6, fast variance.
        private static Tensor LayerNormWithoutBias(Tensor x)
        {
            Tensor mean = x.mean([-1L], keepdim: true);
            Tensor variance = x.square().mean([-1L], keepdim: true).sub(mean.square()).clamp_min(0.0);
            return x.sub(mean).mul(variance.add(1e-6).rsqrt());
        }
    }
}
