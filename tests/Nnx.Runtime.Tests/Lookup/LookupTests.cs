using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Lookup;

/// <summary>Lookup.Rows: shapes, dtypes, the three out-of-range policies and gradients, against hand-computed rows.</summary>
public class LookupTests
{
    private const long Vocab = 5, DModel = 3;

    // Row r of this table is [r*DModel, r*DModel + 1, r*DModel + 2], so every expected value is written by hand.
    private static Tensor Table() => torch.arange(Vocab * DModel, dtype: ScalarType.Float32).reshape(Vocab, DModel);

    private static float[] RowsOf(params long[] rows) =>
        rows.SelectMany(r => Enumerable.Range(0, (int)DModel).Select(j => r < 0 ? float.NaN : r * DModel + j)).Select(v => (float)v).ToArray();

    [Fact]
    public void Rank_0_ids_give_one_row()
    {
        using Tensor table = Table();
        using Tensor ids = torch.tensor(3L);

        using Tensor rows = Nnx.Lookup.Rows(table, ids);

        Assert.Equal(new[] { DModel }, rows.shape);
        Assert.Equal(RowsOf(3), rows.data<float>().ToArray());
    }

    [Fact]
    public void Rank_1_ids_give_one_row_per_id()
    {
        using Tensor table = Table();
        using Tensor ids = torch.tensor(new long[] { 4, 0, 4 });

        using Tensor rows = Nnx.Lookup.Rows(table, ids);

        Assert.Equal(new[] { 3, DModel }, rows.shape);
        Assert.Equal(RowsOf(4, 0, 4), rows.data<float>().ToArray());
    }

    [Fact]
    public void Rank_2_and_3_ids_keep_their_shape_and_add_dModel()
    {
        using Tensor table = Table();
        using Tensor ids2 = torch.tensor(new long[] { 1, 2, 3, 4, 0, 1 }, 2, 3);
        using Tensor ids3 = torch.tensor(new long[] { 1, 2, 3, 4, 0, 1, 2, 2 }, 2, 2, 2);

        using Tensor rows2 = Nnx.Lookup.Rows(table, ids2);
        using Tensor rows3 = Nnx.Lookup.Rows(table, ids3);

        Assert.Equal(new[] { 2, 3, DModel }, rows2.shape);
        Assert.Equal(RowsOf(1, 2, 3, 4, 0, 1), rows2.data<float>().ToArray());
        Assert.Equal(new[] { 2, 2, 2, DModel }, rows3.shape);
        Assert.Equal(RowsOf(1, 2, 3, 4, 0, 1, 2, 2), rows3.data<float>().ToArray());
    }

    [Fact]
    public void Empty_ids_give_an_empty_block_of_rows()
    {
        using Tensor table = Table();
        using Tensor ids = torch.zeros(new long[] { 2, 0 }, ScalarType.Int64);

        using Tensor rows = Nnx.Lookup.Rows(table, ids);

        Assert.Equal(new[] { 2, 0, DModel }, rows.shape);
    }

    [Fact]
    public void Non_contiguous_ids_are_read_in_logical_order()
    {
        using Tensor table = Table();
        using Tensor grid = torch.tensor(new long[] { 0, 1, 2, 3, 4, 0 }, 2, 3);
        using Tensor transposed = grid.t();

        using Tensor rows = Nnx.Lookup.Rows(table, transposed);

        Assert.Equal(new[] { 3, 2, DModel }, rows.shape);
        Assert.Equal(RowsOf(0, 3, 1, 4, 2, 0), rows.data<float>().ToArray());
    }

