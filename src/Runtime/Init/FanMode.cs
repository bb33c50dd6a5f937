namespace Nnx;

/// <summary>The <c>mode</c> of <c>jax.nn.initializers.variance_scaling</c>: which fan the variance is divided by.</summary>
public enum FanMode
{
    /// <summary><c>fan_in</c>: inputs per output unit (LeCun, He).</summary>
    FanIn,

    /// <summary><c>fan_out</c>.</summary>
    FanOut,

    /// <summary><c>fan_avg</c>: <c>(fan_in + fan_out) / 2</c> (Glorot/Xavier).</summary>
    FanAvg,

    /// <summary><c>fan_geo_avg</c>: <c>sqrt(fan_in * fan_out)</c>.</summary>
    FanGeoAvg,
}

/// <summary>The <c>distribution</c> of <c>jax.nn.initializers.variance_scaling</c>.</summary>
public enum VarianceDistribution
{
    /// <summary><c>truncated_normal</c>: normal truncated to ±2 standard deviations, rescaled to the variance.</summary>
    TruncatedNormal,

    /// <summary><c>normal</c>: untruncated normal.</summary>
    Normal,

    /// <summary><c>uniform</c>: uniform in <c>±sqrt(3 variance)</c>.</summary>
    Uniform,
}
