using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// <c>jax.nn.initializers.truncated_normal(stddev, lower, upper)</c>:
/// <c>jax.random.truncated_normal(key, lower, upper, shape) * f32(stddev)</c> (bounds apply before scaling).
/// </summary>
internal sealed class TruncatedNormalInitializer : Initializer
{
    private readonly TruncatedNormalMap _map;

    public TruncatedNormalInitializer(string spec, double stddev, double lower, double upper)
    {
        Spec = spec;
        _map = TruncatedNormalMap.Create(lower, upper, (float)stddev);
    }

    public override string Spec { get; }

    public override Tensor Create(PrngKey key, long[] shape, ScalarType dtype, BitsLayout layout)
    {
        Tensor values = NewFloat32(shape, dtype);
        JaxRandom.FillFloats(key, values, _map, layout);
        return values;
    }
}
