using Nnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pitfalls;

/// <summary>NNX0006 and NNX0007: lookups that give the right rows the slow way.</summary>
public partial class SlowEmbed
{
    [Param(Shape = "vocab,dModel")]
    private Parameter embedding;

    /// <summary>The seed's "bare matmul instead of indexing".</summary>
    public Tensor OneHot(Tensor tokenIds, long vocab) =>
        nn.functional.one_hot(tokenIds, vocab).to(ScalarType.Float32).matmul(embedding); // expect: NNX0006

    /// <summary>The literal port of Python's <c>self.embedding[token_ids]</c>.</summary>
    public Tensor Indexed(Tensor tokenIds) =>
        embedding[tokenIds]; // expect: NNX0007
}
