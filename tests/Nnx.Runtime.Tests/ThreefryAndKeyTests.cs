using System.Linq;
using System.Text.Json;

namespace Nnx.Runtime.Tests;

public class ThreefryAndKeyTests
{
    public static TheoryData<int> ThreefryCases => Indexes("threefry2x32");
    public static TheoryData<int> KeyCases => Indexes("key");
    public static TheoryData<int> FoldInCases => Indexes("fold_in");

    [Theory]
    [MemberData(nameof(ThreefryCases))]
    public void Threefry2x32_matches_jax(int index)
    {
        JsonElement c = JaxVectors.Section("threefry2x32").ElementAt(index);
        uint[] key = JaxVectors.HexArray(c.GetProperty("key"));
        uint[] count = JaxVectors.HexArray(c.GetProperty("count"));
        uint[] expected = JaxVectors.HexArray(c.GetProperty("out"));

        var (y0, y1) = Threefry.Hash(key[0], key[1], count[0], count[1]);

        Assert.Equal(expected, new[] { y0, y1 });
    }

    [Theory]
    [MemberData(nameof(KeyCases))]
    public void Key_from_seed_matches_jax(int index)
    {
        JsonElement c = JaxVectors.Section("key").ElementAt(index);

        PrngKey key = PrngKey.FromSeed(c.GetProperty("seed").GetInt64());

        Assert.Equal(JaxVectors.Key(c.GetProperty("key")), key);
    }

    [Theory]
    [MemberData(nameof(FoldInCases))]
    public void Fold_in_matches_jax(int index)
    {
        JsonElement c = JaxVectors.Section("fold_in").ElementAt(index);
        PrngKey key = JaxVectors.Key(c.GetProperty("key"));

        PrngKey folded = key.FoldIn(c.GetProperty("data").GetUInt32());

        Assert.Equal(JaxVectors.Key(c.GetProperty("out")), folded);
    }

    [Fact]
    public void Key_in_x64_mode_keeps_the_high_word_as_jax_enable_x64_does()
    {
        // jax tests/random_test.py::test_prng_seeds_and_keys, x64 column: -1 -> [4294967295, 4294967295].
        Assert.Equal(new PrngKey(0xFFFFFFFF, 0xFFFFFFFF), PrngKey.FromSeed(-1, x64: true));
        Assert.Equal(new PrngKey(0xFFFFFFFF, 2147483548), PrngKey.FromSeed(-2147483648L - 100, x64: true));
    }

    [Fact]
    public void Partitionable_split_equals_fold_in_of_the_index()
    {
        // jax tests/random_test.py::test_threefry_split_fold_in_symmetry.
        PrngKey key = PrngKey.FromSeed(72);

        PrngKey[] keys = key.Split(3);

        Assert.Equal(new[] { key.FoldIn(0), key.FoldIn(1), key.FoldIn(2) }, keys);
    }

    private static TheoryData<int> Indexes(string section)
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < JaxVectors.Section(section).Count(); i++) data.Add(i);
        return data;
    }
}
