using Nnx;
using TorchSharp;
using static TorchSharp.torch;

namespace Pitfalls;

/// <summary>NNX0001, "the #1 mistake": the harness passes ids as floats and nobody casts them.</summary>
internal static class FloatIds
{
    public static Tensor Run()
    {
        using var model = new MyEmbed(vocab: 4, dModel: 3, rngs: new Rngs(0));
        Tensor ids = torch.tensor(new float[] { 0, 1, 2 });
        return model.Forward(ids); // expect: NNX0001
    }
}