    [Fact]
    public void Int32_and_int64_ids_give_identical_rows()
    {
        using Tensor table = torch.randn(50, 7);
        using Tensor ids64 = torch.randint(0, 50, new long[] { 4, 9 }, ScalarType.Int64);
        using Tensor ids32 = ids64.to(ScalarType.Int32);

        using Tensor rows64 = Nnx.Lookup.Rows(table, ids64);
        using Tensor rows32 = Nnx.Lookup.Rows(table, ids32);

        Assert.True(rows64.equal(rows32).all().item<bool>());
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Int16)]
    [InlineData(ScalarType.Bool)]
    public void Ids_that_are_not_int32_or_int64_are_rejected_with_a_cast_hint(ScalarType dtype)
    {
        using Tensor table = Table();
        using Tensor ids = torch.zeros(3, dtype);

        var error = Assert.Throws<ArgumentException>(() => Nnx.Lookup.Rows(table, ids));

        Assert.Contains($"got {dtype}", error.Message);
        Assert.Contains("ids.to(ScalarType.Int64)", error.Message);
    }

    [Fact]
    public void An_out_of_range_id_throws_naming_the_id_its_position_and_the_vocabulary()
    {
        using Tensor table = Table();
        using Tensor ids = torch.tensor(new int[] { 0, 1, 2, 3, 7, 9 }, 2, 3);

        var error = Assert.Throws<ArgumentException>(() => Nnx.Lookup.Rows(table, ids));

        Assert.Contains("Token id 7 at position [1, 1]", error.Message);
        Assert.Contains("vocabulary of 5", error.Message);
        Assert.Contains("[0, 4]", error.Message);
    }

    [Fact]
    public void A_negative_id_throws_by_default()
    {
        using Tensor table = Table();
        using Tensor ids = torch.tensor(new long[] { 2, -1 });

        var error = Assert.Throws<ArgumentException>(() => Nnx.Lookup.Rows(table, ids));

        Assert.Contains("Token id -1 at position 1", error.Message);
    }

    [Fact]
    public void JaxClamp_wraps_negative_ids_once_then_clamps()
    {
        using Tensor table = Table();
        // -1 -> 4; 5 -> clamped 4; -7 -> -2 -> clamped 0; 7 -> 4; -5 -> 0; 2 stays.
        using Tensor ids = torch.tensor(new long[] { -1, 5, -7, 7, -5, 2 });

        using Tensor rows = Nnx.Lookup.Rows(table, ids, OutOfRange.JaxClamp);

        Assert.Equal(RowsOf(4, 4, 0, 4, 0, 2), rows.data<float>().ToArray());
    }

    [Fact]
    public void Fill_wraps_ids_in_minus_vocab_to_0_and_gives_nan_rows_for_the_rest()
    {
        using Tensor table = Table();
        // -1 -> 4; 5 -> NaN; -5 -> 0; -6 -> NaN; 2 stays. Shaped (1, 5) to cover the reshaped path.
        using Tensor ids = torch.tensor(new int[] { -1, 5, -5, -6, 2 }, 1, 5);

        using Tensor rows = Nnx.Lookup.Rows(table, ids, OutOfRange.Fill);

        Assert.Equal(new[] { 1, 5, DModel }, rows.shape);
        Assert.Equal(RowsOf(4, -1, 0, -1, 2), rows.data<float>().ToArray());
    }

    [Fact]
    public void Fill_on_a_one_row_table_reads_that_row_for_every_id_in_every_path()
    {
        using Tensor table = torch.tensor(new float[] { 1, 2, 3 }, 1, 3).requires_grad_();
        using Tensor ids = torch.tensor(new long[] { 0, 4, -3 });
        using Tensor output = torch.empty(3, 3);

        using Tensor rows = Nnx.Lookup.Rows(table, ids, OutOfRange.Fill);
        using Tensor sparse = Nnx.Lookup.Rows(table, ids, OutOfRange.Fill, sparseGradient: true);
        Nnx.Lookup.RowsInto(table, ids, output, OutOfRange.Fill);

        float[] expected = [1, 2, 3, 1, 2, 3, 1, 2, 3];
        Assert.Equal(expected, rows.detach().data<float>().ToArray());
        Assert.Equal(expected, sparse.detach().data<float>().ToArray());
        Assert.Equal(expected, output.data<float>().ToArray());
    }

    [Fact]
    public void Fill_uses_jnp_take_fill_values_for_integer_tables()
    {
        using Tensor ints = torch.tensor(new int[] { 10, 11, 20, 21 }, 2, 2);
        using Tensor bytes = torch.tensor(new byte[] { 1, 2 }, 2, 1);
        using Tensor ids = torch.tensor(new long[] { 1, 2 });

        using Tensor intRows = Nnx.Lookup.Rows(ints, ids, OutOfRange.Fill);
        using Tensor byteRows = Nnx.Lookup.Rows(bytes, ids, OutOfRange.Fill);

        Assert.Equal(new[] { 20, 21, int.MinValue, int.MinValue }, intRows.data<int>().ToArray());
        Assert.Equal(new byte[] { 2, 255 }, byteRows.data<byte>().ToArray());
    }

    [Fact]
    public void Policies_agree_with_plain_lookup_when_every_id_is_in_range()
    {
        using Tensor table = Table();
        using Tensor ids = torch.tensor(new long[] { 3, 1, 4 });

        using Tensor clamp = Nnx.Lookup.Rows(table, ids, OutOfRange.JaxClamp);
        using Tensor fill = Nnx.Lookup.Rows(table, ids, OutOfRange.Fill);

        Assert.Equal(RowsOf(3, 1, 4), clamp.data<float>().ToArray());
        Assert.Equal(RowsOf(3, 1, 4), fill.data<float>().ToArray());
    }

    [Fact]
    public void Gradients_accumulate_on_repeated_ids_and_leave_unseen_rows_zero()
    {
        using Tensor table = Table().requires_grad_();
        using Tensor ids = torch.tensor(new long[] { 1, 3, 1, 1 }, 2, 2);
        // Weight t+1 on the t-th looked-up row: row 1 collects 1 + 3 + 4 = 8, row 3 collects 2.
        using Tensor weights = torch.tensor(new float[] { 1, 2, 3, 4 }, 2, 2, 1);

        using (Tensor loss = Nnx.Lookup.Rows(table, ids).mul(weights).sum())
            loss.backward();

        float[] expected = [0, 0, 0, 8, 8, 8, 0, 0, 0, 2, 2, 2, 0, 0, 0];
        Assert.Equal(expected, table.grad!.data<float>().ToArray());
    }

    [Fact]
    public void Fill_rows_send_no_gradient_to_the_row_they_borrowed()
    {
        using Tensor table = Table().requires_grad_();
        using Tensor ids = torch.tensor(new long[] { 0, 9 });

        using (Tensor loss = Nnx.Lookup.Rows(table, ids, OutOfRange.Fill).nan_to_num(0).sum())
            loss.backward();

        float[] expected = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.Equal(expected, table.grad!.data<float>().ToArray());
    }

    [Fact]
    public void A_scalar_table_is_rejected()
    {
        using Tensor table = torch.tensor(1f);
        using Tensor ids = torch.tensor(new long[] { 0 });

        var error = Assert.Throws<ArgumentException>(() => Nnx.Lookup.Rows(table, ids));

        Assert.Contains("scalar", error.Message);
    }
}
