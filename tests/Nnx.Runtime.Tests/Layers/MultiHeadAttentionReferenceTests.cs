using System;
using System.Linq;
using System.Text.Json;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Layers;

/// <summary>
/// <see cref="MultiHeadAttention"/> against the <c>nnx.LinearGeneral</c> and <c>nnx.MultiHeadAttention</c> reference
/// (<c>layers-ref.json</c>): kernels bit-exact from <c>lecun_normal</c> on the flat shape, NNX's key order and dropout
/// fork, and the forward pass (self, causal, padding mask, cross, grouped heads, normalized q/k, dropout).
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
    public void MultiHeadAttention_kernels_keys_and_streams_are_those_of_nnx_MultiHeadAttention()
    {
        var tally = new FloatTally("multi_head_attention_init");
        foreach (JsonElement c in LayersRef.Section("multi_head_attention_init").EnumerateArray())
        {
            var rngs = new Rngs(c.GetProperty("seed").GetInt64());
            using MultiHeadAttention mha = Build(c.GetProperty("config"), rngs);

            foreach (var (name, kernel) in new[] { ("query", mha.Query.Kernel), ("key", mha.Key.Kernel), ("value", mha.Value.Kernel), ("out", mha.Out.Kernel) })
            {
                Assert.Equal(JaxVectors.Longs(c.GetProperty(name).GetProperty("kernel_shape")), kernel.shape);
                tally.Add(LayersRef.Floats(c.GetProperty(name).GetProperty("kernel")), LayerData.Values(kernel));
            }
            Assert.Equal(c.TryGetProperty("query_ln", out _), mha.QueryLn is not null);
            // Every key NNX draws, the LayerNorms' ignored ones included, so the layers after it see NNX's keys.
            Assert.Equal((uint)c.GetProperty("default_count_after_init").GetInt32(), rngs.Count("default"));
            if (c.TryGetProperty("dropout_stream_key", out JsonElement forked))
                Assert.Equal(LayersRef.Key(forked), mha.Stream!.Key);
            else
                Assert.Null(mha.Stream);
        }
        // Both sides model JAX's float32 truncated normal; the project's standard for two such models.
        tally.Report(output, minimumValues: 300);
    }

    public static TheoryData<string> ForwardCases => new(LayersRef.Section("multi_head_attention_forward").EnumerateArray().Select(c => c.GetProperty("name").GetString()!));

    [Theory]
    [MemberData(nameof(ForwardCases))]
    public void MultiHeadAttention_forward_matches_the_reference(string name)
    {
        JsonElement c = LayersRef.Case("multi_head_attention_forward", name);
        JsonElement init = LayersRef.Case("multi_head_attention_init", c.GetProperty("init").GetString()!);
        using MultiHeadAttention mha = Build(init.GetProperty("config"), new Rngs(init.GetProperty("seed").GetInt64()));
        using Tensor xq = LayersRef.Tensor(c.GetProperty("xq"), c.GetProperty("xq_shape"));
        using Tensor? xkv = c.TryGetProperty("xkv", out JsonElement kv) ? LayersRef.Tensor(kv, c.GetProperty("xkv_shape")) : null;
        using Tensor? mask = c.TryGetProperty("ids", out JsonElement ids) ? PaddingMask(ids) : null;

        using Tensor y = mha.Forward(xq, xkv, mask: mask, isCausal: c.GetProperty("is_causal").GetBoolean(),
            deterministic: c.GetProperty("deterministic").GetBoolean());

        Assert.Equal(JaxVectors.Longs(c.GetProperty("y_shape")), y.shape);
        LayerData.AssertClose(LayersRef.Floats(c.GetProperty("y")), LayerData.Values(y), LayersRef.Rtol, 2e-6);
    }

    private static MultiHeadAttention Build(JsonElement cfg, Rngs rngs)
    {
        long? Long(string name) => cfg.TryGetProperty(name, out JsonElement e) ? e.GetInt64() : null;
        return new MultiHeadAttention(cfg.GetProperty("num_heads").GetInt32(), cfg.GetProperty("in_features").GetInt64(), rngs,
            qkvFeatures: Long("qkv_features"), outFeatures: Long("out_features"),
            dropoutRate: cfg.TryGetProperty("dropout_rate", out JsonElement r) ? r.GetDouble() : 0.0,
            useBias: !cfg.TryGetProperty("use_bias", out JsonElement b) || b.GetBoolean(),
            numKvHeads: (int?)Long("num_kv_heads"),
            normalizeQk: cfg.TryGetProperty("normalize_qk", out JsonElement n) && n.GetBoolean());
    }

    private static Tensor PaddingMask(JsonElement ids)
    {
        long[][] rows = ids.EnumerateArray().Select(JaxVectors.Longs).ToArray();
        using Tensor t = torch.tensor(rows.SelectMany(r => r).ToArray()).reshape(rows.Length, rows[0].Length);
        return AttentionMasks.MakeAttentionMask(t.gt(0), t.gt(0), dtype: ScalarType.Bool);
    }

    private static long Product(long[] dims) => dims.Aggregate(1L, (a, b) => a * b);
}
