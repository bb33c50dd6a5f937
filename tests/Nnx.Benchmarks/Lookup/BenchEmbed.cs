using Nnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx.Benchmarks.Lookup;

/// <summary>A generated module (constructor and registration from the Nnx generator) whose Forward is the library lookup.</summary>
public partial class BenchEmbed
{
    [Param(Shape = "vocab,dModel", Init = "normal")]
    private Parameter embedding;

    /// <summary>The embedding table, (vocab, dModel).</summary>
    public Parameter Embedding => embedding;

    /// <summary>Rows of the table for the ids.</summary>
    public Tensor Forward(Tensor ids) => Nnx.Lookup.Rows(embedding, ids);
}

/// <summary>The seed sample's module as generated: Forward is a bare index_select.</summary>
public partial class BenchMyEmbed
{
    [Param(Shape = "vocab,dModel", Init = "normal")]
    private Parameter embedding;

    /// <summary>Rows of the table for 1-D ids.</summary>
    public Tensor Forward(Tensor ids) => embedding.index_select(0, ids);
}
