using System;
using Nnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GptSample;

/// <summary>
/// GPT-2 (Radford et al., 2019) written only with Nnx declarations: token and position tables, dropout, a stack of
/// pre-norm <see cref="Block"/>s, a final LayerNorm, and an output head tied to the token table (<c>Embed.Attend</c>).
/// <c>new Gpt(numHeads: 12, vocab: 50257, width: 768, context: 1024, numLayers: 12, rngs)</c> is GPT-2 small,
/// 124,439,808 parameters.
/// </summary>
public partial class Gpt
{
    /// <summary>Attention heads per block; must divide the width.</summary>
    [Option] private readonly int numHeads;

    /// <summary>Dropout after the embeddings, on the attention weights and on each residual branch (GPT-2: 0.1).</summary>
    [Option] private readonly double dropoutRate = 0.1;

    [Sub(Dims = "numEmbeddings=vocab, features=width")] private Nnx.Embed tokens;
    [Sub(Dims = "numEmbeddings=context, features=width")] private Nnx.Embed positions;
    [Sub(Options = "rate=dropoutRate")] private Nnx.Dropout drop;
    [Sub(Count = "numLayers", Options = "numHeads=numHeads, dropoutRate=dropoutRate")] private ModuleList<Block> blocks;
    [Sub(Dims = "numFeatures=width", Options = "epsilon=1e-5")] private Nnx.LayerNorm norm;

    /// <summary>Token ids <c>(batch..., length)</c>, length at most <c>Context</c>, to next-token logits <c>(batch..., length, Vocab)</c>.</summary>
    /// <exception cref="ArgumentException">The sequence is longer than the context, or an id is outside the vocabulary.</exception>
    public Tensor Forward(Tensor ids)
    {
        if (ids.dim() == 0 || ids.size(-1) > Context)
            throw new ArgumentException($"Expected token ids (batch..., length) with length at most the context, {Context}; got shape [{string.Join(", ", ids.shape)}].", nameof(ids));
        Tensor x = drop.Forward(tokens.Forward(ids) + positions.Forward(arange(ids.size(-1), device: ids.device)));
        foreach (Block block in blocks) x = block.Forward(x);
        return tokens.Attend(norm.Forward(x));
    }
}

/// <summary>A pre-norm transformer block: <c>x + attn(norm1(x))</c>, then <c>x + mlp(norm2(x))</c> with a GELU MLP four times as wide.</summary>
public partial class Block
{
    /// <summary>Attention heads; must divide the width.</summary>
    [Option] private readonly int numHeads;

    /// <summary>Dropout on the attention weights and on both residual branches.</summary>
    [Option] private readonly double dropoutRate = 0.1;

    [Sub(Dims = "numFeatures=width", Options = "epsilon=1e-5")] private Nnx.LayerNorm norm1;
    [Sub(Dims = "inFeatures=width", Options = "numHeads=numHeads, dropoutRate=dropoutRate")] private Nnx.MultiHeadAttention attn;
    [Sub(Dims = "numFeatures=width", Options = "epsilon=1e-5")] private Nnx.LayerNorm norm2;
    [Sub(Dims = "inFeatures=width, outFeatures=4*width")] private Nnx.Linear up;
    [Sub(Dims = "inFeatures=4*width, outFeatures=width")] private Nnx.Linear down;
    [Sub(Options = "rate=dropoutRate")] private Nnx.Dropout drop;

    /// <summary><c>(batch..., length, Width)</c> to the same shape.</summary>
    public Tensor Forward(Tensor x)
    {
        x = x + drop.Forward(attn.Forward(norm1.Forward(x), isCausal: true));
        return x + drop.Forward(down.Forward(nn.functional.gelu(up.Forward(norm2.Forward(x)), GELU.Approximate.tanh)));
    }
}
