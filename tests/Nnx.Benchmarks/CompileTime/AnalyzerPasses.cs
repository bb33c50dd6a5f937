using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Nnx.Benchmarks.CompileTime;

/// <summary>Analyzer passes over a compilation, as a build runs them (no concurrency), and Roslyn's own timing of them.</summary>
internal static class AnalyzerPasses
{
    public static void Run(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers) =>
        compilation.WithAnalyzers(analyzers, Options(logTime: false)).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();

    /// <summary>
    /// Roslyn's timing of each Nnx analyzer's callbacks, median of five passes, in passes where
    /// <paramref name="bindingOnly"/> is registered too: the operation trees are built for it whatever the Nnx analyzers
    /// do, so their times are their own work. Printed as a table against <paramref name="handWrittenSeconds"/>.
    /// </summary>
    public static void ReportTelemetry(Compilation generated, DiagnosticAnalyzer bindingOnly, ImmutableArray<DiagnosticAnalyzer> nnx, double handWrittenSeconds)
    {
        var perAnalyzer = nnx.ToDictionary(a => a.GetType().Name, _ => new List<double>());
        var totals = new List<double>();
        for (int rep = 0; rep < 5; rep++)
        {
            CompilationWithAnalyzers pass = generated.Clone().WithAnalyzers([bindingOnly, .. nnx], Options(logTime: true));
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
        Console.WriteLine($"| every Nnx analyzer | {BuildRounds.Median(totals) * 1e3:0} ms | {BuildRounds.Median(totals) / handWrittenSeconds:0.000} |");
        foreach (var (name, values) in perAnalyzer.OrderByDescending(kv => BuildRounds.Median(kv.Value)))
            Console.WriteLine($"| {name} | {BuildRounds.Median(values) * 1e3:0} ms | {BuildRounds.Median(values) / handWrittenSeconds:0.000} |");
    }

    private static CompilationWithAnalyzersOptions Options(bool logTime) =>
        new(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: logTime);
}
