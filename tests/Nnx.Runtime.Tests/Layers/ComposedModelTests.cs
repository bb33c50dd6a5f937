using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Layers;

/// <summary>A user module built from the library layers with <c>[Sub]</c>, as an NNX model holds <c>nnx.Embed</c> and <c>nnx.Linear</c>.</summary>
public partial class TinyTagger
{
    [Sub(Dims = "numEmbeddings=vocab, features=dModel")] internal Embed embed;
    [Sub(Dims = "numFeatures=dModel")] internal LayerNorm norm;
    [Sub(Dims = "inFeatures=dModel, outFeatures=tags")] internal Linear head;

    /// <summary>(T,) ids to (T, tags) scores.</summary>
    public Tensor Forward(Tensor ids)
    {
        using var scope = torch.NewDisposeScope();
        return head.Forward(norm.Forward(embed.Forward(ids))).MoveToOuterDisposeScope();
    }
}

/// <summary>Library layers as children of a generated module: keys, paths and training.</summary>
public class ComposedModelTests
{
    [Fact]
    public void Children_draw_their_keys_in_declaration_order_as_in_NNX()
    {
        var rngs = new Rngs(0);
        using var model = new TinyTagger(vocab: 5, dModel: 3, tags: 2, rngs: rngs);
        using var embed = new Embed(5, 3, new Rngs(0));
        PrngKey seed = PrngKey.FromSeed(0);

        // embed: count 0; norm scale and bias: counts 1 and 2; head kernel: count 3, head bias: count 4.
        Assert.Equal(LayerData.Values(embed.Embedding), LayerData.Values(model.embed.Embedding));
        using Tensor kernel = Initializers.LecunNormal().Create(seed.FoldIn(3), [3, 2]);
        Assert.Equal(LayerData.Values(kernel), LayerData.Values(model.head.Kernel));
        Assert.Equal(5u, rngs.Count("params"));
    }

    [Fact]
    public void Parameter_paths_name_the_child_then_the_NNX_variable()
    {
        using var model = new TinyTagger(vocab: 5, dModel: 3, tags: 2, rngs: new Rngs(0));

        Assert.Equal(
            new[] { "embed.embedding", "norm.scale", "norm.bias", "head.kernel", "head.bias" },
            model.named_parameters().Select(p => p.name));
        Assert.Equal(model.named_parameters().Select(p => p.name), model.GetState().Select(e => e.Key));
    }

    [Fact]
    public void A_few_Adam_steps_lower_the_loss()
    {
        using var model = new TinyTagger(vocab: 5, dModel: 8, tags: 2, rngs: new Rngs(1));
        var optimizer = torch.optim.Adam(model.parameters(), 0.05);
        using Tensor ids = torch.tensor(new long[] { 0, 1, 2, 3, 4 });
        using Tensor targets = torch.tensor(new long[] { 0, 1, 0, 1, 0 });
        float Loss()
        {
            using Tensor l = torch.nn.functional.cross_entropy(model.Forward(ids), targets);
            return l.item<float>();
        }
        float before = Loss();

        for (int step = 0; step < 20; step++)
        {
            optimizer.zero_grad();
            using Tensor loss = torch.nn.functional.cross_entropy(model.Forward(ids), targets);
            loss.backward();
            optimizer.step();
        }

        Assert.True(Loss() < before / 2, $"loss {before} -> {Loss()}");
    }
}
