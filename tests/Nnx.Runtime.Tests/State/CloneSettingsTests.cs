using Nnx.Runtime.Tests.Generated;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.StateTests;

/// <summary>
/// A copy made by Clone or Merge behaves as the original: the same parameter dtypes and the same settings that are
/// neither variables nor dimensions (Flax NNX keeps both in the graph definition).
/// </summary>
public class CloneSettingsTests
{
    [Fact]
    public void Clone_of_a_half_precision_module_keeps_its_dtype_and_values()
    {
        // Initializers draw float32 as JAX does; a half-precision model is converted after construction.
        using var embed = new Embed(10, 4, new Rngs(0));
        embed.to(ScalarType.Float16);

        using Embed copy = embed.Clone();

        Assert.Equal(ScalarType.Float16, copy.Embedding.dtype);
        Assert.True(copy.Embedding.equal(embed.Embedding).all().item<bool>());
    }

    [Fact]
    public void Clone_of_a_module_converted_with_to_keeps_the_new_dtype()
    {
        using var norm = new LayerNorm(4, new Rngs(0));
        norm.to(ScalarType.Float64);

        using LayerNorm copy = norm.Clone();

        Assert.Equal(ScalarType.Float64, copy.Scale.dtype);
        Assert.Equal(ScalarType.Float64, copy.Bias.dtype);
    }

    [Fact]
    public void Clone_keeps_the_settings_of_an_embed()
    {
        using var embed = new Embed(10, 4, new Rngs(0)) { OutOfRange = OutOfRange.Fill, PaddingId = 2, Dtype = ScalarType.Float64 };

        using Embed copy = embed.Clone();

        Assert.Equal(OutOfRange.Fill, copy.OutOfRange);
        Assert.Equal(2L, copy.PaddingId);
        Assert.Equal(ScalarType.Float64, copy.Dtype);
        using Tensor rows = copy.Forward(torch.tensor(new long[] { 12 }));
        Assert.True(rows.isnan().all().item<bool>(), "an out-of-range id under Fill gives a NaN row");
    }

    [Fact]
    public void Clone_keeps_the_epsilon_of_a_norm()
    {
        using var norm = new LayerNorm(4, new Rngs(0)) { Epsilon = 0.25 };

        using LayerNorm copy = norm.Clone();

        Assert.Equal(0.25, copy.Epsilon);
    }

    [Fact]
    public void Merge_keeps_the_settings_of_submodules()
    {
        using var encoder = new TextEncoder(10, 4, new Rngs(0));
        encoder.embed.OutOfRange = OutOfRange.JaxClamp;
        var (graphDef, states) = encoder.Split();

        using var copy = (TextEncoder)graphDef.Merge(states);

        Assert.Equal(OutOfRange.JaxClamp, copy.embed.OutOfRange);
        using Tensor clamped = copy.embed.Forward(torch.tensor(new long[] { 99 }));
        using Tensor last = encoder.embed.Embedding[9];
        Assert.True(clamped[0].equal(last).all().item<bool>());
    }

    [Fact]
    public void Merge_builds_its_copy_without_drawing_initial_values_and_NewLike_alone_still_draws_them()
    {
        using var model = new InitRecorder(6, new Rngs(3));
        var (graphDef, states) = model.Split();

        using var merged = (InitRecorder)graphDef.Merge(states);
        bool mergeSkipped = InitRecorder.LastBuiltWithoutInitialValues;
        using var fresh = (InitRecorder)model.NewLike();

        Assert.True(mergeSkipped);
        Assert.False(InitRecorder.LastBuiltWithoutInitialValues);
        Assert.True(merged.weight.equal(model.weight).all().item<bool>());
        using var expected = new InitRecorder(6, new Rngs(0));
        Assert.True(fresh.weight.equal(expected.weight).all().item<bool>(), "NewLike() draws from new Rngs(0)");
    }

    [Fact]
    public void A_user_module_keeps_its_own_settings_through_an_override_of_CopySettingsTo()
    {
        using var pair = new TemperedPair(3, new Rngs(0));
        pair.first.Temperature = 0.5;
        pair.second.Temperature = 2.0;

        using TemperedPair copy = pair.Clone();

        Assert.Equal(0.5, copy.first.Temperature);
        Assert.Equal(2.0, copy.second.Temperature);
    }
}
