using System;
using GptSample;

namespace Nnx.Runtime.Tests.GptTests;

public sealed class TokenSamplerTests
{
    private static readonly float[] Logits = [0.5f, 3.0f, -1.0f, 2.0f, 3.0f];

    [Fact]
    public void Top_1_is_the_largest_logit_with_ties_going_to_the_lower_id()
    {
        Assert.Equal(1, TokenSampler.Draw(Logits, temperature: 1.0, topK: 1, uniform: 0.99));
    }

    [Fact]
    public void Draws_stay_among_the_top_k_in_proportion_to_their_weights()
    {
        // Top 3: ids 1, 4 (logit 3) and 3 (logit 2), weights 1 : 1 : e^-1 at temperature 1.
        double total = 2 + Math.Exp(-1);
        Assert.Equal(1, TokenSampler.Draw(Logits, 1.0, 3, uniform: 0.99 / total));
        Assert.Equal(4, TokenSampler.Draw(Logits, 1.0, 3, uniform: 1.01 / total));
        Assert.Equal(3, TokenSampler.Draw(Logits, 1.0, 3, uniform: 2.01 / total));
        Assert.Equal(3, TokenSampler.Draw(Logits, 1.0, 3, uniform: 0.999999));
    }

    [Fact]
    public void Bad_arguments_are_refused_with_the_value()
    {
        Assert.Throws<ArgumentException>(() => TokenSampler.Draw([], 1.0, 1, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenSampler.Draw(Logits, 0.0, 1, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenSampler.Draw(Logits, 1.0, 0, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenSampler.Draw(Logits, 1.0, 1, 1.0));
        var e = Assert.Throws<ArgumentException>(() => TokenSampler.Draw([float.NaN, float.NaN], 1.0, 1, 0.5));
        Assert.Contains("NaN", e.Message);
    }
}
