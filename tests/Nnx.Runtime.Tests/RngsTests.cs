using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace Nnx.Runtime.Tests;

public class RngsTests
{
    [Fact]
    public void Params_draws_fold_in_of_the_seed_key_with_counts_0_1_2()
    {
        // flax tests/nnx/rngs_test.py::test_rng_stream; docs/jax-random.md, Keys.
        var rngs = new Rngs(0);
        PrngKey seedKey = PrngKey.FromSeed(0);

        PrngKey[] keys = [rngs.Params(), rngs.Params(), rngs.Params()];

        Assert.Equal(new[] { seedKey.FoldIn(0), seedKey.FoldIn(1), seedKey.FoldIn(2) }, keys);
        Assert.Equal(new PrngKey(0x6B200159, 0x99BA4EFE), keys[0]);
        Assert.Equal(3u, rngs.Count("params"));
    }

    [Fact]
    public void Unknown_streams_fall_back_to_default_and_share_its_count()
    {
        var rngs = new Rngs(5);
        PrngKey seedKey = PrngKey.FromSeed(5);

        PrngKey first = rngs.Params();
        PrngKey second = rngs.Dropout();
        PrngKey third = rngs["noise"];

        Assert.Equal(new[] { seedKey.FoldIn(0), seedKey.FoldIn(1), seedKey.FoldIn(2) }, new[] { first, second, third });
    }

    [Fact]
    public void Named_streams_keep_their_own_key_and_count()
    {
        var rngs = new Rngs(0, ("dropout", 7));

        PrngKey dropout = rngs.Dropout();
        PrngKey parameters = rngs.Params();

        Assert.Equal(PrngKey.FromSeed(7).FoldIn(0), dropout);
        Assert.Equal(PrngKey.FromSeed(0).FoldIn(0), parameters);
        Assert.Equal(1u, rngs.Count("dropout"));
        Assert.Equal(1u, rngs.Count("params"));
    }

    [Fact]
    public void A_missing_stream_without_default_names_the_stream_and_those_present()
    {
        var rngs = new Rngs(new[] { KeyValuePair.Create("params", PrngKey.FromSeed(1)) });

        var e = Assert.Throws<KeyNotFoundException>(() => rngs.Dropout());

        Assert.Contains("'dropout'", e.Message);
        Assert.Contains("'params'", e.Message);
    }

    [Fact]
    public void Concurrent_draws_hand_out_each_count_once()
    {
        var rngs = new Rngs(1);
        PrngKey seedKey = PrngKey.FromSeed(1);

        PrngKey[] keys = new PrngKey[1000];
        Parallel.For(0, keys.Length, i => keys[i] = rngs.Params());

        var expected = Enumerable.Range(0, keys.Length).Select(i => seedKey.FoldIn((uint)i)).ToHashSet();
        Assert.True(expected.SetEquals(keys));
    }

    [Fact]
    public void A_stream_given_twice_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new Rngs(0, ("dropout", 1), ("dropout", 2)));

        Assert.Contains("'dropout'", e.Message);
    }
}
