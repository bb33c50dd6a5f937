using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// <c>jax.nn.initializers.truncated_normal(stddev, lower, upper)</c>:
/// <c>jax.random.truncated_normal(key, lower, upper, shape, dtype) * jnp.array(stddev, dtype)</c> (bounds apply before
/// scaling).
/// </summary>
internal sealed class TruncatedNormalInitializer : Initializer
{
    private readonly double _stddev, _lower, _upper;
    private readonly TruncatedNormalMap _map;

    public TruncatedNormalInitializer(string spec, double stddev, double lower, double upper)
    {
        Spec = spec;
        (_stddev, _lower, _upper) = (stddev, lower, upper);
        _map = TruncatedNormalMap.Create(lower, upper, (float)stddev);
    }

    public override string Spec { get; }

    public override Tensor Create(PrngKey key, long[] shape, ScalarType dtype, BitsLayout layout)
    {
        Tensor values = NewRandomTensor(shape, dtype);
        if (HalfFormat.For(dtype) is { } half)
            JaxRandom.FillHalves(key, values, new HalfTruncatedNormal(half, _lower, _upper, half.FromPython(_stddev)), layout);
        else
            JaxRandom.FillFloats(key, values, _map, layout);
        return values;
    }
}
