using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary><c>zeros</c>, <c>ones</c> and <c>constant(value)</c>: the key is ignored, as in JAX.</summary>
internal sealed class ConstantInitializer(string spec, double value) : Initializer
{
    public override string Spec { get; } = spec;

    public override Tensor Create(PrngKey key, long[] shape, ScalarType dtype, BitsLayout layout) =>
        torch.full(JaxRandom.CheckShape(shape), value, dtype);
}
