using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Layers;

/// <summary>Gradients through <c>Embed</c>, the padding id, and tables built from an existing matrix.</summary>
public class EmbedTrainingTests
{
    private static float[] Row(Tensor table, long row) => LayerData.Values(table[row]);

    [Fact]
    public void An_optimizer_step_changes_the_rows_of_seen_ids_only()
    {
        using var embed = new Embed(8, 3, new Rngs(1));
        using Tensor before = embed.Embedding.detach().clone();
        var optimizer = torch.optim.SGD(embed.parameters(), 0.1);

        using (Tensor loss = embed.Forward(torch.tensor(new long[] { 1, 4, 4 })).square().sum())
            loss.backward();
        optimizer.step();

        for (long row = 0; row < 8; row++)
        {
            bool seen = row is 1 or 4;
            bool changed = !Row(before, row).SequenceEqual(Row(embed.Embedding, row));
            Assert.True(seen == changed, $"row {row}: seen {seen}, changed {changed}");
        }
    }

    [Fact]
    public void The_gradient_of_a_row_sums_one_contribution_per_occurrence()
    {
        using var embed = new Embed(5, 2, new Rngs(0));
        using (Tensor loss = embed.Forward(torch.tensor(new long[] { 3, 3, 3, 0 })).sum())
            loss.backward();

        float[] grad = LayerData.Values(embed.Embedding.grad!);
        Assert.Equal(new float[] { 1, 1, 0, 0, 0, 0, 3, 3, 0, 0 }, grad);
    }

    [Fact]
    public void The_padding_row_starts_at_zero_gets_no_gradient_and_stays_zero_after_Adam_steps()
    {
        using var embed = new Embed(6, 4, new Rngs(2), paddingId: 0);
        var optimizer = torch.optim.Adam(embed.parameters(), 0.1);
        Assert.All(Row(embed.Embedding, 0), v => Assert.Equal(0f, v));
        Assert.NotEqual(0f, Row(embed.Embedding, 1).Select(Math.Abs).Sum());

        for (int step = 0; step < 3; step++)
        {
            optimizer.zero_grad();
            using (Tensor loss = embed.Forward(torch.tensor(new long[] { 0, 2, 0, 5 }, 2, 2)).add(1f).square().sum())
                loss.backward();
            Assert.All(Row(embed.Embedding.grad!, 0), v => Assert.Equal(0f, v));
            Assert.NotEqual(0f, Row(embed.Embedding.grad!, 2).Select(Math.Abs).Sum());
            optimizer.step();
        }

        Assert.All(Row(embed.Embedding, 0), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void A_negative_padding_id_counts_from_the_end()
    {
        using var embed = new Embed(6, 4, new Rngs(2), paddingId: -1);

        Assert.Equal(-1, embed.PaddingId);   // the option as given; the row it names is the last
        Assert.All(Row(embed.Embedding, 5), v => Assert.Equal(0f, v));
        Assert.Contains(Row(embed.Embedding, 4), v => v != 0f);
    }

    [Fact]
    public void Ids_that_JaxClamp_sends_to_the_padding_row_give_it_no_gradient()
    {
        using var embed = new Embed(6, 4, new Rngs(2), outOfRange: OutOfRange.JaxClamp, paddingId: -1);
        using Tensor ids = torch.tensor(new long[] { 9, 2 });   // 9 is clamped to row 5, the padding row

        using (Tensor loss = embed.Forward(ids).sum()) loss.backward();

        Assert.All(Row(embed.Embedding.grad!, 5), v => Assert.Equal(0f, v));
        Assert.All(Row(embed.Embedding.grad!, 2), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void A_padding_id_outside_the_table_is_rejected_naming_the_id_and_the_range()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Embed(6, 4, new Rngs(2), paddingId: 6));

        Assert.Contains("PaddingId 6", error.Message);
        Assert.Contains("[-6, 6)", error.Message);
    }

    [Fact]
    public void FromPretrained_copies_the_matrix_and_freezes_it_by_default()
    {
        using Tensor matrix = torch.arange(12, ScalarType.Float32).reshape(4, 3);
        using var frozen = Embed.FromPretrained(matrix);
        using var trainable = Embed.FromPretrained(matrix, freeze: false);

        Assert.Equal(4, frozen.NumEmbeddings);
        Assert.Equal(3, frozen.Features);
        Assert.Equal(LayerData.Values(matrix), LayerData.Values(frozen.Embedding));
        Assert.False(frozen.Embedding.requires_grad);
        Assert.True(trainable.Embedding.requires_grad);
        Assert.Equal(new float[] { 6, 7, 8 }, LayerData.Values(frozen.Forward(torch.tensor(2L))));

        matrix.add_(100f);   // a copy, not a view of the caller's tensor
        Assert.Equal(new float[] { 0, 1, 2 }, Row(frozen.Embedding, 0));
    }

    [Fact]
    public void FromPretrained_keeps_the_dtype_and_a_pretrained_padding_row_as_PyTorch_does()
    {
        using Tensor matrix = torch.ones(3, 2, ScalarType.Float64);
        using var embed = Embed.FromPretrained(matrix, freeze: false, paddingId: 1);

        Assert.Equal(ScalarType.Float64, embed.Embedding.dtype);
        Assert.Equal(new float[] { 1, 1 }, Row(embed.Embedding, 1));
        using (Tensor loss = embed.Forward(torch.tensor(new long[] { 1, 2 })).sum())
            loss.backward();
        Assert.Equal(new float[] { 0, 0, 0, 0, 1, 1 }, LayerData.Values(embed.Embedding.grad!));
    }

    [Theory]
    [InlineData(new long[] { 5 })]
    [InlineData(new long[] { 2, 3, 4 })]
    [InlineData(new long[] { 0, 3 })]
    public void FromPretrained_rejects_a_matrix_that_is_not_a_table_naming_its_shape(long[] shape)
    {
        using Tensor matrix = torch.zeros(shape);

        var error = Assert.Throws<ArgumentException>(() => Embed.FromPretrained(matrix));

        Assert.Contains($"[{string.Join(", ", shape)}]", error.Message);
        Assert.Contains("(numEmbeddings, features)", error.Message);
    }

    [Fact]
    public void FromPretrained_rejects_an_integer_matrix()
    {
        using Tensor matrix = torch.zeros(2, 2, ScalarType.Int64);

        var error = Assert.Throws<ArgumentException>(() => Embed.FromPretrained(matrix));

        Assert.Contains("Int64", error.Message);
    }
}
