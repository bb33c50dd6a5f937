using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Nnx.Generators.Shared;

namespace Nnx.Analyzers;

/// <summary>NNX0004: an <c>Init</c> the runtime would reject when the module is constructed.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InitAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.BadInit);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            NnxSymbols? symbols = NnxSymbols.TryCreate(start.Compilation);
            if (symbols?.ParamAttribute is null) return;
            start.RegisterSymbolAction(symbol => Analyze(symbol, symbols), SymbolKind.Field);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, NnxSymbols symbols)
    {
        var field = (IFieldSymbol)context.Symbol;
        AttributeData? attribute = symbols.VariableAttribute(field);
        if (attribute is null || !ParamAttributes.IsWritten(attribute, "Init")) return;
        string? init = ParamAttributes.NamedString(attribute, "Init");
        if (InitSyntax.TryParse(init, out string error)) return;
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.BadInit, ParamAttributes.ArgumentLocation(attribute, "Init"), field.Name, error));
    }
}
