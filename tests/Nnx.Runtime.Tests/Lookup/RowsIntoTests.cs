using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Lookup;

/// <summary>Lookup.RowsInto writes the same rows as the allocating Lookup.Rows into the caller's tensor.</summary>
public class RowsIntoTests
{
    [Theory]
    [InlineData(ScalarType.Int64, OutOfRange.Throw)]
    [InlineData(ScalarType.Int32, OutOfRange.Throw)]
    [InlineData(ScalarType.Int64, OutOfRange.JaxClamp)]
    [InlineData(ScalarType.Int32, OutOfRange.Fill)]
    public void Reused_output_equals_the_allocating_lookup(ScalarType idType, OutOfRange outOfRange)
    {
        using Tensor table = torch.randn(40, 6);
        // Out-of-range ids only where the policy allows them.
        long low = outOfRange == OutOfRange.Throw ? 0 : -60, high = outOfRange == OutOfRange.Throw ? 40 : 60;
        using Tensor ids = torch.randint(low, high, new long[] { 3, 7 }, idType);
        using Tensor output = torch.full(new long[] { 3, 7, 6 }, 123f);

        Nnx.Lookup.RowsInto(table, ids, output, outOfRange);
        using Tensor expected = Nnx.Lookup.Rows(table, ids, outOfRange);

        Assert.True(output.allclose(expected, rtol: 0, atol: 0, equal_nan: true));
        Assert.Equal(expected.isnan().sum().item<long>(), output.isnan().sum().item<long>());
    }

    [Fact]
    public void A_large_lookup_split_across_threads_equals_the_allocating_lookup()
    {
        using Tensor table = torch.randn(1000, 256);
        using Tensor ids = torch.randint(0, 1000, new long[] { 8192 }, ScalarType.Int64);
        using Tensor output = torch.empty(8192, 256);

        Nnx.Lookup.RowsInto(table, ids, output);
        using Tensor expected = table.index_select(0, ids);

        Assert.True(output.equal(expected).all().item<bool>());
    }

    [Theory]
    [InlineData(ScalarType.Float32, 1)]
    [InlineData(ScalarType.Float32, 7)]
    [InlineData(ScalarType.Float32, 8)]
    [InlineData(ScalarType.Float32, 33)]
    [InlineData(ScalarType.Float32, 64)]
    [InlineData(ScalarType.Float32, 100)]
    [InlineData(ScalarType.Float16, 3)]
    [InlineData(ScalarType.Float64, 5)]
    public void Rows_of_every_width_are_copied_whole_and_nothing_past_the_output(ScalarType dtype, long width)
    {
        // Widths on either side of the 32- and 128-byte steps of the vector copy, and ones with a byte tail.
        using Tensor table = torch.randn(50, width).to(dtype);
        using Tensor ids = torch.randint(0, 50, new long[] { 37 }, ScalarType.Int64);
        using Tensor storage = torch.full(new long[] { 38, width }, 7f, dtype);
        using Tensor output = storage.narrow(0, 0, 37);

        Nnx.Lookup.RowsInto(table, ids, output);
        using Tensor expected = table.index_select(0, ids);

        Assert.True(output.equal(expected).all().item<bool>());
        using Tensor guard = storage[37];
        Assert.True(guard.eq(7f).all().item<bool>(), "the row after the output was written");
    }

    [Theory]
    [InlineData(ScalarType.Int64, OutOfRange.Throw)]
    [InlineData(ScalarType.Int32, OutOfRange.Fill)]
    [InlineData(ScalarType.Int64, OutOfRange.JaxClamp)]
    public void A_large_output_written_with_streaming_stores_equals_the_allocating_lookup(ScalarType idType, OutOfRange outOfRange)
    {
        // 8448 rows of 1 KB: past the 8 MB from which rows are prefetched and streamed, and split across threads.
        using Tensor table = torch.randn(5000, 256);
        long low = outOfRange == OutOfRange.Throw ? 0 : -6000, high = outOfRange == OutOfRange.Throw ? 5000 : 6000;
        using Tensor ids = torch.randint(low, high, new long[] { 8448 }, idType);
        using Tensor output = torch.empty(8448, 256);

        Nnx.Lookup.RowsInto(table, ids, output, outOfRange);
        using Tensor expected = Nnx.Lookup.Rows(table, ids, outOfRange);

        Assert.True(output.allclose(expected, rtol: 0, atol: 0, equal_nan: true));
    }

