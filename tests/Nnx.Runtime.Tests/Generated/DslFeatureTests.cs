using System;
using System.Linq;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Generated;

/// <summary>Smaller DSL features, each on a module written for it.</summary>
public class DslFeatureTests
{
    [Fact]
    public void RngStreams_lists_own_streams_then_those_of_submodules()
    {
        Assert.Equal(new[] { "params", "dropout" }, StreamsParent.RngStreams);
        Assert.Equal(new[] { "dropout" }, Noisy.RngStreams);
        Assert.Equal(new[] { "params" }, TinyLm.RngStreams);
    }

    [Fact]
    public void Rng_names_the_stream_a_parameter_draws_from()
    {
        var rngs = new Rngs(0, ("dropout", 9));
        using var model = new StreamsParent(n: 3, rngs: rngs);

        using Tensor expected = JaxRandom.Normal(PrngKey.FromSeed(9).FoldIn(0), 3);
        Assert.True(expected.equal(model.noisy.noise.detach()).all().item<bool>());
        Assert.Equal(1u, rngs.Count("params"));
        Assert.Equal(1u, rngs.Count("dropout"));
    }

    [Fact]
    public void Dtype_on_the_attribute_sets_the_parameter_type_and_paramDtype_overrides_it()
    {
        using var model = new StreamsParent(n: 3, rngs: new Rngs(0));
        using var overridden = new StreamsParent(n: 3, rngs: new Rngs(0), paramDtype: ScalarType.Float32);

        Assert.Equal(ScalarType.Float64, model.wide.dtype);
        Assert.Equal(ScalarType.Float32, model.noisy.noise.dtype);
        Assert.Equal(ScalarType.Float32, overridden.wide.dtype);
    }

    [Fact]
    public void A_user_constructor_chains_to_the_generated_one_and_the_hook_runs_last()
    {
        using var model = new Chained(new Rngs(0));

        Assert.Equal(3, model.N);
        Assert.True(model.HookSawParameter);
        Assert.Equal(new[] { 0.5f, 0.5f, 0.5f }, model.w.data<float>().ToArray());
    }
}
