using Nnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pitfalls;

/// <summary>NNX0002: the table is (dModel, vocab), but rows are looked up as if it were (vocab, dModel).</summary>
public partial class TransposedEmbed
{
    [Param(Shape = "dModel,vocab")] // expect: NNX0002
    private Parameter embedding;

    /// <summary>Rows for 1-D ids; wrong, because axis 0 has dModel entries.</summary>
    public Tensor Forward(Tensor tokenIds) => embedding.index_select(0, tokenIds);
}
