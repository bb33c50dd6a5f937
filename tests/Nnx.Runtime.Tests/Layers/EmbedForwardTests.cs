using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Layers;

/// <summary><c>Embed.Forward</c> and <c>Embed.Attend</c>: shapes, the out-of-range policies and tied output heads.</summary>
public class EmbedForwardTests
{
    private const long Vocab = 6, Width = 4;

    private static Embed NewEmbed(OutOfRange policy = OutOfRange.Throw) => new(Vocab, Width, new Rngs(3), outOfRange: policy);

    private static float[] Row(Embed embed, long row) => LayerData.Values(embed.Embedding[row]);

    [Theory]
    [InlineData(new long[0])]
    [InlineData(new long[] { 5 })]
    [InlineData(new long[] { 2, 3 })]
    [InlineData(new long[] { 2, 1, 3 })]
    public void Ids_of_any_rank_give_ids_shape_plus_features(long[] shape)
    {
        using var embed = NewEmbed();
        long n = shape.Aggregate(1L, (a, b) => a * b);
        long[] flat = Enumerable.Range(0, (int)n).Select(i => (long)(i * 5 % Vocab)).ToArray();
        using Tensor ids = torch.tensor(flat, shape);

        using Tensor output = embed.Forward(ids);

        Assert.Equal(shape.Append(Width).ToArray(), output.shape);
        float[] values = LayerData.Values(output);
        for (int i = 0; i < flat.Length; i++)
            Assert.Equal(Row(embed, flat[i]), values.Skip(i * (int)Width).Take((int)Width).ToArray());
    }

    [Fact]
    public void Throw_names_the_first_bad_id_its_position_and_the_vocabulary_size()
    {
        using var embed = NewEmbed();
        using Tensor ids = torch.tensor(new long[] { 1, 2, 9, 0 }, 2, 2);

        var error = Assert.Throws<ArgumentException>(() => embed.Forward(ids));

        Assert.Contains("9", error.Message);
        Assert.Contains("[1, 0]", error.Message);
        Assert.Contains("6", error.Message);
    }

    [Fact]
    public void JaxClamp_wraps_negative_ids_once_then_clamps_into_the_table()
    {
        using var embed = NewEmbed(OutOfRange.JaxClamp);
        using Tensor ids = torch.tensor(new long[] { -1, 9, -100 });

        float[] values = LayerData.Values(embed.Forward(ids));

        Assert.Equal(Row(embed, Vocab - 1), values[..4]);   // -1 + 6 = 5
        Assert.Equal(Row(embed, Vocab - 1), values[4..8]);  // 9 clamped to 5
        Assert.Equal(Row(embed, 0), values[8..]);           // -100 + 6 = -94 clamped to 0
    }

    [Fact]
    public void Fill_wraps_ids_in_minus_vocab_to_zero_and_gives_NaN_rows_for_the_rest()
    {
        using var embed = NewEmbed(OutOfRange.Fill);
        using Tensor ids = torch.tensor(new long[] { -6, 6, -7, 2 });

        float[] values = LayerData.Values(embed.Forward(ids));

        Assert.Equal(Row(embed, 0), values[..4]);
        Assert.All(values[4..12], v => Assert.True(float.IsNaN(v)));
        Assert.Equal(Row(embed, 2), values[12..]);
    }

    [Fact]
    public void Fill_on_a_one_row_table_gives_that_row_for_every_id_as_nnx_Embed_broadcasts_it()
    {
        // nnx.Embed's num_embeddings == 1 branch: jnp.broadcast_to(embedding, ids.shape + (features,)), no jnp.take.
        using var embed = new Embed(1, Width, new Rngs(3), outOfRange: OutOfRange.Fill);
        using Tensor ids = torch.tensor(new long[] { 0, 1, -1, -2, 7 });

        float[] values = LayerData.Values(embed.Forward(ids));

        Assert.Equal(Enumerable.Repeat(Row(embed, 0), 5).SelectMany(r => r), values);
    }

    [Fact]
    public void Fill_from_an_empty_table_is_an_error_as_in_jnp_take()
    {
        using Tensor table = torch.zeros(0, Width);

        var error = Assert.Throws<ArgumentException>(() => Nnx.Lookup.Rows(table, torch.tensor(new long[] { 0 }), OutOfRange.Fill));

        Assert.Contains("OutOfRange.Fill needs a table with at least one row", error.Message);
    }

    [Fact]
    public void Float_ids_are_rejected_with_the_accepted_types_named()
    {
        using var embed = NewEmbed();
        using Tensor ids = torch.tensor(new float[] { 1f });

        var error = Assert.Throws<ArgumentException>(() => embed.Forward(ids));

        Assert.Contains("Int64", error.Message);
    }

    [Fact]
    public void Attend_equals_a_hand_computed_query_times_table_transpose()
    {
        using var embed = NewEmbed();
        float[,] query = { { 0.5f, -1f, 2f, 0.25f }, { 1f, 0f, -0.5f, 3f }, { -2f, 1.5f, 0f, 1f } };
        using Tensor q = torch.tensor(query);
        float[] table = LayerData.Values(embed.Embedding);

        using Tensor logits = embed.Attend(q);

        Assert.Equal(new long[] { 3, Vocab }, logits.shape);
        float[] actual = LayerData.Values(logits);
        var expected = new float[3 * Vocab];
        for (int i = 0; i < 3; i++)
            for (int v = 0; v < Vocab; v++)
                expected[i * Vocab + v] = (float)Enumerable.Range(0, (int)Width).Sum(k => (double)query[i, k] * table[v * Width + k]);
        LayerData.AssertClose(expected, actual, rtol: 1e-6, atol: 1e-6);
    }

    [Fact]
    public void Attend_rejects_a_query_of_the_wrong_width_naming_both_widths()
    {
        using var embed = NewEmbed();
        using Tensor q = torch.ones(2, 5);

        var error = Assert.Throws<ArgumentException>(() => embed.Attend(q));

        Assert.Contains("[2, 5]", error.Message);
        Assert.Contains("(..., 4)", error.Message);
    }

    [Fact]
    public void Dtype_sets_the_compute_type_of_rows_and_logits_while_the_table_keeps_its_own()
    {
        using var embed = new Embed(Vocab, Width, new Rngs(3), dtype: ScalarType.Float64);
        using Tensor rows = embed.Forward(torch.tensor(new long[] { 1, 2 }));
        using Tensor logits = embed.Attend(torch.ones(Width));

        Assert.Equal(ScalarType.Float32, embed.Embedding.dtype);
        Assert.Equal(ScalarType.Float64, rows.dtype);
        Assert.Equal(ScalarType.Float64, logits.dtype);
        Assert.Equal(Row(embed, 2), LayerData.Values(rows)[4..]);
    }
}
