using Nnx;
using TorchSharp;
using static TorchSharp.torch;

namespace Pitfalls;

/// <summary>NNX0008: "embedding[5] when vocab_size=4 returns garbage on most backends".</summary>
internal static class OutOfRange
{
    public static Tensor Run()
    {
        using var model = new MyEmbed(vocab: 4, dModel: 3, rngs: new Rngs(0));
        return model.Forward(torch.tensor(new long[] { 0, 5 })); // expect: NNX0008
    }
}