    [Fact]
    public void A_large_output_that_starts_mid_vector_equals_the_allocating_lookup()
    {
        // One float into its storage, so no row starts on a 32-byte boundary and streaming stores cannot be used.
        using Tensor table = torch.randn(5000, 256);
        using Tensor ids = torch.randint(0, 5000, new long[] { 8448 }, ScalarType.Int64);
        using Tensor storage = torch.zeros(8448 * 256 + 1);
        using Tensor output = storage.narrow(0, 1, 8448 * 256).view(8448, 256);

        Nnx.Lookup.RowsInto(table, ids, output);
        using Tensor expected = table.index_select(0, ids);

        Assert.True(output.equal(expected).all().item<bool>());
        Assert.Equal(0f, storage[0].item<float>());
    }

    [Fact]
    public void Rank_0_ids_fill_a_single_row()
    {
        using Tensor table = torch.arange(12f).reshape(4, 3);
        using Tensor ids = torch.tensor(2);
        using Tensor output = torch.zeros(3);

        Nnx.Lookup.RowsInto(table, ids, output);

        Assert.Equal(new float[] { 6, 7, 8 }, output.data<float>().ToArray());
    }

    [Fact]
    public void An_out_of_range_id_throws_before_anything_is_written()
    {
        using Tensor table = torch.arange(12f).reshape(4, 3);
        using Tensor ids = torch.tensor(new long[] { 1, 4 });
        using Tensor output = torch.zeros(2, 3);

        var error = Assert.Throws<ArgumentException>(() => Nnx.Lookup.RowsInto(table, ids, output));

        Assert.Contains("Token id 4 at position 1", error.Message);
        Assert.Equal(0, output.count_nonzero().item<long>());
    }

    [Fact]
    public void An_output_of_the_wrong_shape_is_rejected_with_the_expected_shape()
    {
        using Tensor table = torch.zeros(4, 3);
        using Tensor ids = torch.tensor(new long[] { 1, 2 });
        using Tensor output = torch.zeros(2, 4);

        var error = Assert.Throws<ArgumentException>(() => Nnx.Lookup.RowsInto(table, ids, output));

        Assert.Contains("[2, 4]", error.Message);
        Assert.Contains("[2, 3]", error.Message);
    }

    [Fact]
    public void An_output_of_another_dtype_is_rejected()
    {
        using Tensor table = torch.zeros(4, 3);
        using Tensor ids = torch.tensor(new long[] { 1, 2 });
        using Tensor output = torch.zeros(2, 3, ScalarType.Float64);

        var error = Assert.Throws<ArgumentException>(() => Nnx.Lookup.RowsInto(table, ids, output));

        Assert.Contains("Float64", error.Message);
        Assert.Contains("Float32", error.Message);
    }

    [Fact]
    public void An_output_that_requires_grad_is_rejected_because_the_copy_is_not_differentiable()
    {
        using Tensor table = torch.zeros(4, 3);
        using Tensor ids = torch.tensor(new long[] { 1, 2 });
        using Tensor output = torch.zeros(2, 3).requires_grad_();

        var error = Assert.Throws<ArgumentException>(() => Nnx.Lookup.RowsInto(table, ids, output));

        Assert.Contains("Lookup.Rows", error.Message);
    }

    [Fact]
    public void A_non_contiguous_output_is_written_through_the_fallback()
    {
        using Tensor table = torch.arange(12f).reshape(4, 3);
        using Tensor ids = torch.tensor(new long[] { 3, 0 });
        using Tensor storage = torch.zeros(3, 2);
        using Tensor output = storage.t();

        Nnx.Lookup.RowsInto(table, ids, output);

        Assert.Equal(new float[] { 9, 10, 11, 0, 1, 2 }, output.contiguous().data<float>().ToArray());
    }
}
