using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Nnx.Generators.Helpers;
using Nnx.Generators.Models;
using Nnx.Generators.Shared;

namespace Nnx.Generators;

/// <summary>
/// Turns symbols into models. Anything the analyzers report as an error yields null here: the generator stays quiet
/// and never emits code that cannot compile.
/// </summary>
internal static class Parser
{
    public const string ParamAttributeName = "Nnx.ParamAttribute";
    public const string ModuleTypeName = "Nnx.Module";
    public const string ParameterTypeName = "TorchSharp.Modules.Parameter";

    public static ParamFieldModel? ParseField(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IFieldSymbol field || field.IsStatic || field.IsConst || field.IsReadOnly)
            return null;
        if (field.Type.ToDisplayString() != ParameterTypeName)
            return null;
        if (context.Attributes.Length != 1 || !TryReadAttribute(context.Attributes[0], out string shapeText, out string init, out string rng))
            return null;
        if (!ShapeSyntax.TryParse(shapeText, out List<ShapeDim> shape, out _))
            return null;
        INamedTypeSymbol type = field.ContainingType;
        if (!TryGetBaseKind(type, out bool addsBaseType))
            return null;
        TypeModel? typeModel = TryGetTypeModel(type, cancellationToken);
        if (typeModel is null)
            return null;
        int ordinal = type.GetMembers().OfType<IFieldSymbol>().TakeWhile(f => !SymbolEqualityComparer.Default.Equals(f, field)).Count();
        return new ParamFieldModel(typeModel, addsBaseType, new ParamModel(field.Name, ordinal, shape.ToEquatableArray(), init, rng));
    }

    private static bool TryReadAttribute(AttributeData attribute, out string shape, out string init, out string rng)
    {
        shape = "";
        init = "normal";
        rng = "params";
        if (attribute.AttributeClass is null || attribute.AttributeClass.TypeKind == TypeKind.Error || attribute.ConstructorArguments.Length != 0)
            return false;
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Value.Kind != TypedConstantKind.Primitive || argument.Value.Value is not string value)
                return false;
            switch (argument.Key)
            {
                case "Shape": shape = value; break;
                case "Init": init = value; break;
                case "Rng":
                    if (value.Length == 0) return false;
                    rng = value;
                    break;
                default: return false;
            }
        }
        return true;
    }

    // A module either declares no base (the generated part adds Nnx.Module) or derives from Nnx.Module already.
    private static bool TryGetBaseKind(INamedTypeSymbol type, out bool addsBaseType)
    {
        addsBaseType = false;
        INamedTypeSymbol? baseType = type.BaseType;
        if (baseType is null || baseType.SpecialType == SpecialType.System_Object)
        {
            addsBaseType = true;
            return true;
        }
        for (INamedTypeSymbol? t = baseType; t is not null; t = t.BaseType)
        {
            if (t.ToDisplayString() == ModuleTypeName) return true;
        }
        return false;
    }

    private static TypeModel? TryGetTypeModel(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var chain = new List<TypeDeclModel>();
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (t.IsStatic || !IsPartial(t)) return null;
            string keyword;
            if (t.TypeKind == TypeKind.Class) keyword = t.IsRecord ? "record" : "class";
            else if (t.TypeKind == TypeKind.Struct && !ReferenceEquals(t, type)) keyword = t.IsRecord ? "record struct" : "struct";
            else if (t.TypeKind == TypeKind.Interface && !ReferenceEquals(t, type)) keyword = "interface";
            else return null;
            string typeParameters = t.TypeParameters.Length == 0 ? "" : "<" + string.Join(", ", t.TypeParameters.Select(p => p.Name)) + ">";
            chain.Insert(0, new TypeDeclModel(keyword, t.Name, typeParameters, Accessibility(t.DeclaredAccessibility)));
        }
        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
        return new TypeModel(ns, chain.ToEquatableArray());
    }

    private static bool IsPartial(INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences.Length > 0 &&
        type.DeclaringSyntaxReferences.All(r => r.GetSyntax() is TypeDeclarationSyntax d && d.Modifiers.Any(SyntaxKind.PartialKeyword));

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
