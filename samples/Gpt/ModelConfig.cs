using Nnx;

namespace GptSample;

/// <summary>The sizes of a <see cref="Gpt"/>: the sample's small default, or the published GPT-2 small.</summary>
internal sealed record ModelConfig(long Vocab, long Context, long Width, long Layers, int Heads, double DropoutRate)
{
    /// <summary>The GPT-2 BPE vocabulary: 50,000 merges, 256 byte tokens and &lt;|endoftext|&gt;.</summary>
    public const long Gpt2Vocab = 50257;

    /// <summary>GPT-2 small (Radford et al., 2019; Hugging Face's <c>gpt2</c>): 124,439,808 parameters with the head tied.</summary>
    public static ModelConfig Gpt2Small { get; } = new(Gpt2Vocab, Context: 1024, Width: 768, Layers: 12, Heads: 12, DropoutRate: 0.1);

    /// <summary>Sized to train for about a minute on two CPU cores; the trainer sets the vocabulary from the corpus.</summary>
    public static ModelConfig Small { get; } = new(Gpt2Vocab, Context: 64, Width: 96, Layers: 3, Heads: 4, DropoutRate: 0.0);

    /// <summary>A model of these sizes with keys from <paramref name="rngs"/>.</summary>
    public Gpt Build(Rngs rngs) =>
        new(numHeads: Heads, vocab: Vocab, width: Width, context: Context, numLayers: Layers, rngs: rngs, dropoutRate: DropoutRate);

    /// <summary>The sizes as one line, also the checkpoint's record of them.</summary>
    public override string ToString() =>
        $"vocab={Vocab},context={Context},width={Width},layers={Layers},heads={Heads},dropout={DropoutRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
