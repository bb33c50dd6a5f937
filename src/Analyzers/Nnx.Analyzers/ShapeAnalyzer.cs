using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Nnx.Generators.Shared;

namespace Nnx.Analyzers;

/// <summary>NNX0003: a <c>Shape</c> the generator cannot turn into a constructor.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ShapeAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.BadShape);

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
        if (attribute is null) return;
        string? shape = ParamAttributes.NamedString(attribute, "Shape");
        if (ShapeSyntax.TryParse(shape, out List<ShapeDim> dims, out string error))
        {
            // The generated constructor has parameters of these names itself (the generator's Parser.ReservedNames).
            if (dims.FirstOrDefault(d => d.Name is "rngs" or "paramDtype") is not { Name: { } reserved }) return;
            error = $"dimension '{reserved}' is a name the generated constructor uses itself; rename it (e.g. \"{reserved}Dim\")";
        }
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.BadShape, ParamAttributes.ArgumentLocation(attribute, "Shape"), field.Name, error));
    }
}
