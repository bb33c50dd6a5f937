using System;
using System.Collections.Generic;
using System.Linq;

namespace Nnx.Runtime.Tests;

public class RngsStreamTests
{
    [Fact]
    public void Counts_saved_and_restored_resume_every_stream_where_it_stopped()
    {
        var original = new Rngs(0, ("dropout", 7));
        original.Params();
        original.Params();
        original.Dropout();
        IReadOnlyDictionary<string, uint> saved = original.GetCounts();

        var resumed = new Rngs(0, ("dropout", 7));
        foreach (var (stream, count) in saved) resumed.SetCount(stream, count);

        Assert.Equal(new Dictionary<string, uint> { ["default"] = 2, ["dropout"] = 1 }, saved);
        Assert.Equal(original.Params(), resumed.Params());
        Assert.Equal(original.Dropout(), resumed.Dropout());
        Assert.Equal(PrngKey.FromSeed(0).FoldIn(3), resumed.Params());
    }

    [Fact]
    public void Setting_the_count_of_a_stream_that_is_not_held_names_it_and_those_held()
    {
        var rngs = new Rngs(0);

        var e = Assert.Throws<KeyNotFoundException>(() => rngs.SetCount("params", 3));

        Assert.Contains("'params'", e.Message);
        Assert.Contains("'default'", e.Message);
    }

    [Fact]
    public void Forking_a_stream_keys_a_new_stream_with_its_next_key_at_count_0()
    {
        // flax rnglib.RngStream.fork: key = self(); RngStream(key) with a fresh count.
        var rngs = new Rngs(0);
        rngs.Params();

        RngStream forked = rngs.Fork("dropout");

        Assert.Equal(PrngKey.FromSeed(0).FoldIn(1), forked.Key);
        Assert.Equal(0u, forked.Count);
        Assert.Equal(forked.Key.FoldIn(0), forked.Next());
        Assert.Equal(2u, rngs.Count("default"));
    }

    [Fact]
    public void Forking_rngs_forks_every_stream_in_order_and_keeps_the_names()
    {
        // flax rnglib.Rngs.fork: Rngs(**{name: stream.fork() for name, stream in self.items()}).
        var rngs = new Rngs(PrngKey.FromSeed(1), ("params", PrngKey.FromSeed(2)), ("noise", new PrngKey(5, 6)));

        Rngs forked = rngs.Fork();

        Assert.Equal(new[] { "default", "params", "noise" }, forked.StreamNames);
        Assert.Equal(PrngKey.FromSeed(2).FoldIn(0).FoldIn(0), forked.Params());
        Assert.Equal(new PrngKey(5, 6).FoldIn(0).FoldIn(0), forked["noise"]);
        Assert.Equal(PrngKey.FromSeed(1).FoldIn(0).FoldIn(0), forked.Dropout());
        Assert.Equal(new Dictionary<string, uint> { ["default"] = 1, ["params"] = 1, ["noise"] = 1 }, rngs.GetCounts());
    }

    [Fact]
    public void Streams_given_by_key_use_that_key()
    {
        var key = new PrngKey(0x13198A2E, 0x03707344);
        var rngs = new Rngs(key, ("dropout", key.FoldIn(9)));

        Assert.Equal(key.FoldIn(0), rngs.Params());
        Assert.Equal(key.FoldIn(9).FoldIn(0), rngs.Dropout());
    }

    [Fact]
    public void Concurrent_forks_and_draws_hand_out_each_count_once()
    {
        var rngs = new Rngs(3);
        PrngKey[] keys = new PrngKey[2000];

        System.Threading.Tasks.Parallel.For(0, keys.Length, i => keys[i] = i % 2 == 0 ? rngs.Params() : rngs.Fork("dropout").Key);

        Assert.Equal(2000u, rngs.Count("default"));
        Assert.True(Enumerable.Range(0, 2000).Select(i => PrngKey.FromSeed(3).FoldIn((uint)i)).ToHashSet().SetEquals(keys));
    }
}
