using Nnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmbedForward;

/// <summary>
/// The seed problem's module: one learned (vocab, dModel) table, initialised with <c>jax.random.normal</c> from
/// <c>rngs.params()</c>, looked up by integer token ids. The constructor <c>(vocab, dModel, rngs)</c> is generated.
/// </summary>
public partial class MyEmbed
{
    [Param(Shape = "vocab,dModel", Init = "normal")]
    private Parameter embedding;

    /// <summary>The embedding table, (vocab, dModel).</summary>
    public Parameter Embedding => embedding;

    /// <summary>
    /// Rows of the table for integer ids of any rank: (T,) to (T, dModel). The ids are checked first, so a float or
    /// out-of-range id is an <see cref="System.ArgumentException"/> naming it, not a native error.
    /// </summary>
    public Tensor Forward(Tensor tokenIds) => Lookup.Rows(embedding, tokenIds);
}
