using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Nnx.Benchmarks.CompileTime;

/// <summary>
/// What each Nnx analyzer adds to the 500-module build, by difference (<c>--paired-analyzers [rounds]</c>): every
/// analyzer pass includes <see cref="BindingOnlyAnalyzer"/>, which asks for every symbol and operation, so binding is
/// paid once per pass whatever the Nnx analyzers ask for, and a pass with an Nnx analyzer minus the pass without it is
/// that analyzer's own work. Peers run in a fresh random order each round; figures are medians over rounds of the
/// difference divided by the hand-written build of the same round.
/// </summary>
internal static class PairedAnalyzers
{
    public static void Run(int rounds)
    {
        var workload = new CompileWorkload();
        CompileWorkload.NewDriver(trackSteps: false).RunGeneratorsAndUpdateCompilation(workload.Compile(workload.UserSources), out Compilation generated, out _);
        DiagnosticAnalyzer bindingOnly = new BindingOnlyAnalyzer();
        var passes = new List<(string Name, ImmutableArray<DiagnosticAnalyzer> Analyzers)>
        {
            ("binding only", [bindingOnly]),
            ("every Nnx analyzer", [bindingOnly, .. workload.Analyzers]),
        };
        passes.AddRange(workload.Analyzers.Select(a => (a.GetType().Name, ImmutableArray.Create(bindingOnly, a))));
        var peers = new List<(string Name, Action Call)> { ("hand-written build", () => workload.BuildHandWritten()) };
        peers.AddRange(passes.Select(p => (p.Name, (Action)(() => Pass(generated.Clone(), p.Analyzers)))));
        foreach (var peer in peers) peer.Call();

        var random = new System.Random(13);
        var seconds = new double[rounds][];
        for (int round = 0; round < rounds; round++)
        {
            seconds[round] = new double[peers.Count];
            int[] order = Enumerable.Range(0, peers.Count).ToArray();
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

        Console.WriteLine($"| {rounds} rounds | median time | (pass - binding-only pass) / hand-written build, median (quartiles) |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| hand-written build | {Median(seconds.Select(r => r[0])) * 1e3:0} ms | |");
        Console.WriteLine($"| analyzer pass: binding only | {Median(seconds.Select(r => r[1])) * 1e3:0} ms | |");
        for (int i = 2; i < peers.Count; i++)
        {
            double[] shares = seconds.Select(r => (r[i] - r[1]) / r[0]).OrderBy(s => s).ToArray();
            Console.WriteLine($"| analyzer pass: binding + {peers[i].Name} | {Median(seconds.Select(r => r[i])) * 1e3:0} ms | {Quantile(shares, 0.5):0.000} ({Quantile(shares, 0.25):0.000}-{Quantile(shares, 0.75):0.000}) |");
        }
        ReportTelemetry(generated, bindingOnly, workload.Analyzers, Median(seconds.Select(r => r[0])));
    }

    // Roslyn's own timing of each analyzer's callbacks, in a pass where the binding-only analyzer is registered too:
    // the operation trees are built for it whatever the Nnx analyzers do, so their times are their own work.
    private static void ReportTelemetry(Compilation generated, DiagnosticAnalyzer bindingOnly, ImmutableArray<DiagnosticAnalyzer> nnx, double handWritten)
    {
        var perAnalyzer = nnx.ToDictionary(a => a.GetType().Name, _ => new List<double>());
        var totals = new List<double>();
        for (int rep = 0; rep < 5; rep++)
        {
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true);
            CompilationWithAnalyzers pass = generated.Clone().WithAnalyzers([bindingOnly, .. nnx], options);
            pass.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
            double total = 0;
            foreach (DiagnosticAnalyzer analyzer in nnx)
            {
                double s = pass.GetAnalyzerTelemetryInfoAsync(analyzer, default).GetAwaiter().GetResult().ExecutionTime.TotalSeconds;
                perAnalyzer[analyzer.GetType().Name].Add(s);
                total += s;
            }
            totals.Add(total);
        }
        Console.WriteLine();
        Console.WriteLine("| Roslyn telemetry, binding-only analyzer in the same pass (median of 5) | time | / hand-written build |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| every Nnx analyzer | {Median(totals) * 1e3:0} ms | {Median(totals) / handWritten:0.000} |");
        foreach (var (name, values) in perAnalyzer.OrderByDescending(kv => Median(kv.Value)))
            Console.WriteLine($"| {name} | {Median(values) * 1e3:0} ms | {Median(values) / handWritten:0.000} |");
    }

    private static void Pass(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
    }

    private static double Median(IEnumerable<double> values) => Quantile(values.OrderBy(v => v).ToArray(), 0.5);

    private static double Quantile(double[] sorted, double q) => sorted[(int)Math.Round(q * (sorted.Length - 1))];
}
