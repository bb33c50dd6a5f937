using static TorchSharp.torch;

namespace Nnx;

/// <summary><c>jax.nn.initializers.normal(stddev)</c>: <c>jax.random.normal(key, shape, dtype) * jnp.array(stddev, dtype)</c>.</summary>
internal sealed class NormalInitializer(string spec, double stddev) : Initializer
{
    public override string Spec { get; } = spec;

    public override Tensor Create(PrngKey key, long[] shape, ScalarType dtype, BitsLayout layout)
    {
        Tensor values = NewRandomTensor(shape, dtype);
        if (HalfFormat.For(dtype) is { } half)
            JaxRandom.FillHalves(key, values, new HalfNormal(half, half.FromPython(stddev)), layout);
        else
            JaxRandom.FillFloats(key, values, new NormalMap((float)stddev), layout);
        return values;
    }
}
