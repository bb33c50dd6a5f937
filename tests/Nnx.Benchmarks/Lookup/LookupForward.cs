using BenchmarkDotNet.Attributes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx.Benchmarks.Lookup;

/// <summary>
/// Embedding forward (V = 50257, inference: grad mode off) through every way TorchSharp offers, as ratios to a raw
/// <c>index_select</c> on the same table and ids. Every call allocates its output and disposes it, as a forward does.
/// </summary>
[MemoryDiagnoser]
public class LookupForward
{
    private BenchEmbed generated = null!;
    private BenchMyEmbed myEmbed = null!;
    private Embedding embedding = null!;
    private Tensor table = null!;
    private Tensor ids = null!;
    private TensorIndex index;
    private Embed nnxEmbed = null!;
    private bool gradWasEnabled;

    /// <summary>Tokens per forward.</summary>
    [Params(1, 64, 4096, 65536)]
    public int T { get; set; }

    /// <summary>Width of a row.</summary>
    [Params(64, 768)]
    public int D { get; set; }

    /// <summary>Token id dtype.</summary>
    [Params(ScalarType.Int64, ScalarType.Int32)]
    public ScalarType Ids { get; set; }

    /// <summary>Builds (or reuses) the table, the peer modules sharing it, and the ids.</summary>
    [GlobalSetup]
    public void Setup()
    {
        gradWasEnabled = torch.is_grad_enabled();
        torch.set_grad_enabled(false);
        generated = Tables.Embed(D);
        table = generated.Embedding;
        myEmbed = new BenchMyEmbed(Tables.Vocab, D, new Rngs(0));
        nnxEmbed = Tables.NnxEmbed(D);
        embedding = torch.nn.Embedding_from_pretrained(table, freeze: true);
        ids = Tables.Ids(T, Ids);
        index = TensorIndex.Tensor(ids);
    }

    /// <summary>Releases what this case made.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        ids.Dispose();
        embedding.Dispose();
        myEmbed.Dispose();
        torch.set_grad_enabled(gradWasEnabled);
    }

    /// <summary>The reference: <c>table.index_select(0, ids)</c>.</summary>
    [Benchmark(Baseline = true)]
    public void RawIndexSelect()
    {
        using Tensor rows = table.index_select(0, ids);
    }

    /// <summary>The generated module whose Forward calls <see cref="Nnx.Lookup.Rows"/> (what Nnx.Embed does).</summary>
    [Benchmark]
    public void GeneratedModule()
    {
        using Tensor rows = generated.Forward(ids);
    }

    /// <summary>The built-in <c>Nnx.Embed</c> (a copy of the same table).</summary>
    [Benchmark]
    public void NnxEmbed()
    {
        using Tensor rows = nnxEmbed.Forward(ids);
    }

    /// <summary>The generated MyEmbed of the seed sample (Forward is a bare index_select).</summary>
    [Benchmark]
    public void GeneratedMyEmbed()
    {
        using Tensor rows = myEmbed.Forward(ids);
    }

    /// <summary>The library lookup, called directly.</summary>
    [Benchmark]
    public void LookupRows()
    {
        using Tensor rows = Nnx.Lookup.Rows(table, ids);
    }

    /// <summary>TorchSharp's native <c>nn.Embedding</c> over the same table.</summary>
    [Benchmark]
    public void NnEmbedding()
    {
        using Tensor rows = embedding.forward(ids);
    }

    /// <summary>Advanced indexing, <c>table[ids]</c>.</summary>
    [Benchmark]
    public void AdvancedIndexing()
    {
        using Tensor rows = table[index];
    }
}
