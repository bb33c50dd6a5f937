using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Nnx.Benchmarks.CompileTime;

/// <summary>
/// The compile-time figures in alternation (<c>--paired-compile</c>): each round runs the hand-written build, the
/// build with the generator and the generator alone in a fresh random order, and a figure is the median over rounds
/// of time / hand-written build time in that round. A full build of 500 modules takes seconds and its garbage
/// collections make single runs spread by +-20 %, so only ratios within a round are compared. The analyzers' own
/// time also comes from Roslyn's per-analyzer timing (<see cref="AnalyzerPasses.ReportTelemetry"/>).
/// </summary>
internal static class PairedCompileTime
{
    /// <summary>Runs <paramref name="rounds"/> rounds and prints a markdown table.</summary>
    public static void Run(int rounds)
    {
        var workload = new CompileWorkload();
        Compilation parsed = workload.Compile(workload.UserSources);
        Compilation edited = GeneratorCompileTime.Edit(parsed);
        Compilation handWrittenEdited = GeneratorCompileTime.Edit(workload.Compile(workload.UserSources, workload.GeneratedSources));
        CompileWorkload.NewDriver(trackSteps: false).RunGeneratorsAndUpdateCompilation(parsed, out Compilation lastOutput, out _);
        GeneratorDriver warmDriver = CompileWorkload.NewDriver(trackSteps: false).RunGenerators(parsed);
        // A host that keeps its last output compilation applies the edit to it when no generated file changed.
        Compilation lastOutputEdited = GeneratorCompileTime.Edit(lastOutput);
        Console.WriteLine(EditReruns.Describe(parsed, edited));

        // Full builds are compared with the first peer, the edit (an IDE's or build server's recompile of parsed
        // sources after one method body changed) with the fourth.
        const int EditReference = 3;
        // The analyzer pass over the generator's output, with a do-nothing analyzer that binds what the Nnx ones bind,
        // and with every Nnx analyzer: the difference is what the Nnx analyzers themselves add to a build.
        CompileWorkload.NewDriver(trackSteps: false).RunGeneratorsAndUpdateCompilation(parsed, out Compilation generated, out _);
        ImmutableArray<DiagnosticAnalyzer> bindingOnly = [new BindingOnlyAnalyzer()];
        var peers = new (string Name, Action Call)[]
        {
            ("hand-written build", () => workload.BuildHandWritten()),
            ("build with the generator", () => workload.BuildWithGenerator()),
            ("generator run alone (cold driver, parsed sources)", () => CompileWorkload.NewDriver(trackSteps: false).RunGenerators(parsed.Clone())),
            ("edit: hand-written recompile", () => CompileWorkload.Emit(handWrittenEdited.Clone())),
            ("edit: warm generator, recompile of RunGeneratorsAndUpdateCompilation's output", () =>
            {
                warmDriver.RunGeneratorsAndUpdateCompilation(edited.Clone(), out Compilation output, out _);
                CompileWorkload.Emit(output);
            }),
            ("edit: warm generator, recompile of the kept output with the edit", () =>
            {
                warmDriver.RunGenerators(edited.Clone());
                CompileWorkload.Emit(lastOutputEdited.Clone());
            }),
            ("edit: warm generator alone", () => warmDriver.RunGenerators(edited.Clone())),
            ("analyzer pass: binding only (reference for the next)", () => AnalyzerPasses.Run(generated.Clone(), bindingOnly)),
            ("analyzer pass: every Nnx analyzer", () => AnalyzerPasses.Run(generated.Clone(), workload.Analyzers)),
        };
        double[][] seconds = BuildRounds.Measure(peers.Select(p => p.Call).ToArray(), rounds, seed: 11);

        Console.WriteLine($"| {rounds} rounds | median time | ratio to the hand-written build or recompile (median, quartiles) |");
        Console.WriteLine("|---|---:|---:|");
        for (int i = 0; i < peers.Length; i++)
        {
            int reference = i < EditReference ? 0 : EditReference;
            Console.WriteLine($"| {peers[i].Name} | {BuildRounds.Median(seconds.Select(round => round[i])) * 1e3:0} ms | {BuildRounds.Spread(seconds.Select(round => round[i] / round[reference]))} |");
        }
        int nnx = peers.Length - 1, binding = peers.Length - 2;
        Console.WriteLine($"| the Nnx analyzers' own cost: (every Nnx analyzer - binding only) / hand-written build | | {BuildRounds.Spread(seconds.Select(round => (round[nnx] - round[binding]) / round[0]))} |");
        AnalyzerPasses.ReportTelemetry(generated, bindingOnly[0], workload.Analyzers, BuildRounds.Median(seconds.Select(round => round[0])));
    }
}
