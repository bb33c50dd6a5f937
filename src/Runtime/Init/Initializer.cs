using System;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// A parameter initializer with <c>jax.nn.initializers</c> semantics: the same key, shape and dtype give the same
/// numbers as JAX. Built from the <c>Init</c> text of <c>[Param]</c> by <see cref="Parse"/>.
/// </summary>
public abstract class Initializer
{
    /// <summary>The text this initializer was parsed from, in canonical form (<c>normal(0.02)</c>).</summary>
    public abstract string Spec { get; }

    /// <summary>Creates a new tensor of <paramref name="shape"/> and <paramref name="dtype"/> from <paramref name="key"/>.</summary>
    public abstract Tensor Create(PrngKey key, long[] shape, ScalarType dtype = ScalarType.Float32);

    /// <summary>
    /// Parses an initializer name with optional arguments, as written in <c>[Param(Init = "...")]</c>:
    /// <c>normal</c>, <c>normal(0.02)</c>, <c>zeros</c>, <c>ones</c>, <c>constant(0.5)</c>.
    /// </summary>
    /// <exception cref="FormatException">The text names no known initializer or has bad arguments; the message lists the valid forms.</exception>
    public static Initializer Parse(string spec) => InitializerParser.Parse(spec);

    /// <inheritdoc/>
    public override string ToString() => Spec;
}
