using Nnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pitfalls;

/// <summary>The seed's module, written correctly: the other files misuse it.</summary>
public partial class MyEmbed
{
    [Param(Shape = "vocab,dModel", Init = "normal")]
    private Parameter embedding;

    /// <summary>The embedding table, (vocab, dModel).</summary>
    public Parameter Embedding => embedding;

    /// <summary>Rows of the table for 1-D integer ids.</summary>
    public Tensor Forward(Tensor tokenIds) => embedding.index_select(0, tokenIds);
}
