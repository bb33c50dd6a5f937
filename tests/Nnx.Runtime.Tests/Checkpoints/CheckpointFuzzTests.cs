using System;
using System.IO;
using EmbedForward;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.CheckpointTests;

/// <summary>
/// The checkpoint reader over hundreds of mutated files (truncations, flipped bytes, inserted and deleted bytes):
/// each load either succeeds or fails with a documented exception, and a failed load leaves the module unchanged.
/// </summary>
public sealed class CheckpointFuzzTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nnx-fuzz-").FullName;

    // More with NNX_FUZZ_CASES=N (e.g. 20000); a few hundred keep the default run short.
    private static int Cases => int.TryParse(Environment.GetEnvironmentVariable("NNX_FUZZ_CASES"), out int n) && n > 0 ? n : 400;

    [Fact]
    public void Mutated_files_load_or_fail_cleanly_and_never_half_load()
    {
        string original = Path.Combine(_dir, "original.safetensors");
        using (var source = new MyEmbed(vocab: 7, dModel: 3, rngs: new Rngs(1)))
            source.SaveCheckpoint(original);
        byte[] good = File.ReadAllBytes(original);
        var random = new Random(20261128);
        using var target = new MyEmbed(vocab: 7, dModel: 3, rngs: new Rngs(2));
        int loaded = 0, refused = 0;

        for (int i = 0; i < Cases; i++)
        {
            byte[] mutated = Mutate(good, random);
            string path = Path.Combine(_dir, "mutated.safetensors");
            File.WriteAllBytes(path, mutated);
            using Tensor before = target.Embedding.detach().clone();
            try
            {
                target.LoadCheckpoint(path);
                loaded++;
            }
            catch (Exception e) when (e is CheckpointFormatException or StateMismatchException)
            {
                refused++;
                Assert.True(target.Embedding.detach().equal(before).all().item<bool>(), $"case {i}: a refused file changed the module ({e.Message})");
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }
        }

        Assert.Equal(Cases, loaded + refused);
        Assert.True(refused > Cases / 4, $"only {refused} of {Cases} mutations were refused");
    }

    private static byte[] Mutate(byte[] good, Random random)
    {
        byte[] bytes = (byte[])good.Clone();
        switch (random.Next(4))
        {
            case 0:
                return bytes[..random.Next(bytes.Length)];
            case 1:
                for (int k = random.Next(1, 4); k > 0; k--) bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
                return bytes;
            case 2:
            {
                int at = random.Next(bytes.Length);
                return [.. bytes[..at], (byte)random.Next(256), .. bytes[at..]];
            }
            default:
            {
                int at = random.Next(bytes.Length - 1);
                return [.. bytes[..at], .. bytes[(at + 1)..]];
            }
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
