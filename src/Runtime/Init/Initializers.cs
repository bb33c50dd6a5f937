using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Nnx;

/// <summary>
/// <c>jax.nn.initializers</c> for code (layers, user modules): each returns the same <see cref="Initializer"/> as
/// <see cref="Initializer.Parse"/> of its <see cref="Initializer.Spec"/>. Axes default to JAX's: <c>in_axis=-2</c>,
/// <c>out_axis=-1</c>, no batch axes.
/// </summary>
/// <remarks>
/// <c>orthogonal</c> and <c>delta_orthogonal</c> are left out: JAX draws them through a QR decomposition whose float
/// results depend on LAPACK, so they could give the same distribution but not the same numbers.
/// </remarks>
public static class Initializers
{
    /// <summary><c>zeros</c>.</summary>
    public static Initializer Zeros() => new ConstantInitializer("zeros", 0.0);

    /// <summary><c>ones</c>.</summary>
    public static Initializer Ones() => new ConstantInitializer("ones", 1.0);

    /// <summary><c>constant(value)</c>.</summary>
    public static Initializer Constant(double value) => new ConstantInitializer($"constant({Number(value)})", RequireFinite(value, nameof(value)));

    /// <summary><c>normal(stddev)</c>: <c>jax.random.normal * stddev</c>.</summary>
    public static Initializer Normal(double stddev = 1.0) =>
        new NormalInitializer(stddev == 1.0 ? "normal" : $"normal({Number(stddev)})", RequireFinite(stddev, nameof(stddev)));

    /// <summary><c>uniform(scale)</c>: values in [0, scale).</summary>
    public static Initializer Uniform(double scale = 1.0) =>
        new UniformInitializer(scale == 1.0 ? "uniform" : $"uniform({Number(scale)})", RequireFinite(scale, nameof(scale)));

    /// <summary><c>truncated_normal(stddev, lower, upper)</c>: <c>jax.random.truncated_normal(lower, upper) * stddev</c>.</summary>
    public static Initializer TruncatedNormal(double stddev = 1.0, double lower = -2.0, double upper = 2.0)
    {
        string spec = (lower, upper) == (-2.0, 2.0)
            ? stddev == 1.0 ? "truncated_normal" : $"truncated_normal({Number(stddev)})"
            : $"truncated_normal({Number(stddev)}, {Number(lower)}, {Number(upper)})";
        return new TruncatedNormalInitializer(spec, RequireFinite(stddev, nameof(stddev)), lower, upper);
    }

