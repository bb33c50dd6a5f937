using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Nnx.Analyzers;

/// <summary>
/// NNX0005: a <c>[Param]</c> field the generator skips (it emits nothing rather than code that cannot compile), so
/// the user learns why the constructor is missing.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ParamPlacementAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property naming the type that needs <c>partial</c>; present only when that is the fix.</summary>
    public const string MakePartialKey = "MakePartial";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.ParamMisuse);

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
        AttributeData? attribute = ParamAttributes.Find(field, symbols.ParamAttribute!);
        if (attribute?.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is not AttributeSyntax syntax) return;
        INamedTypeSymbol type = field.ContainingType;
        ImmutableDictionary<string, string?> properties = ImmutableDictionary<string, string?>.Empty;
        string? why = null;

        INamedTypeSymbol? notPartial = NotPartial(type);
        if (type.IsStatic)
            why = $"class '{type.Name}' is static; a module is an object with parameters, remove 'static'";
        else if (type.TypeKind != TypeKind.Class)
            why = $"'{type.Name}' is a {type.TypeKind.ToString().ToLowerInvariant()}; a module is a class, write 'public partial class {type.Name}'";
        else if (notPartial is not null)
        {
            why = SymbolEqualityComparer.Default.Equals(notPartial, type)
                ? $"class '{type.Name}' is not partial; declare it 'partial class {type.Name}' so the generated constructor can be added"
                : $"'{notPartial.Name}', which contains '{type.Name}', is not partial; declare it 'partial' so the generated part can be nested in it";
            properties = properties.Add(MakePartialKey, notPartial.Name);
        }
        else if (field.IsStatic || field.IsConst)
            why = $"field '{field.Name}' is static; each module instance owns its parameters, remove 'static'";
        else if (field.IsReadOnly)
            why = $"field '{field.Name}' is readonly; the generated code assigns it when the module is built or moved, remove 'readonly'";
        else if (!symbols.Is(field.Type, symbols.Parameter))
            why = $"field '{field.Name}' is a '{field.Type.ToDisplayString()}'; declare it as 'Parameter' (TorchSharp.Modules.Parameter)";
        else if (BadBase(type, symbols) is { } baseType)
            why = $"class '{type.Name}' derives from '{baseType.ToDisplayString()}'; a module derives from Nnx.Module or declares no base class";
        if (why is null) return;
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.ParamMisuse, syntax.GetLocation(), properties, field.Name, why));
    }

    private static INamedTypeSymbol? NotPartial(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            bool partial = t.DeclaringSyntaxReferences.Length > 0 && t.DeclaringSyntaxReferences.All(r =>
                r.GetSyntax() is TypeDeclarationSyntax d && d.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (!partial) return t;
        }
        return null;
    }

    private static INamedTypeSymbol? BadBase(INamedTypeSymbol type, NnxSymbols symbols)
    {
        INamedTypeSymbol? baseType = type.BaseType;
        if (baseType is null || baseType.SpecialType == SpecialType.System_Object || baseType.TypeKind == TypeKind.Error) return null;
        for (INamedTypeSymbol? t = baseType; t is not null; t = t.BaseType)
            if (SymbolEqualityComparer.Default.Equals(t, symbols.NnxModule)) return null;
        return baseType;
    }
}
