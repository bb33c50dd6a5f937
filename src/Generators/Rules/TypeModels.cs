using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Nnx.Generators.Helpers;
using Nnx.Generators.Models;

namespace Nnx.Generators.Rules;

/// <summary>The declaration chain a generated part re-declares, and why a type cannot have one.</summary>
internal static class TypeModels
{
    /// <summary>
    /// The chain to re-declare, or null with <paramref name="why"/>. The model must name the type back exactly
    /// (<c>GetTypeByMetadataName</c>), which rules out duplicate types and error-recovery artefacts such as a class
    /// parsed into a namespace named <c>partial</c>.
    /// </summary>
    public static TypeModel? TryGet(INamedTypeSymbol type, Compilation compilation, out string why)
    {
        why = "";
        var chain = new List<TypeDeclModel>();
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            bool self = SymbolEqualityComparer.Default.Equals(t, type);
            string keyword;
            if (t.TypeKind == TypeKind.Class) keyword = t.IsRecord ? "record" : "class";
            else if (t.TypeKind == TypeKind.Struct && !self) keyword = t.IsRecord ? "record struct" : "struct";
            else if (t.TypeKind == TypeKind.Interface && !self) keyword = "interface";
            else
            {
                why = $"'{t.Name}' is {CodeText.Article(Kind(t))}, which cannot hold a module; declare modules in classes";
                return null;
            }
            if (!self && t.IsStatic)
            {
                why = $"'{t.Name}', which contains '{type.Name}', is static; a generated part cannot be nested in a static class";
                return null;
            }
            if (!SyntaxFacts.IsValidIdentifier(t.Name) || t.TypeParameters.Any(p => !SyntaxFacts.IsValidIdentifier(p.Name) || p.ConstraintTypes.Any(c => c.TypeKind == TypeKind.Error))
                || t.TypeParameters.Select(p => p.Name).Distinct().Count() != t.TypeParameters.Length)
            {
                why = $"the declaration of '{t.Name}' does not compile (its name or type parameters); fix the compile errors first";
                return null;
            }
            string typeParameters = t.TypeParameters.Length == 0 ? "" : "<" + string.Join(", ", t.TypeParameters.Select(p => p.Name)) + ">";
            chain.Insert(0, new TypeDeclModel(keyword, t.Name, typeParameters, Accessibility(t.DeclaredAccessibility)));
        }
        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
        if (ns.Length > 0 && !ns.Split('.').All(SyntaxFacts.IsValidIdentifier))
        {
            why = $"the namespace of '{type.Name}' ('{ns}') does not compile; fix the namespace declaration first";
            return null;
        }
        var model = new TypeModel(ns, chain.ToEquatableArray());
        if (!SymbolEqualityComparer.Default.Equals(compilation.Assembly.GetTypeByMetadataName(model.MetadataName), type))
        {
            why = $"'{type.Name}' cannot be named back as {model.MetadataName}: is a type of that name declared twice, or does its declaration not compile?";
            return null;
        }
        return model;
    }

    public static string Kind(INamedTypeSymbol type) => type.TypeKind switch
    {
        TypeKind.Struct => type.IsRecord ? "record struct" : "struct",
        TypeKind.Interface => "interface",
        TypeKind.Enum => "enum",
        TypeKind.Delegate => "delegate",
        _ => type.IsRecord ? "record" : "class",
    };

    private static string Accessibility(Microsoft.CodeAnalysis.Accessibility accessibility) => accessibility switch
    {
        Microsoft.CodeAnalysis.Accessibility.Public => "public",
        Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
        Microsoft.CodeAnalysis.Accessibility.Private => "private",
        Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
        Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
        Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
        _ => "",
    };
}
