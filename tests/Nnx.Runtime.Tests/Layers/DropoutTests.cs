using System;
using System.Linq;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Layers;

/// <summary><c>Nnx.Dropout</c> against Flax &gt;= 0.11's <c>nnx.Dropout</c> (the <c>layers.dropout</c> vectors).</summary>
public class DropoutTests
{
    // The legacy-layout case needs JaxRandom.DefaultLayout changed process-wide, which parallel tests must not do.
    public static TheoryData<int> PartitionableCases => new(Enumerable.Range(0, LayerData.Section("dropout").GetArrayLength())
        .Where(i => LayerData.Section("dropout")[i].GetProperty("partitionable").GetBoolean()));

    [Theory]
    [MemberData(nameof(PartitionableCases))]
    public void After_a_Linear_the_forked_stream_masks_and_scales_exactly_as_NNX(int index)
    {
        JsonElement c = LayerData.Section("dropout")[index];
        long seed = long.Parse(c.GetProperty("module").GetString()!.Split("Rngs(")[1].TrimEnd(')'), System.Globalization.CultureInfo.InvariantCulture);
        var rngs = new Rngs(seed);
        using var linear = new Linear(3, 4, rngs);
        using var dropout = new Dropout(c.GetProperty("rate").GetDouble(), rngs);
        using Tensor x = LayerData.Tensor(c.GetProperty("x"), JaxVectors.Longs(c.GetProperty("shape")));

        Assert.Equal(JaxVectors.Key(c.GetProperty("fork_key")), dropout.Stream.Key);
        using Tensor y = dropout.Forward(x);

        float[] expected = JaxVectors.FloatsFromBits(c.GetProperty("y_eager").GetProperty("bits"));
        Assert.Equal(expected.Length, LayerData.ExactMatches(expected, LayerData.Values(y)));
        Assert.Equal(JaxVectors.Longs(c.GetProperty("mask")), LayerData.Values(y).Select(v => v != 0f ? 1L : 0L));
        Assert.Equal(1u, dropout.Stream.Count);
    }

    [Fact]
    public void Each_call_takes_the_next_key_of_the_forked_stream()
    {
        var rngs = new Rngs(4);
        using var dropout = new Dropout(0.5, rngs);
        PrngKey fork = PrngKey.FromSeed(4).FoldIn(0);
        using Tensor x = torch.ones(64);

        Assert.Equal(fork, dropout.Stream.Key);
        for (uint call = 0; call < 3; call++)
        {
            using Tensor y = dropout.Forward(x);
            using Tensor mask = JaxRandom.Bernoulli(fork.FoldIn(call), 0.5, [64]);
            Assert.Equal(LayerData.Values(mask.to(ScalarType.Float32)).Select(m => m * 2f), LayerData.Values(y));
        }
    }

    [Fact]
    public void Eval_mode_is_the_identity_and_draws_no_key()
    {
        using var dropout = new Dropout(0.5, new Rngs(0));
        using Tensor x = torch.arange(10, ScalarType.Float32);
        dropout.eval();

        using Tensor y = dropout.Forward(x);

        Assert.True(dropout.Deterministic);
        Assert.Equal(LayerData.Values(x), LayerData.Values(y));
        Assert.Equal(0u, dropout.Stream.Count);
    }

    [Fact]
    public void The_deterministic_argument_wins_over_the_mode_both_ways()
    {
        using var dropout = new Dropout(0.5, new Rngs(0), deterministic: true);
        using Tensor x = torch.ones(32);

        using Tensor dropped = dropout.Forward(x, deterministic: false);
        dropout.Deterministic = false;
        using Tensor kept = dropout.Forward(x, deterministic: true);

        Assert.Contains(0f, LayerData.Values(dropped));
        Assert.Equal(LayerData.Values(x), LayerData.Values(kept));
        Assert.Equal(1u, dropout.Stream.Count);
    }

    [Fact]
    public void A_named_dropout_stream_is_forked_instead_of_default()
    {
        var rngs = new Rngs(0, ("dropout", 9L));
        using var dropout = new Dropout(0.5, rngs);

        Assert.Equal(PrngKey.FromSeed(9).FoldIn(0), dropout.Stream.Key);
        Assert.Equal(0u, rngs.Count(Rngs.DefaultStream));
    }

    [Fact]
    public void Broadcast_dims_share_the_mask_along_those_axes()
    {
        using var dropout = new Dropout(0.5, new Rngs(1), broadcastDims: [0]);

        float[] y = LayerData.Values(dropout.Forward(torch.ones(5, 16)));

        for (int row = 1; row < 5; row++)
            Assert.Equal(y[..16], y[(row * 16)..((row + 1) * 16)]);
        Assert.Contains(0f, y);
        Assert.Contains(2f, y);
    }

    [Fact]
    public void Rate_one_gives_zeros_and_rate_zero_the_input()
    {
        using var all = new Dropout(1.0, new Rngs(0));
        using var none = new Dropout(0.0, new Rngs(0));
        using Tensor x = torch.arange(1, 5, ScalarType.Float32);

        Assert.Equal(new float[4], LayerData.Values(all.Forward(x)));
        Assert.Equal(LayerData.Values(x), LayerData.Values(none.Forward(x)));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_rate_outside_zero_to_one_is_rejected_naming_it(double rate)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(rate, new Rngs(0)));

        Assert.Contains("[0, 1]", error.Message);
    }
}
