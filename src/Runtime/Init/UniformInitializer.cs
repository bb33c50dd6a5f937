using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// <c>jax.nn.initializers.uniform(scale)</c>: <c>jax.random.uniform(key, shape, dtype) * jnp.array(scale, dtype)</c>, in
/// [0, scale).
/// </summary>
internal sealed class UniformInitializer(string spec, double scale) : Initializer
{
    public override string Spec { get; } = spec;

    public override Tensor Create(PrngKey key, long[] shape, ScalarType dtype, BitsLayout layout)
    {
        Tensor values = NewRandomTensor(shape, dtype);
        if (HalfFormat.For(dtype) is { } half)
            JaxRandom.FillHalves(key, values, new HalfUniform(half, 0.0, 1.0, half.FromPython(scale)), layout);
        else
            JaxRandom.FillFloats(key, values, JaxRandom.UniformRange(0.0, 1.0, (float)scale), layout);
        return values;
    }
}
