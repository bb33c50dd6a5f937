namespace Nnx;

/// <summary>The <c>mode</c> argument of <c>jax.random.bernoulli</c> (docs/jax-random.md#bernoulli).</summary>
public enum BernoulliMode
{
    /// <summary>The default: <c>uniform(key, shape) &lt; p</c>, one 32-bit word per element. Flax <c>Dropout</c> uses it.</summary>
    Low,

    /// <summary>Two uniforms per element, for probabilities below 2^-23: <c>u2 * 2^-23 &lt; p - u1</c>.</summary>
    High,
}
