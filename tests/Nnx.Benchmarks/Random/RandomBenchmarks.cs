using System;
using BenchmarkDotNet.Attributes;
using Nnx;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Benchmarks.Random;

/// <summary>
/// jax.random.normal for a GPT-2 token embedding, (50257, 768) float32 = 154 MB, against libtorch's own generator and
/// against a plain fill_ of the same memory (the bandwidth floor), in float32 and bfloat16. Ratios and GB/s:
/// docs/benchmarks.md, section 4; the same peers in alternation: <see cref="PairedRandom"/>.
/// </summary>
[MemoryDiagnoser(false)]
public class RandomBenchmarks
{
    private const long Vocab = 50257, DModel = 768;
    private static readonly PrngKey Key = new Rngs(0).Params();
    private Tensor _reused = null!;
    private Tensor _reused16 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _reused = torch.empty([Vocab, DModel], ScalarType.Float32);
        // Touch every page once so the in-place rows measure generation, not first-touch page faults.
        _reused.fill_(0f);
        _reused16 = torch.zeros([Vocab, DModel], ScalarType.BFloat16);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _reused.Dispose();
        _reused16.Dispose();
    }

    [Benchmark(Description = "fill_(1) reused")]
    public Tensor FillReused() => _reused.fill_(1f);

    [Benchmark(Baseline = true, Description = "Tensor.normal_() reused")]
    public Tensor TorchNormalReused() => _reused.normal_();

    [Benchmark(Description = "JaxRandom.Normal(key, reused)")]
    public Tensor JaxNormalReused() => JaxRandom.Normal(Key, _reused);

    [Benchmark(Description = "bfloat16 Tensor.normal_() reused")]
    public Tensor TorchNormalReused16() => _reused16.normal_();

    [Benchmark(Description = "bfloat16 JaxRandom.Normal(key, reused)")]
    public Tensor JaxNormalReused16() => JaxRandom.Normal(Key, _reused16);

    [Benchmark(Description = "torch.randn (allocating)")]
    public void TorchRandn()
    {
        using Tensor t = torch.randn([Vocab, DModel]);
    }

    [Benchmark(Description = "JaxRandom.Normal(key, shape) (allocating)")]
    public void JaxNormalAllocating()
    {
        using Tensor t = JaxRandom.Normal(Key, Vocab, DModel);
    }

    [Benchmark(Description = "one thread, scalar path")]
    public unsafe void OneThreadScalar() =>
        RandomFill.Floats(new BitStream(Key, BitsLayout.Partitionable, Vocab * DModel), (float*)TensorMemory.Pointer(_reused), new NormalMap(1f), SimdPath.Scalar, parallel: false);

    [Benchmark(Description = "one thread, vector path")]
    public unsafe void OneThreadVector() =>
        RandomFill.Floats(new BitStream(Key, BitsLayout.Partitionable, Vocab * DModel), (float*)TensorMemory.Pointer(_reused), new NormalMap(1f), SimdPaths.Best, parallel: false);

    // The same stream without the float map: how the vector path's time splits between Threefry and erf_inv.
    [Benchmark(Description = "one thread, vector path, bits only")]
    public unsafe void OneThreadVectorBits() =>
        RandomFill.Words(new BitStream(Key, BitsLayout.Partitionable, Vocab * DModel), (uint*)TensorMemory.Pointer(_reused), SimdPaths.Best, parallel: false);
}
