using System.Linq;
using System.Threading.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Concurrency;

/// <summary>Forward on an eval module from several threads gives what one thread gives (documented in docs/errors.md).</summary>
public class ConcurrentForwardTests
{
    [Fact]
    public void Embed_forward_from_eight_threads_equals_the_single_threaded_result()
    {
        using var embed = new Embed(numEmbeddings: 1000, features: 16, rngs: new Rngs(3));
        embed.eval();
        long[][] batches = Enumerable.Range(0, 8).Select(t => Enumerable.Range(0, 200).Select(i => (long)((i * 37 + t * 101) % 1000)).ToArray()).ToArray();
        float[][] expected = batches.Select(ids => Rows(embed, ids)).ToArray();

        float[][] actual = new float[batches.Length][];
        Parallel.For(0, batches.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            for (int repeat = 0; repeat < 20; repeat++) actual[t] = Rows(embed, batches[t]);
        });

        for (int t = 0; t < batches.Length; t++) Assert.Equal(expected[t], actual[t]);
    }

    private static float[] Rows(Embed embed, long[] ids)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return embed.Forward(torch.tensor(ids)).reshape(-1).data<float>().ToArray();
    }
}
