using System;
using static TorchSharp.torch;

namespace Nnx;

/// <summary><c>jax.nn.initializers.normal(stddev)</c>: <c>jax.random.normal(key, shape) * stddev</c> in float32.</summary>
internal sealed class NormalInitializer(string spec, double stddev) : Initializer
{
    public override string Spec { get; } = spec;

    public override Tensor Create(PrngKey key, long[] shape, ScalarType dtype = ScalarType.Float32)
    {
        if (dtype != ScalarType.Float32)
            throw new NotSupportedException($"Init \"{Spec}\" draws float32 numbers as JAX does; dtype {dtype} is not supported yet. Create the parameter as Float32 and convert the module with .to({dtype}).");
        Tensor values = JaxRandom.Normal(key, shape);
        // JAX multiplies by stddev cast to float32; for stddev 1 that multiply is exact, so it is skipped.
        if (stddev != 1.0) values.mul_((float)stddev);
        return values;
    }
}
