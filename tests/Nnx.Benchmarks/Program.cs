using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// dotnet run -c Release --project tests/Nnx.Benchmarks -- --filter '*'          full runs
// dotnet run -c Release --project tests/Nnx.Benchmarks -- --quick --filter '*'  a few iterations, for a 2-core machine
// dotnet run -c Release --project tests/Nnx.Benchmarks -- --paired    the lookup peers in alternation
// dotnet run -c Release --project tests/Nnx.Benchmarks -- --paired-compile [rounds]    compile time in alternation
// dotnet run -c Release --project tests/Nnx.Benchmarks -- --paired-analyzers [rounds]  each analyzer's own cost, by difference
// dotnet run -c Release --project tests/Nnx.Benchmarks -- --paired-training   training step and construction in alternation
// dotnet run -c Release --project tests/Nnx.Benchmarks -- --paired-attention  sdpa against matmul-softmax-matmul
// dotnet run -c Release --project tests/Nnx.Benchmarks -- --paired-mha        MultiHeadAttention against hand-written TorchSharp
// dotnet run -c Release --project tests/Nnx.Benchmarks -- --paired-lifetime   a forward loop with and without dispose scopes
// dotnet run -c Release --project tests/Nnx.Benchmarks -- --paired-conv-bn    Conv and BatchNorm against hand-written TorchSharp
// dotnet run -c Release --project tests/Nnx.Benchmarks -- --paired-optim [rounds [threads]] [embedding|tinylm|gpt]...   optimizer steps in alternation
//                                                     (tests/Nnx.Benchmarks/Optim/with-python-torch.sh adds PyTorch in Python)
// dotnet run -c Release --project tests/Nnx.Benchmarks -- --paired-random [rounds]    JAX-exact normals and normal_() in alternation
//
// Benchmarks run in process: BenchmarkDotNet's generated child project would not get the libLibTorchSharp fix
// that this repository's build applies, and every peer is measured in the same process and run anyway.
if (Nnx.Benchmarks.Lifetime.PairedLifetime.TryRunChild(args)) return;
int pairedCompile = System.Array.IndexOf(args, "--paired-compile");
if (pairedCompile >= 0)
{
    int rounds = pairedCompile + 1 < args.Length && int.TryParse(args[pairedCompile + 1], out int n) ? n : 15;
    Nnx.Benchmarks.CompileTime.PairedCompileTime.Run(rounds);
    return;
}
int pairedAnalyzers = System.Array.IndexOf(args, "--paired-analyzers");
if (pairedAnalyzers >= 0)
{
    int rounds = pairedAnalyzers + 1 < args.Length && int.TryParse(args[pairedAnalyzers + 1], out int n) ? n : 15;
    Nnx.Benchmarks.CompileTime.PairedAnalyzers.Run(rounds);
    return;
}
int pairedOptim = System.Array.IndexOf(args, "--paired-optim");
if (pairedOptim >= 0)
{
    int rounds = pairedOptim + 1 < args.Length && int.TryParse(args[pairedOptim + 1], out int n) ? n : 21;
    if (pairedOptim + 2 < args.Length && int.TryParse(args[pairedOptim + 2], out int threads)) TorchSharp.torch.set_num_threads(threads);
    // The groups named on the command line, or all of them when none is named.
    bool all = !args.Any(a => a is "embedding" or "tinylm" or "gpt");
    Nnx.Benchmarks.Optim.PairedOptim.Run(rounds, all || args.Contains("embedding"), all || args.Contains("tinylm"), all || args.Contains("gpt"));
    return;
}
int pairedRandom = System.Array.IndexOf(args, "--paired-random");
if (pairedRandom >= 0)
{
    int rounds = pairedRandom + 1 < args.Length && int.TryParse(args[pairedRandom + 1], out int r) ? r : 11;
    Nnx.Benchmarks.Random.PairedRandom.Run(rounds);
    return;
}
if (System.Array.IndexOf(args, "--paired-training") >= 0)
{
    Nnx.Benchmarks.Training.PairedTraining.Run(rounds: 201);
    return;
}
if (System.Array.IndexOf(args, "--paired-attention") >= 0)
{
    Nnx.Benchmarks.Attention.PairedAttention.Run();
    return;
}
if (System.Array.IndexOf(args, "--paired-mha") >= 0)
{
    Nnx.Benchmarks.Attention.PairedMultiHeadAttention.Run();
    return;
}
if (System.Array.IndexOf(args, "--paired-conv-bn") >= 0)
{
    Nnx.Benchmarks.ConvBatchNorm.PairedConvBatchNorm.Run();
    return;
}
if (System.Array.IndexOf(args, "--paired-lifetime") >= 0)
{
    Nnx.Benchmarks.Lifetime.PairedLifetime.Run(rounds: 15);
    return;
}
if (System.Array.IndexOf(args, "--paired") >= 0)
{
    Nnx.Benchmarks.Lookup.PairedLookup.Run();
    return;
}
bool quick = System.Array.IndexOf(args, "--quick") >= 0;
string[] rest = System.Array.FindAll(args, a => a != "--quick");
Job job = (quick ? Job.ShortRun.WithWarmupCount(2).WithIterationCount(5) : Job.Default).WithToolchain(InProcessEmitToolchain.Instance);
IConfig config = DefaultConfig.Instance.AddJob(job.AsDefault()).WithOptions(ConfigOptions.JoinSummary);
// Not typeof(Program): the referenced Gpt sample has a Program too.
BenchmarkSwitcher.FromAssembly(typeof(Nnx.Benchmarks.Optim.PairedOptim).Assembly).Run(rest, config);
