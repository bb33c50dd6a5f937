using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Benchmarks.Lookup;

/// <summary>
/// One GPT-2-sized table per dModel, shared by every benchmark case in the process: drawing 50257 x 768 normals
/// takes seconds, and every peer reads the same table anyway.
/// </summary>
internal static class Tables
{
    public const long Vocab = 50257;

    private static readonly Dictionary<long, BenchEmbed> Modules = new();

    /// <summary>The generated module for <paramref name="dModel"/>; its parameter is the table every peer reads.</summary>
    public static BenchEmbed Embed(long dModel)
    {
        if (!Modules.TryGetValue(dModel, out BenchEmbed? module))
        {
            module = new BenchEmbed(Vocab, dModel, new Rngs(0));
            Modules[dModel] = module;
        }
        return module;
    }

    private static readonly Dictionary<long, Embed> NnxEmbeds = new();

    /// <summary>
    /// <c>Nnx.Embed</c> holding the same numbers as <see cref="Embed(long)"/>'s table. <c>FromPretrained</c> copies, so
    /// it reads its own 12.9 MB or 154 MB copy of the table.
    /// </summary>
    public static Embed NnxEmbed(long dModel)
    {
        if (!NnxEmbeds.TryGetValue(dModel, out Embed? embed))
        {
            embed = Nnx.Embed.FromPretrained(Embed(dModel).Embedding);
            NnxEmbeds[dModel] = embed;
        }
        return embed;
    }

    /// <summary>T token ids drawn uniformly from the vocabulary, with a fixed seed.</summary>
    public static Tensor Ids(long count, ScalarType dtype)
    {
        using var generator = new Generator(1);
        return torch.randint(0, Vocab, new[] { count }, dtype, generator: generator);
    }
}
