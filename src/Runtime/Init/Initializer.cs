using System;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// A parameter initializer with <c>jax.nn.initializers</c> semantics: the same key, shape and dtype give the same
/// numbers as JAX. Built from the <c>Init</c> text of <c>[Param]</c> by <see cref="Parse"/>, or in code by
/// <see cref="Initializers"/>.
/// </summary>
public abstract class Initializer
{
    /// <summary>The text this initializer was parsed from, in canonical form (<c>normal(0.02)</c>); <see cref="Parse"/> reads it back.</summary>
    public abstract string Spec { get; }

    /// <summary>
    /// Creates a new tensor of <paramref name="shape"/> and <paramref name="dtype"/> from <paramref name="key"/>, drawing
    /// in <see cref="JaxRandom.DefaultLayout"/>. Random initializers support Float32, Float16 and BFloat16, each drawn as
    /// JAX draws that dtype.
    /// </summary>
    public Tensor Create(PrngKey key, long[] shape, ScalarType dtype = ScalarType.Float32) =>
        Create(key, shape, dtype, JaxRandom.DefaultLayout);

    /// <summary>Creates a new tensor of <paramref name="shape"/> and <paramref name="dtype"/> from <paramref name="key"/> in the given bits layout.</summary>
    public abstract Tensor Create(PrngKey key, long[] shape, ScalarType dtype, BitsLayout layout);

    /// <summary>
    /// Parses an initializer as written in <c>[Param(Init = "...")]</c>, named as in <c>jax.nn.initializers</c>:
    /// <c>zeros</c>, <c>ones</c>, <c>constant(value)</c>, <c>normal[(stddev)]</c>, <c>uniform[(scale)]</c>,
    /// <c>truncated_normal[(stddev[, lower, upper])]</c>,
    /// <c>variance_scaling(scale, mode, distribution[, in_axis, out_axis, batch_axis])</c> (mode <c>fan_in</c>,
    /// <c>fan_out</c>, <c>fan_avg</c>, <c>fan_geo_avg</c>; distribution <c>truncated_normal</c>, <c>normal</c>,
    /// <c>uniform</c>; axes an integer or a tuple such as <c>(0, 1)</c>), and the named forms <c>lecun_normal</c>,
    /// <c>lecun_uniform</c>, <c>glorot_normal</c>, <c>glorot_uniform</c>, <c>xavier_normal</c>, <c>xavier_uniform</c>,
    /// <c>he_normal</c>, <c>he_uniform</c>, <c>kaiming_normal</c>, <c>kaiming_uniform</c> (optional axes). Arguments may be
    /// named: <c>variance_scaling(1.0, fan_in, normal, out_axis=0)</c>.
    /// A bare <c>normal</c>, <c>uniform</c> or <c>truncated_normal</c> is the <c>jax.random</c> distribution itself
    /// (stddev or scale 1), not JAX's initializer default of 0.01.
    /// </summary>
    /// <exception cref="FormatException">The text names no known initializer or has bad arguments; the message lists the valid forms.</exception>
    public static Initializer Parse(string spec) => InitializerFactory.Parse(spec);

    /// <inheritdoc/>
    public override string ToString() => Spec;

    /// <summary>The tensor a random initializer fills, after checking that JAX's numbers are reproduced for its dtype.</summary>
    private protected Tensor NewRandomTensor(long[] shape, ScalarType dtype)
    {
        if (!JaxRandom.IsSupported(dtype))
            throw new NotSupportedException(
                $"Init \"{Spec}\" draws JAX's numbers for Float32, Float16 and BFloat16; dtype {dtype} is not supported. Create the parameter in one of those and convert the module with .to({dtype}).");
        return empty(JaxRandom.CheckShape(shape), dtype);
    }
}
