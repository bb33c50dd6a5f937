using Nnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TinyLmSample;

/// <summary>
/// A character-level language model in the style of Bengio et al. (2003), written with the Nnx DSL: the embeddings
/// of the previous <c>context</c> characters are concatenated, mixed by one hidden layer, projected back to the
/// embedding width, and scored against every character by the same embedding table (a tied output head, <c>Attend</c>).
/// </summary>
public partial class CharModel
{
    [Sub(Dims = "numEmbeddings=vocab, features=dModel")]
    private Nnx.Embed embed;

    [Param(Shape = "context,dModel,hidden", Init = "lecun_normal")]
    private Parameter mix;

    [Param(Shape = "hidden", Init = "zeros")]
    private Parameter mixBias;

    [Sub(Dims = "inFeatures=hidden, outFeatures=dModel")]
    private Nnx.Linear project;

    /// <summary>The token table, (vocab, dModel); also the output head.</summary>
    public Nnx.Embed Embed => embed;

    /// <summary>(batch, context) character ids to (batch, vocab) next-character logits.</summary>
    public Tensor Forward(Tensor contexts)
    {
        using var scope = torch.NewDisposeScope();
        long batch = contexts.shape[0];
        Tensor x = embed.Forward(contexts).reshape(batch, Context * DModel);
        Tensor h = torch.nn.functional.gelu(x.matmul(mix.reshape(Context * DModel, Hidden)) + mixBias);
        return embed.Attend(project.Forward(h)).MoveToOuterDisposeScope();
    }
}
