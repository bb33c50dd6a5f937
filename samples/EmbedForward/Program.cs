using System;
using System.Collections.Generic;
using System.IO;
using EmbedForward;
using Nnx;
using TorchSharp;
using static TorchSharp.torch;

// embed_forward(seed, token_ids, vocab_size, d_model) of the seed problem, as a command-line program. Every failure
// is one line on stderr: no .NET stack trace and no libtorch frame reaches the user.
using Stream stdout = Console.OpenStandardOutput();
try
{
    EmbedOptions options = EmbedOptions.Parse(args);
    if (options.Help)
    {
        var help = new StreamWriter(stdout) { NewLine = "\n" };
        OutputException.Guard(() =>
        {
            help.WriteLine(EmbedOptions.Usage);
            help.Flush();
        });
        return 0;
    }
    List<long[]> ids = IdReader.Read(options.Ids, options.Vocab);
    TableSize.Check(options.Vocab, options.DModel);
    EmbedForwardRunner.Run(options, ids, stdout);
    return 0;
}
catch (UsageException e)
{
    return Fail($"{e.Message} (see --help)", 2);
}
catch (OutputException e)
{
    return Fail($"cannot write the output: {e.Message}", 1);
}
catch (Exception e)
{
    // libtorch's errors carry their C++ stack frames after the first line.
    int end = e.Message.IndexOfAny(['\r', '\n']);
    return Fail(end < 0 ? e.Message : e.Message[..end], 1);
}

static int Fail(string message, int exitCode)
{
    try
    {
        Console.Error.WriteLine($"error: {message}");
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        // Nowhere left to report to; the exit code still says it failed.
    }
    return exitCode;
}

namespace EmbedForward
{
    /// <summary>Builds the module and streams the rows of the ids to the output, a block of ids at a time.</summary>
    internal static class EmbedForwardRunner
    {
        // About 4 MB of rows per block: enough to amortise a lookup, small enough that memory stays flat.
        private const long BlockValues = 1 << 20;

        /// <summary>Writes the rows of <paramref name="ids"/> (chunks, as <see cref="IdReader"/> returns them) to <paramref name="output"/>.</summary>
        public static void Run(EmbedOptions options, IEnumerable<long[]> ids, Stream output)
        {
            using var model = new MyEmbed(vocab: options.Vocab, dModel: options.DModel, rngs: new Rngs(options.Seed));
            var writer = new ValueWriter(output, options.Json);
            long perBlock = Math.Max(1, BlockValues / options.DModel);
            using (torch.no_grad())
            {
                foreach (long[] chunk in ids)
                {
                    using var scope = torch.NewDisposeScope();
                    // Zero-copy: torch.tensor would clone every chunk into the managed heap first.
                    Tensor chunkIds = torch.from_array(chunk);
                    for (long start = 0; start < chunk.Length; start += perBlock)
                    {
                        using var blockScope = torch.NewDisposeScope();
                        writer.Write(model.Forward(chunkIds.narrow(0, start, Math.Min(perBlock, chunk.Length - start))));
                    }
                }
            }
            writer.Finish();
        }
    }
}
