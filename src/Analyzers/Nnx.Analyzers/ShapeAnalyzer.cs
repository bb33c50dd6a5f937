using System.Collections.Immutable;
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
            INamedTypeSymbol? paramAttribute = start.Compilation.GetTypeByMetadataName(ParamAttributes.MetadataName);
            if (paramAttribute is null) return;
            start.RegisterSymbolAction(symbol => Analyze(symbol, paramAttribute), SymbolKind.Field);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol paramAttribute)
    {
        var field = (IFieldSymbol)context.Symbol;
        AttributeData? attribute = ParamAttributes.Find(field, paramAttribute);
        if (attribute is null) return;
        string? shape = ParamAttributes.NamedString(attribute, "Shape");
        if (ShapeSyntax.TryParse(shape, out _, out string error)) return;
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.BadShape, ParamAttributes.ArgumentLocation(attribute, "Shape"), field.Name, error));
    }
}
