using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Nnx.Benchmarks.CompileTime;

/// <summary>
/// What the generator adds to compiling 500 modules. The peer is the same program hand-written: the user's sources
/// plus the generated files added as ordinary sources, so both sides compile the same code and the difference is the
/// generator's own work. Full builds parse from text and emit to memory. Also the incremental run after an edit in
/// one method body, with a warm generator. The analyzers' cost is measured by <see cref="PairedCompileTime"/> from
/// Roslyn's own per-analyzer timing: a separate analyzer pass would bind every method body a second time.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(1)]
[IterationCount(5)]
public class GeneratorCompileTime
{
    private const int Edited = CompileWorkload.Modules / 2;

    private CompileWorkload workload = null!;
    private Compilation parsed = null!;
    private Compilation edited = null!;
    private Compilation handWrittenEdited = null!;
    private GeneratorDriver warmDriver = null!;

    /// <summary>Builds the workload, runs the generator once (the IDE's warm state) and prepares the edit.</summary>
    [GlobalSetup]
    public void Setup()
    {
        workload = new CompileWorkload();
        parsed = workload.Compile(workload.UserSources);
        edited = Edit(parsed);
        handWrittenEdited = Edit(workload.Compile(workload.UserSources, workload.GeneratedSources));
        warmDriver = CompileWorkload.NewDriver(trackSteps: false).RunGenerators(parsed);
        Console.WriteLine(EditReruns.Describe(parsed, edited));
    }

    /// <summary>The reference: the same program hand-written (generated files as ordinary sources), no generator.</summary>
    [Benchmark(Baseline = true)]
    public long FullHandWritten() => workload.BuildHandWritten();

    /// <summary>Full build with a cold generator run (a command-line build).</summary>
    [Benchmark]
    public long FullWithGenerator() => workload.BuildWithGenerator();

    /// <summary>A cold generator run alone on parsed sources (no emit): its share of the full build.</summary>
    [Benchmark]
    public int FullGeneratorOnly() =>
        CompileWorkload.NewDriver(trackSteps: false).RunGenerators(parsed.Clone()).GetRunResult().GeneratedTrees.Length;

    /// <summary>Compile the hand-written program after an edit in one method body.</summary>
    [Benchmark]
    public long EditHandWritten() => CompileWorkload.Emit(handWrittenEdited.Clone());

    /// <summary>Compile after the same edit with the warm generator (what an IDE or a build server does).</summary>
    [Benchmark]
    public long EditWithGenerator()
    {
        warmDriver.RunGeneratorsAndUpdateCompilation(edited.Clone(), out Compilation output, out _);
        return CompileWorkload.Emit(output);
    }

    /// <summary>The warm generator's own work after the edit (no emit).</summary>
    [Benchmark]
    public int EditGeneratorOnly() => warmDriver.RunGenerators(edited.Clone()).GetRunResult().GeneratedTrees.Length;

    // Changes one method body (the Forward of module Edited), nothing the generator reads.
    internal static Compilation Edit(Compilation compilation)
    {
        SyntaxTree old = compilation.SyntaxTrees.Single(t => t.FilePath.EndsWith($"Set0/File{Edited}.cs", StringComparison.Ordinal));
        SyntaxTree changed = CSharpSyntaxTree.ParseText(ModuleSources.Module(Edited, scale: 2.0), (CSharpParseOptions)old.Options, old.FilePath);
        return compilation.ReplaceSyntaxTree(old, changed);
    }
}
