using System;
using System.Linq;
using TinyLmSample;

namespace Nnx.Runtime.Tests.Training;

/// <summary>The TinyLm sampler: padding is never drawn and its probability is spread over the characters, not dumped on one.</summary>
public sealed class CharSamplerTests
{
    // Evenly spaced uniforms stand in for random ones, so the counts are exact: n draws at u = (i + 0.5) / n.
    private static int[] Counts(float[] logits, double temperature, int n)
    {
        var counts = new int[logits.Length];
        for (int i = 0; i < n; i++) counts[CharSampler.Draw(logits, temperature, (i + 0.5) / n)]++;
        return counts;
    }

    [Fact]
    public void Padding_is_never_drawn_and_its_mass_is_shared_in_proportion()
    {
        // Padding holds 99.99% of the softmax, as an untrained or badly prompted model can give it.
        float[] logits = [12f, 0f, 0f, 0f];

        int[] counts = Counts(logits, temperature: 1.0, n: 3000);

        Assert.Equal([0, 1000, 1000, 1000], counts);
    }

    [Theory]
    [InlineData(1.0, 1000, 3000)]   // probabilities 1 : 3
    [InlineData(0.5, 400, 3600)]    // squared by the temperature: 1 : 9
    public void Draws_follow_the_softmax_at_the_temperature(double temperature, int first, int second)
    {
        float[] logits = [0f, 0f, MathF.Log(3)];

        int[] counts = Counts(logits, temperature, n: 4000);

        Assert.Equal([0, first, second], counts);
    }

    [Fact]
    public void A_uniform_near_one_picks_the_last_character_with_probability_not_the_last_id()
    {
        float[] logits = [5f, 1f, 2f, float.NegativeInfinity];

        Assert.Equal(2, CharSampler.Draw(logits, 0.8, Math.BitDecrement(1.0)));
        Assert.Equal(1, CharSampler.Draw(logits, 0.8, 0.0));
    }

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(double.NaN, 0.5)]
    [InlineData(1.0, 1.0)]
    [InlineData(1.0, -0.1)]
    public void Bad_temperature_or_uniform_is_refused(double temperature, double uniform)
    {
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => CharSampler.Draw([0f, 1f], temperature, uniform));
    }

    [Fact]
    public void Logits_that_are_not_finite_are_refused_by_name()
    {
        var e = Assert.Throws<ArgumentException>(() => CharSampler.Draw([0f, float.NaN, float.NaN], 1.0, 0.5));

        Assert.Contains("not finite", e.Message);
    }

    [Fact]
    public void A_short_prompt_is_preceded_by_the_filler_up_to_the_context()
    {
        Assert.Equal([7, 7, 7, 1, 2], CharSampler.FillContext([1, 2], context: 5, filler: 7));
        Assert.Equal([1, 2, 3], CharSampler.FillContext([1, 2, 3], context: 2, filler: 7));
    }

    [Fact]
    public void The_filler_is_the_commonest_id()
    {
        Assert.Equal(4, CharSampler.Commonest([1, 4, 2, 4, 3, 4, 1]));
    }
}
