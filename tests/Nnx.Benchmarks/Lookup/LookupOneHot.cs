using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Benchmarks.Lookup;

/// <summary>
/// The one-hot matmul lookup (what a TPU-minded JAX model may do), for small T only: its (T, 50257) one-hot and
/// T x V x D multiply-adds make it hopeless beyond that. Ratios to raw <c>index_select</c>.
/// </summary>
[MemoryDiagnoser]
public class LookupOneHot
{
    private Tensor table = null!;
    private Tensor ids = null!;
    private bool gradWasEnabled;

    /// <summary>Tokens per forward.</summary>
    [Params(1, 64)]
    public int T { get; set; }

    /// <summary>Width of a row.</summary>
    [Params(64, 768)]
    public int D { get; set; }

    /// <summary>Token id dtype.</summary>
    [Params(ScalarType.Int64, ScalarType.Int32)]
    public ScalarType Ids { get; set; }

    /// <summary>Builds (or reuses) the table and the ids.</summary>
    [GlobalSetup]
    public void Setup()
    {
        gradWasEnabled = torch.is_grad_enabled();
        torch.set_grad_enabled(false);
        table = Tables.Embed(D).Embedding;
        ids = Tables.Ids(T, Ids);
    }

    /// <summary>Releases the ids.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        ids.Dispose();
        torch.set_grad_enabled(gradWasEnabled);
    }

    /// <summary>The reference: <c>table.index_select(0, ids)</c>.</summary>
    [Benchmark(Baseline = true)]
    public void RawIndexSelect()
    {
        using Tensor rows = table.index_select(0, ids);
    }

    /// <summary><c>one_hot(ids, V).float() @ table</c> (one_hot needs Int64 ids, so Int32 ids pay a cast).</summary>
    [Benchmark]
    public void OneHotMatmul()
    {
        using Tensor ids64 = ids.to(ScalarType.Int64);
        using Tensor oneHot = torch.nn.functional.one_hot(ids64, Tables.Vocab);
        using Tensor weights = oneHot.to(table.dtype);
        using Tensor rows = weights.matmul(table);
    }
}
