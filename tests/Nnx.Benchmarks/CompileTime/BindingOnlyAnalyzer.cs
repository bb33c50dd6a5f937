using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Nnx.Benchmarks.CompileTime;

// Driven in process by the benchmark only, never loaded by a compiler: the rules for shipped analyzers do not apply.
#pragma warning disable RS1036, RS1041, RS2008

/// <summary>
/// An analyzer that asks for everything the Nnx analyzers ask for (every symbol, every operation) and does nothing
/// with it: the cost of an analyzer pass that a build pays anyway (binding the bodies, which a real build shares with
/// emitting), so that the Nnx analyzers' own cost is the difference.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class BindingOnlyAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Never = new("BENCH0001", "never reported", "never reported", "Bench", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Never);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(_ => { }, SymbolKind.NamedType, SymbolKind.Field);
        context.RegisterOperationAction(_ => { }, System.Enum.GetValues<OperationKind>().Where(k => k != OperationKind.None).ToArray());
    }
}
