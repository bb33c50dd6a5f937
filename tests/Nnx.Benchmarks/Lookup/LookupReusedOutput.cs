using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Benchmarks.Lookup;

/// <summary>
/// A lookup into a caller-owned output against a plain <c>copy_</c> of the same output bytes into a reused buffer
/// (the memory-bandwidth reference), with the allocating <c>index_select</c> for scale.
/// </summary>
[MemoryDiagnoser]
public class LookupReusedOutput
{
    private Tensor table = null!;
    private Tensor ids = null!;
    private Tensor source = null!;
    private Tensor output = null!;
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

    /// <summary>Builds the table, ids, the copy source and the reused output (both touched once, so resident).</summary>
    [GlobalSetup]
    public void Setup()
    {
        gradWasEnabled = torch.is_grad_enabled();
        torch.set_grad_enabled(false);
        table = Tables.Embed(D).Embedding;
        ids = Tables.Ids(T, Ids);
        source = table.index_select(0, ids);
        output = torch.zeros_like(source);
    }

    /// <summary>Releases what this case made.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        ids.Dispose();
        source.Dispose();
        output.Dispose();
        torch.set_grad_enabled(gradWasEnabled);
    }

    /// <summary>The reference: <c>output.copy_(source)</c>, the same (T, D) bytes into the same reused buffer.</summary>
    [Benchmark(Baseline = true)]
    public void CopyIntoReused() => _ = output.copy_(source);

    /// <summary><see cref="Nnx.Lookup.RowsInto"/> into the reused output.</summary>
    [Benchmark]
    public void LookupRowsInto() => Nnx.Lookup.RowsInto(table, ids, output);

    /// <summary><c>index_select</c> into a freshly allocated output (disposed after), for scale.</summary>
    [Benchmark]
    public void RawIndexSelectFresh()
    {
        using Tensor rows = table.index_select(0, ids);
    }
}
