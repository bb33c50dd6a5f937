using System;
using System.Globalization;
using System.Linq;
using EmbedForward;
using Nnx;
using TorchSharp;
using static TorchSharp.torch;

// embed_forward(seed, token_ids, vocab_size, d_model) of the seed problem, in C#.
try
{
    EmbedOptions options = EmbedOptions.Parse(args);
    float[] values = EmbedForwardRunner.Run(options);
    Console.Out.Write(EmbedForwardRunner.Format(values, options.Json));
    return 0;
}
catch (UsageException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(EmbedOptions.Usage);
    return 2;
}
catch (Exception e) when (e is ArgumentException or OutOfMemoryException or System.Runtime.InteropServices.ExternalException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

namespace EmbedForward
{
    /// <summary>Builds the module, looks the ids up, and formats the result.</summary>
    internal static class EmbedForwardRunner
    {
        public static float[] Run(EmbedOptions options)
        {
            using var scope = torch.NewDisposeScope();
            using var model = new MyEmbed(vocab: options.Vocab, dModel: options.DModel, rngs: new Rngs(options.Seed));
            Tensor ids = torch.tensor(options.Ids, ScalarType.Int64);
            TokenIds.Check(ids, options.Vocab);
            using (torch.no_grad())
                return model.Forward(ids).reshape(-1).data<float>().ToArray();
        }

        /// <summary>One value per line, or one JSON array; each float32 in its shortest round-trip form.</summary>
        public static string Format(float[] values, bool json)
        {
            var text = values.Select(v => v.ToString("R", CultureInfo.InvariantCulture));
            return json ? "[" + string.Join(", ", text) + "]\n" : string.Concat(text.Select(t => t + "\n"));
        }
    }
}
