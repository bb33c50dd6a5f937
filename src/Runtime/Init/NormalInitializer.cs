using static TorchSharp.torch;

namespace Nnx;

/// <summary><c>jax.nn.initializers.normal(stddev)</c>: <c>jax.random.normal(key, shape) * f32(stddev)</c>.</summary>
internal sealed class NormalInitializer(string spec, double stddev) : Initializer
{
    public override string Spec { get; } = spec;

    public override Tensor Create(PrngKey key, long[] shape, ScalarType dtype, BitsLayout layout)
    {
        Tensor values = NewFloat32(shape, dtype);
        JaxRandom.FillFloats(key, values, new NormalMap((float)stddev), layout);
        return values;
    }
}
