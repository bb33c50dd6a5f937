using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Layers;

/// <summary><see cref="AttentionMasks"/> against the definitions of NNX's mask helpers.</summary>
public class AttentionMasksTests
{
    [Fact]
    public void A_causal_mask_is_one_where_the_key_position_is_at_most_the_query_position()
    {
        using Tensor x = torch.zeros(2, 4);

        using Tensor mask = AttentionMasks.MakeCausalMask(x);

        Assert.Equal(new long[] { 2, 1, 4, 4 }, mask.shape);
        Assert.Equal(ScalarType.Float32, mask.dtype);
        float[] values = LayerData.Values(mask);
        for (int b = 0; b < 2; b++)
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++)
                    Assert.Equal(j <= i ? 1f : 0f, values[(b * 4 + i) * 4 + j]);
    }

    [Fact]
    public void A_padding_mask_from_ids_is_the_outer_product_of_the_non_padding_positions()
    {
        using Tensor ids = torch.tensor(new long[] { 5, 3, 0, 2, 0, 0 }).reshape(2, 3);

        using Tensor mask = AttentionMasks.MakeAttentionMask(ids.gt(0), ids.gt(0), dtype: ScalarType.Bool);

        Assert.Equal(new long[] { 2, 1, 3, 3 }, mask.shape);
        bool[] real = [true, true, false, true, false, false];
        bool[] values = mask.contiguous().data<bool>().ToArray();
        for (int b = 0; b < 2; b++)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++)
                    Assert.Equal(real[b * 3 + i] && real[b * 3 + j], values[(b * 3 + i) * 3 + j]);
    }

    [Fact]
    public void A_pairwise_function_and_extra_batch_dims_are_applied_as_in_NNX()
    {
        using Tensor q = torch.tensor(new long[] { 1, 2 }), k = torch.tensor(new long[] { 1, 2, 3 });

        using Tensor mask = AttentionMasks.MakeAttentionMask(q, k, torch.eq, extraBatchDims: 2);

        Assert.Equal(new long[] { 1, 1, 1, 2, 3 }, mask.shape);
        Assert.Equal(new float[] { 1, 0, 0, 0, 1, 0 }, LayerData.Values(mask));
    }

    [Fact]
    public void Combining_masks_is_their_logical_and_and_null_masks_are_skipped()
    {
        using Tensor causal = AttentionMasks.MakeCausalMask(torch.zeros(1, 3));
        using Tensor padding = AttentionMasks.MakeAttentionMask(torch.tensor(new[] { true, true, false }).reshape(1, 3),
            torch.tensor(new[] { true, true, false }).reshape(1, 3));

        using Tensor combined = AttentionMasks.CombineMasks([causal, null, padding])!;

        Assert.Equal(new float[] { 1, 0, 0, 1, 1, 0, 0, 0, 0 }, LayerData.Values(combined));
        Assert.Null(AttentionMasks.CombineMasks([null, null]));
    }

    [Fact]
    public void Masks_of_different_ranks_are_rejected_as_NNX_does()
    {
        using Tensor a = torch.ones(1, 1, 3, 3), b = torch.ones(3, 3);

        var error = Assert.Throws<ArgumentException>(() => AttentionMasks.CombineMasks([a, b]));

        Assert.Contains("same rank", error.Message);
        Assert.Contains("[1, 1, 3, 3], [3, 3]", error.Message);
    }

    [Fact]
    public void Masks_that_do_not_broadcast_together_are_rejected_naming_the_axis()
    {
        using Tensor a = torch.ones(1, 1, 3, 3), b = torch.ones(1, 1, 3, 4);

        var error = Assert.Throws<ArgumentException>(() => AttentionMasks.CombineMasks([a, b]));

        Assert.Contains("axis -1: 3 vs 4", error.Message);
    }

    [Fact]
    public void A_scalar_input_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => AttentionMasks.MakeCausalMask(torch.tensor(1f)));

        Assert.Contains("(batch..., length)", error.Message);
    }
}
