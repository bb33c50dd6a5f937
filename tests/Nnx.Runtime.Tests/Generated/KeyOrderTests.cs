using System.Linq;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Generated;

/// <summary>
/// Keys are drawn in declaration order across parameters and submodules, as NNX's <c>__init__</c> would:
/// with no <c>params</c> stream, every draw is <c>fold_in(key(seed), count++)</c> of the <c>default</c> stream.
/// </summary>
public class KeyOrderTests
{
    [Fact]
    public void A_submodule_between_two_parameters_draws_its_keys_between_theirs()
    {
        using var model = new Sandwich(n: 5, rngs: new Rngs(7));
        PrngKey seed = PrngKey.FromSeed(7);

        AssertEqual(JaxRandom.Normal(seed.FoldIn(0), 5), model.a);
        AssertEqual(JaxRandom.Normal(seed.FoldIn(1), 5), model.inner.x);
        AssertEqual(JaxRandom.Normal(seed.FoldIn(2), 5), model.inner.y);
        AssertEqual(JaxRandom.Normal(seed.FoldIn(3), 5), model.c);
    }

    [Fact]
    public void List_elements_draw_in_index_order_after_the_modules_declared_before_them()
    {
        using var model = new TinyLm(nTokens: 7, dModel: 4, depth: 2, hidden: 3, rngs: new Rngs(3));
        PrngKey seed = PrngKey.FromSeed(3);

        AssertEqual(JaxRandom.Normal(seed.FoldIn(0), 7, 4), model.embed.embedding);
        AssertEqual(JaxRandom.Normal(seed.FoldIn(1), 4, 3).mul_(0.1f), model.blocks[0].up);
        AssertEqual(JaxRandom.Normal(seed.FoldIn(3), 3, 4).mul_(0.1f), model.blocks[0].down);   // bias took count 2
        AssertEqual(JaxRandom.Normal(seed.FoldIn(4), 4, 3).mul_(0.1f), model.blocks[1].up);
        AssertEqual(JaxRandom.Normal(seed.FoldIn(6), 3, 4).mul_(0.1f), model.blocks[1].down);
    }

    [Fact]
    public void An_initializer_override_still_draws_its_key()
    {
        using var model = new Pair(n: 4, rngs: new Rngs(2), xInit: Initializer.Parse("zeros"));

        AssertEqual(zeros(4), model.x);
        AssertEqual(JaxRandom.Normal(PrngKey.FromSeed(2).FoldIn(1), 4), model.y);
    }

    [Fact]
    public void A_batch_stat_draws_no_key()
    {
        var rngs = new Rngs(0);
        using var model = new TinyLm(nTokens: 5, dModel: 2, depth: 1, hidden: 3, rngs: rngs);

        // embedding, up, bias, down, finalScale: five keys; the running mean takes none.
        Assert.Equal(5u, rngs.Count("params"));
    }

    private static void AssertEqual(Tensor expected, Tensor actual)
    {
        using (expected)
        {
            Assert.Equal(expected.shape, actual.shape);
            Assert.True(expected.equal(actual.detach()).all().item<bool>(), $"expected [{string.Join(", ", expected.data<float>().ToArray())}] got [{string.Join(", ", actual.detach().data<float>().ToArray())}]");
        }
    }
}
