using System.Linq;
using Nnx.Runtime.Tests.Generated;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.StateTests;

/// <summary>
/// A copy made by Clone or Merge behaves as the original: the same parameter dtypes, options and training flags,
/// with no hand-written code (Flax NNX keeps them in the graph definition).
/// </summary>
public class CloneSettingsTests
{
    [Fact]
    public void Clone_of_a_half_precision_module_keeps_its_dtype_and_values()
    {
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

        Assert.Equal(ScalarType.Float64, copy.Scale!.dtype);
        Assert.Equal(ScalarType.Float64, copy.Bias!.dtype);
    }

    [Fact]
    public void Clone_keeps_the_options_of_an_embed()
    {
        using var embed = new Embed(10, 4, new Rngs(0), outOfRange: OutOfRange.Fill, paddingId: 2, dtype: ScalarType.Float64);

        using Embed copy = embed.Clone();

        Assert.Equal(OutOfRange.Fill, copy.OutOfRange);
        Assert.Equal(2L, copy.PaddingId);
        Assert.Equal(ScalarType.Float64, copy.Dtype);
        using Tensor rows = copy.Forward(torch.tensor(new long[] { 12 }));
        Assert.True(rows.isnan().all().item<bool>(), "an out-of-range id under Fill gives a NaN row");
    }

    [Fact]
    public void Clone_keeps_the_options_of_a_norm_and_a_layer_without_bias()
    {
        using var norm = new LayerNorm(4, new Rngs(0), epsilon: 0.25, useBias: false);
        using var linear = new Linear(3, 2, new Rngs(0), useBias: false);

        using LayerNorm normCopy = norm.Clone();
        using Linear linearCopy = linear.Clone();

        Assert.Equal(0.25, normCopy.Epsilon);
        Assert.Null(normCopy.Bias);
        Assert.False(linearCopy.UseBias);
        Assert.Equal(new[] { "kernel" }, linearCopy.GetState().Keys.ToArray());
    }

    [Fact]
    public void Merge_keeps_the_options_of_submodules()
    {
        using var pair = new TemperedPair(3, new Rngs(0));
        var (graphDef, states) = pair.Split();

        using var copy = (TemperedPair)graphDef.Merge(states);

        Assert.Equal(0.5, copy.first.temperature);
        Assert.Equal(2.0, copy.second.temperature);
    }

    [Fact]
    public void Clone_keeps_each_module_s_own_training_flag()
    {
        using var encoder = new TextEncoder(10, 4, new Rngs(0));
        encoder.embed.eval();

        using TextEncoder copy = encoder.Clone();

        Assert.True(copy.training);
        Assert.False(copy.embed.training);
        Assert.True(copy.norm.training);
    }

    [Fact]
    public void A_graph_definition_is_data_and_merges_after_its_source_is_gone()
    {
        GraphDef graphDef;
        State[] states;
        using (var pair = new TemperedPair(3, new Rngs(5)))
        {
            (graphDef, states) = pair.Split(StateFilter.Everything);
            states = [new State(states[0].Values.Select(v => v with { Value = v.Value.detach().clone() }), states[0].Aliases)];
        }

        using var copy = (TemperedPair)graphDef.Merge(states);

        Assert.Equal(2.0, copy.second.temperature);
        Assert.Equal("TemperedPair(n: 3, paramDtype: null)", graphDef.Definition.ToString());
    }

    [Fact]
    public void Merge_builds_from_rngs_that_skip_initial_values_and_new_like_draws_them()
    {
        using var model = new Counting(new Rngs(3));
        var (graphDef, states) = model.Split();

        using var merged = (Counting)graphDef.Merge(states);
        using var fresh = (Counting)model.NewLike();

        Assert.True(merged.BuiltForRebuilding, "Merge overwrites every variable, so it builds without initial values");
        Assert.False(fresh.BuiltForRebuilding, "NewLike draws fresh values from new Rngs(0)");
    }

    [Fact]
    public void Rngs_for_rebuilding_allocate_variables_without_calling_their_initializer()
    {
        var init = new CountingInitializer();

        using Parameter skipped = Nnx.Dsl.ModuleSupport.NewParameter("T.w", init, null, Rngs.ForRebuilding(), "params", [4], ScalarType.Float32);
        using Parameter drawn = Nnx.Dsl.ModuleSupport.NewParameter("T.w", init, null, new Rngs(0), "params", [4], ScalarType.Float32);

        Assert.Equal(1, init.Calls);
        Assert.Equal(new long[] { 4 }, skipped.shape);
    }

    /// <summary>A hand-written module whose definition records how it was rebuilt.</summary>
    private sealed class Counting : Module
    {
        public Counting(Rngs rngs) : base(nameof(Counting)) => BuiltForRebuilding = rngs.SkipsInitialValues;

        public bool BuiltForRebuilding { get; }

        public override ModuleDefinition Definition => new(typeof(Counting), [], static (_, rngs) => new Counting(rngs));
    }

    private sealed class CountingInitializer : Initializer
    {
        public int Calls { get; private set; }

        public override string Spec => "counting";

        public override Tensor Create(PrngKey key, long[] shape, ScalarType dtype, BitsLayout layout)
        {
            Calls++;
            return torch.zeros(shape, dtype);
        }
    }
}
