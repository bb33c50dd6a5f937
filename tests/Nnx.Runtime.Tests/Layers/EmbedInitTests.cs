using System.Linq;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Layers;

/// <summary><c>Nnx.Embed</c>'s table against <c>nnx.Embed</c>'s (the <c>layers.embed</c> vectors).</summary>
public class EmbedInitTests
{
    public static TheoryData<int> Cases => new(Enumerable.Range(0, LayerData.Section("embed").GetArrayLength()));

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_table_equals_nnx_Embed_bit_for_bit(int index)
    {
        JsonElement c = LayerData.Section("embed")[index];
        long vocab = c.GetProperty("num_embeddings").GetInt64(), features = c.GetProperty("features").GetInt64();
        var rngs = new Rngs(c.GetProperty("seed").GetInt64());
        using var embed = new Embed(vocab, features, rngs);

        long[] rows = JaxVectors.Longs(c.GetProperty("rows"));
        using Tensor selected = embed.Embedding.index_select(0, torch.tensor(rows));
        float[] expected = JaxVectors.FloatsFromBits(c.GetProperty("bits"));
        Assert.Equal(expected.Length, LayerData.ExactMatches(expected, LayerData.Values(selected)));
        Assert.Equal(1u, rngs.Count("params"));
        Assert.Equal(new[] { vocab, features }, embed.Embedding.shape);
    }

    [Fact]
    public void The_docstring_example_gives_the_documented_rows_including_wrapped_negative_ids()
    {
        // nnx.Embed docstring: layer([[0, 1, 2], [-1, -2, -3]]) with jnp.take's fill mode reads rows 0, 1, 2, 4, 3, 2.
        using var embed = new Embed(5, 3, new Rngs(0), outOfRange: OutOfRange.Fill);
        using Tensor ids = torch.tensor(new long[] { 0, 1, 2, -1, -2, -3 }, 2, 3);
        using Tensor output = embed.Forward(ids);

        float[] table = JaxVectors.FloatsFromBits(LayerData.Section("embed")[0].GetProperty("bits"));
        float[] expected = new[] { 0, 1, 2, 4, 3, 2 }.SelectMany(r => table.Skip(3 * r).Take(3)).ToArray();
        Assert.Equal(new long[] { 2, 3, 3 }, output.shape);
        Assert.Equal(18, LayerData.ExactMatches(expected, LayerData.Values(output)));
    }

    [Fact]
    public void The_generated_constructor_takes_nnx_arguments_and_draws_one_params_key()
    {
        var rngs = new Rngs(0);
        using var embed = new Embed(numEmbeddings: 5, features: 3, rngs: rngs, embeddingInit: Initializers.Zeros());

        Assert.Equal(5, embed.NumEmbeddings);
        Assert.Equal(3, embed.Features);
        Assert.Equal(1u, rngs.Count("params"));   // the override ignores its key, which is drawn all the same
        Assert.Equal(0.0, embed.Embedding.abs().sum().item<float>());
        Assert.Equal(new[] { "params" }, Embed.RngStreams);
    }

    [Fact]
    public void Parameters_and_state_dict_hold_one_entry_named_embedding()
    {
        using var embed = new Embed(5, 3, new Rngs(0));

        Assert.Equal(new[] { "embedding" }, embed.named_parameters().Select(p => p.name));
        Assert.Equal(new[] { "embedding" }, embed.state_dict().Keys);
        Assert.Equal(15, embed.ParameterCount);
    }
}
