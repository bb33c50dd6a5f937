using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Nnx.Analyzers;

/// <summary>
/// NNX0005: a <c>[Param]</c> (or <c>[BatchStat]</c>, <c>[Tied]</c>, <c>[Sub]</c>) field the generator skips. The
/// generator emits nothing rather than code that cannot compile, so this says why the constructor is missing. The
/// rules mirror the generator's <c>Parser</c>.
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
        AttributeData[] attributes = symbols.MemberAttributes(field).ToArray();
        if (attributes.Length == 0 || attributes[0].ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is not AttributeSyntax syntax) return;
        string kind = Name(attributes[0]);
        INamedTypeSymbol type = field.ContainingType;
        ImmutableDictionary<string, string?> properties = ImmutableDictionary<string, string?>.Empty;
        string? why = null;

        INamedTypeSymbol? notPartial = NotPartial(type);
        if (attributes.Length > 1)
            why = $"field '{field.Name}' has both [{kind}] and [{Name(attributes[1])}]; keep one";
        else if (type.IsStatic)
            why = $"class '{type.Name}' is static; a module is an object with parameters, remove 'static'";
        else if (type.TypeKind != TypeKind.Class)
            why = $"'{type.Name}' is a {type.TypeKind.ToString().ToLowerInvariant()}; a module is a class, write 'public partial class {type.Name}'";
        else if (type.IsRecord)
            why = $"'{type.Name}' is a record; a module is a plain class, write 'public partial class {type.Name}'";
        else if (type.IsAbstract)
            why = $"class '{type.Name}' is abstract; the generated constructor must be able to build it, remove 'abstract'";
        else if (notPartial is not null)
        {
            why = SymbolEqualityComparer.Default.Equals(notPartial, type)
                ? $"class '{type.Name}' is not partial; declare it 'partial class {type.Name}' so the generated constructor can be added"
                : $"'{notPartial.Name}', which contains '{type.Name}', is not partial; declare it 'partial' so the generated part can be nested in it";
            properties = properties.Add(MakePartialKey, notPartial.Name);
        }
        else if (field.IsStatic || field.IsConst)
            why = $"field '{field.Name}' is static; each module instance owns its variables, remove 'static'";
        else if (field.IsReadOnly)
            why = $"field '{field.Name}' is readonly; the generated code assigns it when the module is built or moved, remove 'readonly'";
        else if (ExpectedType(attributes[0], symbols) is { } expected && !SymbolEqualityComparer.Default.Equals(field.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), expected))
            why = $"field '{field.Name}' is a '{field.Type.ToDisplayString()}'; [{kind}] needs a '{expected.Name}' field ({expected.ToDisplayString()})";
        else if (BadBase(type, symbols) is { } baseType)
            why = $"class '{type.Name}' derives from '{baseType.ToDisplayString()}'; a module derives directly from Nnx.Module or declares no base class";
        if (why is null) return;
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.ParamMisuse, syntax.GetLocation(), properties, kind, field.Name, why));
    }

    private static string Name(AttributeData attribute)
    {
        string name = attribute.AttributeClass?.Name ?? "";
        return name.EndsWith("Attribute", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
    }

    private static INamedTypeSymbol? ExpectedType(AttributeData attribute, NnxSymbols symbols)
    {
        INamedTypeSymbol? attributeClass = attribute.AttributeClass;
        if (symbols.Is(attributeClass, symbols.ParamAttribute) || symbols.Is(attributeClass, symbols.TiedAttribute)) return symbols.Parameter;
        return symbols.Is(attributeClass, symbols.BatchStatAttribute) ? symbols.Tensor : null;
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

    // The generated constructor calls base("Name"): only Nnx.Module itself has that constructor to call.
    private static INamedTypeSymbol? BadBase(INamedTypeSymbol type, NnxSymbols symbols)
    {
        INamedTypeSymbol? baseType = type.BaseType;
        if (baseType is null || baseType.SpecialType == SpecialType.System_Object || baseType.TypeKind == TypeKind.Error) return null;
        return SymbolEqualityComparer.Default.Equals(baseType, symbols.NnxModule) ? null : baseType;
    }
}
