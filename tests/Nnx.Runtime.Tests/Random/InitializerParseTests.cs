using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests;

public class InitializerParseTests
{
    public static TheoryData<string> Specs =>
    [
        "zeros", "ones", "constant(0.5)", "normal", "normal(0.02)", "uniform", "uniform(0.1)", "truncated_normal",
        "truncated_normal(0.02)", "truncated_normal(0.5, -1, 3)", "variance_scaling(1, fan_in, normal)",
        "variance_scaling(2, fan_avg, truncated_normal, in_axis=(0, 1))", "variance_scaling(0.5, fan_geo_avg, uniform, out_axis=0, batch_axis=2)",
        "lecun_normal", "lecun_uniform", "glorot_normal", "glorot_uniform", "xavier_normal", "xavier_uniform",
        "he_normal", "he_uniform", "kaiming_normal", "kaiming_uniform", "lecun_normal(out_axis=0)",
    ];

    [Theory]
    [MemberData(nameof(Specs))]
    public void Canonical_spec_parses_back_to_itself(string spec)
    {
        Initializer init = Initializer.Parse(spec);

        Assert.Equal(spec, init.Spec);
        Assert.Equal(spec, Initializer.Parse(init.Spec).Spec);
    }

    [Fact]
    public void Spellings_with_quotes_keywords_and_spaces_mean_the_same_initializer()
    {
        PrngKey key = PrngKey.FromSeed(3).FoldIn(0);
        using Tensor a = Initializer.Parse("variance_scaling(1.0, 'fan_in', \"normal\", out_axis=0)").Create(key, [7, 5]);
        using Tensor b = Initializers.VarianceScaling(1.0, FanMode.FanIn, VarianceDistribution.Normal, outAxis: [0]).Create(key, [7, 5]);
        using Tensor c = Initializer.Parse(" variance_scaling( 1 , fan_in , normal , -2 , [0] ) ").Create(key, [7, 5]);

        Assert.True(a.equal(b).all().item<bool>());
        Assert.True(a.equal(c).all().item<bool>());
    }

    [Fact]
    public void Named_forms_equal_their_variance_scaling_definitions()
    {
        // jax.nn.initializers: glorot = variance_scaling(1, fan_avg, ...), he = variance_scaling(2, fan_in, ...).
        PrngKey key = PrngKey.FromSeed(11).FoldIn(0);
        (string Named, string Definition)[] pairs =
        [
            ("lecun_normal", "variance_scaling(1, fan_in, truncated_normal)"), ("lecun_uniform", "variance_scaling(1, fan_in, uniform)"),
            ("xavier_normal", "variance_scaling(1, fan_avg, truncated_normal)"), ("glorot_uniform", "variance_scaling(1, fan_avg, uniform)"),
            ("kaiming_normal", "variance_scaling(2, fan_in, truncated_normal)"), ("he_uniform", "variance_scaling(2, fan_in, uniform)"),
        ];
        foreach (var (named, definition) in pairs)
        {
            using Tensor a = Initializer.Parse(named).Create(key, [3, 3, 4, 8]);
            using Tensor b = Initializer.Parse(definition).Create(key, [3, 3, 4, 8]);
            Assert.True(a.equal(b).all().item<bool>(), $"{named} differs from {definition}");
        }
    }

    [Fact]
    public void Bare_normal_is_the_standard_normal()
    {
        PrngKey key = PrngKey.FromSeed(2).FoldIn(0);
        using Tensor init = Initializer.Parse("normal").Create(key, [4, 6]);
        using Tensor direct = JaxRandom.Normal(key, 4, 6);

        Assert.True(init.equal(direct).all().item<bool>());
    }

    [Theory]
    [InlineData("orthogonal", "'orthogonal' is not a known initializer")]
    [InlineData("variance_scaling(1, fan_sideways, normal)", "fan_sideways")]
    [InlineData("variance_scaling(1, fan_in, gamma)", "gamma")]
    [InlineData("variance_scaling(1, fan_in)", "'distribution'")]
    [InlineData("normal(0.1, 2)", "at most 1")]
    [InlineData("normal(abc)", "'abc'")]
    [InlineData("lecun_normal(in_axes=0)", "'in_axes'")]
    [InlineData("lecun_normal(in_axis=(0, x))", "(0, x)")]
    [InlineData("truncated_normal(1, 2, -2)", "lower < upper")]
    [InlineData("normal(0.1", "closing ')'")]
    [InlineData("constant(stddev=1)", "'stddev'")]
    public void Bad_specs_name_the_problem_and_list_the_valid_forms(string spec, string named)
    {
        var e = Assert.Throws<FormatException>(() => Initializer.Parse(spec));

        Assert.Contains(named, e.Message);
        Assert.Contains("variance_scaling(scale, mode, distribution[, in_axis, out_axis, batch_axis])", e.Message);
        Assert.Contains("kaiming_uniform", e.Message);
    }

    [Fact]
    public void Fan_axes_outside_the_shape_are_rejected_naming_axis_and_shape()
    {
        var e = Assert.Throws<ArgumentException>(() => Initializer.Parse("lecun_normal(in_axis=3)").Create(PrngKey.FromSeed(0), [4, 5]));

        Assert.Contains("in_axis 3", e.Message);
        Assert.Contains("[4, 5]", e.Message);
    }

    [Fact]
    public void Fans_need_two_dimensions()
    {
        var e = Assert.Throws<ArgumentException>(() => Initializers.HeNormal().Create(PrngKey.FromSeed(0), [8]));

        Assert.Contains("[8]", e.Message);
    }

    [Fact]
    public void Embed_of_width_one_gets_the_fan_in_of_python_float_arithmetic()
    {
        // docs/jax-random.md#initializers: nnx.Embed(49, 1) (in_axis -2 and out_axis 0 are both the vocab axis) has receptive field
        // 49 / 49 / 49 / 1 = 1/49 in double and fan_in = 49 * (1/49) = 0.9999999999999999, not 1.
        var (fanIn, fanOut) = Fans.Compute([49, 1], [-2], [0], [], "test");

        Assert.Equal(0.9999999999999999, fanIn);
        Assert.Equal(0.9999999999999999, fanOut);
    }

    [Fact]
    public void Random_initializers_reject_other_dtypes_naming_the_dtype()
    {
        foreach (string spec in new[] { "normal", "uniform(2)", "truncated_normal", "lecun_normal" })
        {
            var e = Assert.Throws<NotSupportedException>(() => Initializer.Parse(spec).Create(PrngKey.FromSeed(0), [2, 2], ScalarType.Float64));
            Assert.Contains("Float64", e.Message);
        }
    }

    [Fact]
    public void Constants_ignore_the_key_and_honour_the_dtype()
    {
        using Tensor a = Initializers.Constant(0.25).Create(PrngKey.FromSeed(1), [2, 3], ScalarType.Float64);
        using Tensor b = Initializers.Constant(0.25).Create(PrngKey.FromSeed(2), [2, 3], ScalarType.Float64);

        Assert.Equal(ScalarType.Float64, a.dtype);
        Assert.True(a.equal(b).all().item<bool>());
        Assert.All(a.data<double>().ToArray(), v => Assert.Equal(0.25, v));
    }
}
