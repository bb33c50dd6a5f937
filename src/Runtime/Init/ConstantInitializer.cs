using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary><c>zeros</c>, <c>ones</c> and <c>constant(value)</c>: the key is ignored, as in JAX.</summary>
internal sealed class ConstantInitializer(string spec, double value) : Initializer
{
    public override string Spec { get; } = spec;

    // jnp.full rounds a Python float to float16 in one step (numpy), while libtorch's Half goes through float32 first;
    // the 16-bit value computed here is exact in float32, so torch.full stores it unchanged.
    public override Tensor Create(PrngKey key, long[] shape, ScalarType dtype, BitsLayout layout) =>
        torch.full(JaxRandom.CheckShape(shape), HalfFormat.For(dtype) is { } half ? half.FromPython(value) : value, dtype);
}