    /// <summary>
    /// <c>variance_scaling(scale, mode, distribution, in_axis, out_axis, batch_axis)</c>. Axes are dimension indices
    /// (negative from the end); several give the product of their sizes.
    /// </summary>
    public static Initializer VarianceScaling(double scale, FanMode mode, VarianceDistribution distribution,
        int[]? inAxis = null, int[]? outAxis = null, int[]? batchAxis = null)
    {
        if (!(scale > 0) || !double.IsFinite(scale))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "variance_scaling needs a finite scale > 0 (1.0 for LeCun/Glorot, 2.0 for He).");
        int[] inAxes = inAxis ?? [-2], outAxes = outAxis ?? [-1], batchAxes = batchAxis ?? [];
        string spec = $"variance_scaling({Number(scale)}, {Name(mode)}, {Name(distribution)}{Axes(inAxes, outAxes, batchAxes)})";
        return new VarianceScalingInitializer(spec, scale, mode, distribution, inAxes, outAxes, batchAxes);
    }

    /// <summary><c>lecun_normal</c>: <c>variance_scaling(1, fan_in, truncated_normal)</c>.</summary>
    public static Initializer LecunNormal(int[]? inAxis = null, int[]? outAxis = null, int[]? batchAxis = null) =>
        Named("lecun_normal", 1.0, FanMode.FanIn, VarianceDistribution.TruncatedNormal, inAxis, outAxis, batchAxis);

    /// <summary><c>lecun_uniform</c>: <c>variance_scaling(1, fan_in, uniform)</c>.</summary>
    public static Initializer LecunUniform(int[]? inAxis = null, int[]? outAxis = null, int[]? batchAxis = null) =>
        Named("lecun_uniform", 1.0, FanMode.FanIn, VarianceDistribution.Uniform, inAxis, outAxis, batchAxis);

    /// <summary><c>glorot_normal</c> (= <c>xavier_normal</c>): <c>variance_scaling(1, fan_avg, truncated_normal)</c>.</summary>
    public static Initializer GlorotNormal(int[]? inAxis = null, int[]? outAxis = null, int[]? batchAxis = null) =>
        Named("glorot_normal", 1.0, FanMode.FanAvg, VarianceDistribution.TruncatedNormal, inAxis, outAxis, batchAxis);

    /// <summary><c>glorot_uniform</c> (= <c>xavier_uniform</c>): <c>variance_scaling(1, fan_avg, uniform)</c>.</summary>
    public static Initializer GlorotUniform(int[]? inAxis = null, int[]? outAxis = null, int[]? batchAxis = null) =>
        Named("glorot_uniform", 1.0, FanMode.FanAvg, VarianceDistribution.Uniform, inAxis, outAxis, batchAxis);

    /// <summary><c>xavier_normal</c>, the same as <see cref="GlorotNormal"/>.</summary>
    public static Initializer XavierNormal(int[]? inAxis = null, int[]? outAxis = null, int[]? batchAxis = null) =>
        Named("xavier_normal", 1.0, FanMode.FanAvg, VarianceDistribution.TruncatedNormal, inAxis, outAxis, batchAxis);

    /// <summary><c>xavier_uniform</c>, the same as <see cref="GlorotUniform"/>.</summary>
    public static Initializer XavierUniform(int[]? inAxis = null, int[]? outAxis = null, int[]? batchAxis = null) =>
        Named("xavier_uniform", 1.0, FanMode.FanAvg, VarianceDistribution.Uniform, inAxis, outAxis, batchAxis);

    /// <summary><c>he_normal</c> (= <c>kaiming_normal</c>): <c>variance_scaling(2, fan_in, truncated_normal)</c>.</summary>
    public static Initializer HeNormal(int[]? inAxis = null, int[]? outAxis = null, int[]? batchAxis = null) =>
        Named("he_normal", 2.0, FanMode.FanIn, VarianceDistribution.TruncatedNormal, inAxis, outAxis, batchAxis);

    /// <summary><c>he_uniform</c> (= <c>kaiming_uniform</c>): <c>variance_scaling(2, fan_in, uniform)</c>.</summary>
    public static Initializer HeUniform(int[]? inAxis = null, int[]? outAxis = null, int[]? batchAxis = null) =>
        Named("he_uniform", 2.0, FanMode.FanIn, VarianceDistribution.Uniform, inAxis, outAxis, batchAxis);

    /// <summary><c>kaiming_normal</c>, the same as <see cref="HeNormal"/>.</summary>
    public static Initializer KaimingNormal(int[]? inAxis = null, int[]? outAxis = null, int[]? batchAxis = null) =>
        Named("kaiming_normal", 2.0, FanMode.FanIn, VarianceDistribution.TruncatedNormal, inAxis, outAxis, batchAxis);

    /// <summary><c>kaiming_uniform</c>, the same as <see cref="HeUniform"/>.</summary>
    public static Initializer KaimingUniform(int[]? inAxis = null, int[]? outAxis = null, int[]? batchAxis = null) =>
        Named("kaiming_uniform", 2.0, FanMode.FanIn, VarianceDistribution.Uniform, inAxis, outAxis, batchAxis);

    /// <summary>The <c>Init</c> spelling of a mode: <c>fan_in</c>, <c>fan_out</c>, <c>fan_avg</c>, <c>fan_geo_avg</c>.</summary>
    public static string Name(FanMode mode) => mode switch
    {
        FanMode.FanIn => "fan_in",
        FanMode.FanOut => "fan_out",
        FanMode.FanAvg => "fan_avg",
        FanMode.FanGeoAvg => "fan_geo_avg",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Expected FanIn, FanOut, FanAvg or FanGeoAvg."),
    };

    /// <summary>The <c>Init</c> spelling of a distribution: <c>truncated_normal</c>, <c>normal</c>, <c>uniform</c>.</summary>
    public static string Name(VarianceDistribution distribution) => distribution switch
    {
        VarianceDistribution.TruncatedNormal => "truncated_normal",
        VarianceDistribution.Normal => "normal",
        VarianceDistribution.Uniform => "uniform",
        _ => throw new ArgumentOutOfRangeException(nameof(distribution), distribution, "Expected TruncatedNormal, Normal or Uniform."),
    };

    private static Initializer Named(string name, double scale, FanMode mode, VarianceDistribution distribution,
        int[]? inAxis, int[]? outAxis, int[]? batchAxis)
    {
        int[] inAxes = inAxis ?? [-2], outAxes = outAxis ?? [-1], batchAxes = batchAxis ?? [];
        string axes = Axes(inAxes, outAxes, batchAxes);
        string spec = axes.Length == 0 ? name : $"{name}({axes[2..]})";
        return new VarianceScalingInitializer(spec, scale, mode, distribution, inAxes, outAxes, batchAxes);
    }

    /// <summary>", in_axis=..., ..." for the axes that differ from JAX's defaults; empty when none do.</summary>
    private static string Axes(int[] inAxis, int[] outAxis, int[] batchAxis)
    {
        var parts = new List<string>();
        if (!inAxis.SequenceEqual([-2])) parts.Add($"in_axis={AxisText(inAxis)}");
        if (!outAxis.SequenceEqual([-1])) parts.Add($"out_axis={AxisText(outAxis)}");
        if (batchAxis.Length > 0) parts.Add($"batch_axis={AxisText(batchAxis)}");
        return string.Concat(parts.Select(p => ", " + p));
    }

    private static string AxisText(int[] axes) =>
        axes.Length == 1 ? axes[0].ToString(CultureInfo.InvariantCulture) : $"({string.Join(", ", axes.Select(a => a.ToString(CultureInfo.InvariantCulture)))})";

    internal static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static double RequireFinite(double value, string name) =>
        double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number.");
}
