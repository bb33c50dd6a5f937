using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Nnx.Benchmarks.CompileTime;

/// <summary>
/// The compile-time figures in alternation (<c>--paired-compile</c>): each round runs the hand-written build, the
/// build with the generator and the generator alone in a fresh random order, and a figure is the median over rounds
/// of time / hand-written build time in that round. A full build of 500 modules takes seconds and its garbage
/// collections make single runs spread by +-20 %, so only ratios within a round are compared. The analyzers' own
/// time comes from Roslyn's per-analyzer execution timing, against the same hand-written build.
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
            ("analyzer pass: binding only (reference for the next)", () => AnalyzerPass(generated.Clone(), bindingOnly)),
            ("analyzer pass: every Nnx analyzer", () => AnalyzerPass(generated.Clone(), workload.Analyzers)),
        };
        foreach (var peer in peers) peer.Call();

        var random = new System.Random(11);
        var seconds = new double[rounds][];
        for (int round = 0; round < rounds; round++)
        {
            seconds[round] = new double[peers.Length];
            int[] order = Enumerable.Range(0, peers.Length).ToArray();
            random.Shuffle(order);
            foreach (int i in order)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var clock = Stopwatch.StartNew();
                peers[i].Call();
                seconds[round][i] = clock.Elapsed.TotalSeconds;
            }
        }

        Console.WriteLine($"| {rounds} rounds | median time | ratio to the hand-written build or recompile (median, quartiles) |");
        Console.WriteLine("|---|---:|---:|");
        for (int i = 0; i < peers.Length; i++)
        {
            int reference = i < EditReference ? 0 : EditReference;
            double[] ratios = seconds.Select(round => round[i] / round[reference]).OrderBy(r => r).ToArray();
            double median = Quantile(seconds.Select(round => round[i]), 0.5);
            Console.WriteLine($"| {peers[i].Name} | {median * 1e3:0} ms | {Quantile(ratios, 0.5):0.000} ({Quantile(ratios, 0.25):0.000}-{Quantile(ratios, 0.75):0.000}) |");
        }
        double handWritten = Quantile(seconds.Select(round => round[0]), 0.5);
        int nnx = peers.Length - 1, binding = peers.Length - 2;
        double[] shares = seconds.Select(round => (round[nnx] - round[binding]) / round[0]).OrderBy(r => r).ToArray();
        Console.WriteLine($"| the Nnx analyzers' own cost: (every Nnx analyzer - binding only) / hand-written build | | {Quantile(shares, 0.5):0.000} ({Quantile(shares, 0.25):0.000}-{Quantile(shares, 0.75):0.000}) |");
        ReportAnalyzers(workload, handWritten);
    }

    private static void AnalyzerPass(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
    }

    // Roslyn times each analyzer's callbacks itself; the sum is what the analyzers add to a build, which binds the
    // program once for the compiler and the analyzers together.
    private static void ReportAnalyzers(CompileWorkload workload, double handWrittenSeconds)
    {
        var totals = new List<double>();
        var perAnalyzer = new Dictionary<string, List<double>>();
        for (int rep = 0; rep < 3; rep++)
        {
            CompileWorkload.NewDriver(trackSteps: false).RunGeneratorsAndUpdateCompilation(workload.Compile(workload.UserSources), out Compilation output, out _);
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null,
                concurrentAnalysis: false, logAnalyzerExecutionTime: true);
            CompilationWithAnalyzers withAnalyzers = output.WithAnalyzers(workload.Analyzers, options);
            withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
            double total = 0;
            foreach (DiagnosticAnalyzer analyzer in workload.Analyzers)
            {
                double s = withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, default).GetAwaiter().GetResult().ExecutionTime.TotalSeconds;
                string name = analyzer.GetType().Name;
                if (!perAnalyzer.TryGetValue(name, out List<double>? list)) perAnalyzer[name] = list = new List<double>();
                list.Add(s);
                total += s;
            }
            totals.Add(total);
        }
        // The first pass includes jitting the analyzers; the median of three is a warm figure.
        Console.WriteLine($"| every Nnx analyzer's own execution (Roslyn telemetry, median of 3) | {Quantile(totals, 0.5) * 1e3:0} ms | {Quantile(totals, 0.5) / handWrittenSeconds:0.000} |");
        foreach (var (name, values) in perAnalyzer.OrderByDescending(kv => Quantile(kv.Value, 0.5)))
            Console.WriteLine($"| {name} | {Quantile(values, 0.5) * 1e3:0} ms | {Quantile(values, 0.5) / handWrittenSeconds:0.000} |");
    }

    private static double Quantile(IEnumerable<double> values, double q)
    {
        double[] sorted = values.OrderBy(v => v).ToArray();
        return sorted[(int)Math.Round(q * (sorted.Length - 1))];
    }
}
