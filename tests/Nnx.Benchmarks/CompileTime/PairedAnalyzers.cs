using System;
using System.Collections.Generic;
using System.Collections.Immutable;
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
        peers.AddRange(passes.Select(p => (p.Name, (Action)(() => AnalyzerPasses.Run(generated.Clone(), p.Analyzers)))));
        double[][] seconds = BuildRounds.Measure(peers.Select(p => p.Call).ToArray(), rounds, seed: 13);

        Console.WriteLine($"| {rounds} rounds | median time | (pass - binding-only pass) / hand-written build, median (quartiles) |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| hand-written build | {BuildRounds.Median(seconds.Select(r => r[0])) * 1e3:0} ms | |");
        Console.WriteLine($"| analyzer pass: binding only | {BuildRounds.Median(seconds.Select(r => r[1])) * 1e3:0} ms | |");
        for (int i = 2; i < peers.Count; i++)
            Console.WriteLine($"| analyzer pass: binding + {peers[i].Name} | {BuildRounds.Median(seconds.Select(r => r[i])) * 1e3:0} ms | {BuildRounds.Spread(seconds.Select(r => (r[i] - r[1]) / r[0]))} |");
        AnalyzerPasses.ReportTelemetry(generated, bindingOnly, workload.Analyzers, BuildRounds.Median(seconds.Select(r => r[0])));
    }
}
