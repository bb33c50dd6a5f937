using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// dotnet run -c Release --project tests/Nnx.Benchmarks -- --filter '*'          full runs
// dotnet run -c Release --project tests/Nnx.Benchmarks -- --quick --filter '*'  a few iterations, for a 2-core machine
// dotnet run -c Release --project tests/Nnx.Benchmarks -- --paired    the lookup peers in alternation
// dotnet run -c Release --project tests/Nnx.Benchmarks -- --paired-compile [rounds]    compile time in alternation
// dotnet run -c Release --project tests/Nnx.Benchmarks -- --paired-training   training step and construction in alternation
// dotnet run -c Release --project tests/Nnx.Benchmarks -- --paired-random [rounds]    JAX-exact normals and normal_() in alternation
//
// Benchmarks run in process: BenchmarkDotNet's generated child project would not get the libLibTorchSharp fix
// that this repository's build applies, and every peer is measured in the same process and run anyway.
int pairedCompile = System.Array.IndexOf(args, "--paired-compile");
if (pairedCompile >= 0)
{
    int rounds = pairedCompile + 1 < args.Length && int.TryParse(args[pairedCompile + 1], out int n) ? n : 15;
    Nnx.Benchmarks.CompileTime.PairedCompileTime.Run(rounds);
    return;
}
int pairedRandom = System.Array.IndexOf(args, "--paired-random");
if (pairedRandom >= 0)
{
    int rounds = pairedRandom + 1 < args.Length && int.TryParse(args[pairedRandom + 1], out int n) ? n : 11;
    Nnx.Benchmarks.Random.PairedRandom.Run(rounds);
    return;
}
if (System.Array.IndexOf(args, "--paired-training") >= 0)
{
    Nnx.Benchmarks.Training.PairedTraining.Run(rounds: 201);
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
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest, config);
