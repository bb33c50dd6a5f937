using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests;

public class KeyAndLayoutTests
{
    [Fact]
    public void Legacy_split_matches_the_jax_test_suite()
    {
        // jax tests/random_test.py::testPRNGValues (legacy split of key 0 into 4).
        PrngKey[] keys = PrngKey.FromSeed(0).Split(4, BitsLayout.Legacy);

        Assert.Equal(new[]
        {
            new PrngKey(2285895361, 1501764800), new PrngKey(1518642379, 4090693311),
            new PrngKey(433833334, 4221794875), new PrngKey(839183663, 3740430601),
        }, keys);
    }

    [Fact]
    public void Partitionable_split_is_fold_in_of_the_index()
    {
        // jax tests/random_test.py::test_threefry_split_fold_in_symmetry.
        PrngKey key = PrngKey.FromSeed(72);

        Assert.Equal(Enumerable.Range(0, 3).Select(i => key.FoldIn((uint)i)), key.Split(3, BitsLayout.Partitionable));
    }

    [Fact]
    public void Fold_in_4_of_key_0_matches_the_jax_test_suite()
    {
        // jax tests/random_test.py::testPRNGValues: fold_in does not depend on the layout.
        Assert.Equal(new PrngKey(2285895361, 433833334), PrngKey.FromSeed(0).FoldIn(4));
    }

    [Fact]
    public void Legacy_values_depend_on_the_element_count_and_partitionable_ones_do_not()
    {
        PrngKey key = PrngKey.FromSeed(4).FoldIn(0);

        uint[] legacySmall = JaxRandom.Bits(key, [6], BitsLayout.Legacy), legacyLarge = JaxRandom.Bits(key, [8], BitsLayout.Legacy);
        uint[] partSmall = JaxRandom.Bits(key, [6], BitsLayout.Partitionable), partLarge = JaxRandom.Bits(key, [8], BitsLayout.Partitionable);

        Assert.NotEqual(legacySmall, legacyLarge.Take(6));
        Assert.Equal(partSmall, partLarge.Take(6));
    }

    [Fact]
    public void Other_dtypes_are_rejected_naming_the_dtype()
    {
        var e = Assert.Throws<NotSupportedException>(() => JaxRandom.Normal(PrngKey.FromSeed(0), [2], ScalarType.Int32));
        Assert.Contains("Int32", e.Message);

        e = Assert.Throws<NotSupportedException>(() => JaxRandom.Uniform(PrngKey.FromSeed(0), [2], dtype: ScalarType.Float64));
        Assert.Contains("Float64", e.Message);
    }

    [Fact]
    public void Bad_ranges_and_probabilities_are_rejected_naming_the_values()
    {
        Assert.Contains("maxval = 1", Assert.Throws<ArgumentOutOfRangeException>(() => JaxRandom.Uniform(PrngKey.FromSeed(0), [2], 3, 1)).Message);
        Assert.Contains("upper = -1", Assert.Throws<ArgumentOutOfRangeException>(() => JaxRandom.TruncatedNormal(PrngKey.FromSeed(0), 1, -1, [2])).Message);
        Assert.Contains("1.5", Assert.Throws<ArgumentOutOfRangeException>(() => JaxRandom.Bernoulli(PrngKey.FromSeed(0), 1.5, [2])).Message);
    }

    [Fact]
    public void Bernoulli_with_p_0_and_1_is_all_false_and_all_true()
    {
        using Tensor none = JaxRandom.Bernoulli(PrngKey.FromSeed(8), 0.0, [1000]);
        using Tensor all = JaxRandom.Bernoulli(PrngKey.FromSeed(8), 1.0, [1000]);

        Assert.DoesNotContain(true, none.data<bool>().ToArray());
        Assert.DoesNotContain(false, all.data<bool>().ToArray());
    }

    [Fact]
    public void Truncated_normal_with_an_infinite_bound_stays_finite_inside_the_other()
    {
        using Tensor values = JaxRandom.TruncatedNormal(PrngKey.FromSeed(12).FoldIn(0), double.NegativeInfinity, 0.25, [100_000]);
        float[] v = values.data<float>().ToArray();

        Assert.All(v, x => Assert.True(float.IsFinite(x) && x < 0.25f, $"{x} outside (-inf, 0.25)"));
    }
}

/// <summary>Changes the process-wide default layout, so it runs alone.</summary>
[CollectionDefinition(nameof(DefaultLayoutCollection), DisableParallelization = true)]
public class DefaultLayoutCollection;

[Collection(nameof(DefaultLayoutCollection))]
public class DefaultLayoutTests
{
    [Fact]
    public void The_default_layout_applies_to_calls_that_name_none()
    {
        PrngKey key = PrngKey.FromSeed(0).FoldIn(0);
        BitsLayout saved = JaxRandom.DefaultLayout;
        try
        {
            JaxRandom.DefaultLayout = BitsLayout.Legacy;
            using Tensor normal = JaxRandom.Normal(key, 4, 3);
            using Tensor init = Initializer.Parse("normal").Create(key, [4, 3]);
            uint[] bits = JaxRandom.Bits(key, 5);
            PrngKey[] split = PrngKey.FromSeed(0).Split(4);

            using Tensor legacy = JaxRandom.Normal(key, [4, 3], ScalarType.Float32, BitsLayout.Legacy);
            Assert.True(normal.equal(legacy).all().item<bool>());
            Assert.True(init.equal(legacy).all().item<bool>());
            Assert.Equal(JaxRandom.Bits(key, [5], BitsLayout.Legacy), bits);
            Assert.Equal(PrngKey.FromSeed(0).Split(4, BitsLayout.Legacy), split);
        }
        finally
        {
            JaxRandom.DefaultLayout = saved;
        }
        Assert.Equal(BitsLayout.Partitionable, JaxRandom.DefaultLayout);
    }
}
