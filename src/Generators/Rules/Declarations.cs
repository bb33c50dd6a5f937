using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Nnx.Generators.Helpers;

namespace Nnx.Generators.Rules;

/// <summary>One field with Nnx attributes, as found in source.</summary>
/// <param name="Field">The field.</param>
/// <param name="Kind">What its (first) Nnx attribute declares.</param>
/// <param name="Attribute">That attribute.</param>
/// <param name="Others">Further Nnx attributes on the same field (an error).</param>
/// <param name="Ordinal">Its position among the type's fields.</param>
internal sealed record DslField(IFieldSymbol Field, DslKind Kind, AttributeData Attribute, IReadOnlyList<AttributeData> Others, int Ordinal)
{
    /// <summary>The attribute's name as written: <c>Param</c>, <c>Sub</c>, ...</summary>
    public string AttributeName => Kind.ToString();

    /// <summary>Where problems with the whole declaration are reported: the attribute.</summary>
    public LocationInfo? Location => LocationInfo.From(Attribute.ApplicationSyntaxReference?.GetSyntax());

    /// <summary>Where a problem with one named argument is reported: its value, or the attribute when it is not written.</summary>
    public LocationInfo? ArgumentLocation(string name)
    {
        if (Attribute.ApplicationSyntaxReference?.GetSyntax() is AttributeSyntax syntax)
        {
            if (syntax.ArgumentList is not null)
            {
                int position = 0;
                foreach (AttributeArgumentSyntax argument in syntax.ArgumentList.Arguments)
                {
                    bool named = argument.NameEquals?.Name.Identifier.ValueText == name;
                    bool positional = argument.NameEquals is null && argument.NameColon is null && position++ == 0 && name == "";
                    if (named || positional) return LocationInfo.From(argument.Expression);
                }
            }
            return LocationInfo.From(syntax);
        }
        return null;
    }

    /// <summary>The string value of a named argument (null reads as empty), or <paramref name="fallback"/> when it is not written.</summary>
    public string Named(string name, string fallback)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in Attribute.NamedArguments)
            if (argument.Key == name) return argument.Value.Value as string ?? "";
        return fallback;
    }

    /// <summary>Whether a named argument is written.</summary>
    public bool IsWritten(string name) => Attribute.NamedArguments.Any(a => a.Key == name);

    /// <summary>The enum member name of a named enum argument, or <paramref name="fallback"/>.</summary>
    public string NamedEnum(string name, string fallback)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in Attribute.NamedArguments)
        {
            if (argument.Key != name || argument.Value.Type is not INamedTypeSymbol enumType) continue;
            object? value = argument.Value.Value;
            return enumType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value))?.Name ?? fallback;
        }
        return fallback;
    }

    /// <summary>Whether the attribute's arguments compiled (an error there means the values below are not trustworthy).</summary>
    public bool ArgumentsCompile =>
        Attribute.AttributeConstructor is not null &&
        Attribute.ConstructorArguments.All(a => a.Kind != TypedConstantKind.Error) &&
        Attribute.NamedArguments.All(a => a.Value.Kind != TypedConstantKind.Error);
}

/// <summary>Finds the Nnx declarations of a type and tells user code from generated code.</summary>
internal static class Declarations
{
    /// <summary>The fields of <paramref name="type"/> with Nnx attributes, in declaration order.</summary>
    public static IEnumerable<DslField> DslFields(INamedTypeSymbol type, DslSymbols symbols)
    {
        int ordinal = 0;
        foreach (ISymbol member in type.GetMembers())
        {
            if (member is not IFieldSymbol field || field.IsImplicitlyDeclared) continue;
            int position = ordinal++;
            List<(AttributeData Attribute, DslKind Kind)> found = [];
            foreach (AttributeData attribute in field.GetAttributes())
                if (symbols.KindOf(attribute) is DslKind kind) found.Add((attribute, kind));
            if (found.Count > 0)
                yield return new DslField(field, found[0].Kind, found[0].Attribute, found.Skip(1).Select(f => f.Attribute).ToList(), position);
        }
    }

    /// <summary>Whether any declaration of <paramref name="symbol"/> is in user code (not in a file this generator wrote).</summary>
    public static bool IsUserDeclared(ISymbol symbol) =>
        !symbol.IsImplicitlyDeclared && symbol.DeclaringSyntaxReferences.Any(r => !RuleBook.IsGenerated(r.SyntaxTree));

    /// <summary>The members named <paramref name="name"/> that the user wrote in <paramref name="type"/>.</summary>
    public static IEnumerable<ISymbol> UserMembers(INamedTypeSymbol type, string name) =>
        type.GetMembers(name).Where(IsUserDeclared);

    /// <summary>
    /// The base class the user declared, ignoring the one a generated part adds; null when they declared none. A
    /// class that the compilation cannot resolve comes back as an error type.
    /// </summary>
    public static INamedTypeSymbol? DeclaredBase(INamedTypeSymbol type, Compilation compilation)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (RuleBook.IsGenerated(reference.SyntaxTree) || reference.GetSyntax() is not TypeDeclarationSyntax { BaseList: { } baseList }) continue;
            SemanticModel model = compilation.GetSemanticModel(reference.SyntaxTree);
            foreach (BaseTypeSyntax baseType in baseList.Types)
                if (model.GetTypeInfo(baseType.Type).Type is INamedTypeSymbol named && named.TypeKind is TypeKind.Class or TypeKind.Error)
                    return named;
        }
        return null;
    }

    /// <summary>Whether every declaration of the type is partial (a type from metadata is not).</summary>
    public static bool IsPartial(INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences.Length > 0 &&
        type.DeclaringSyntaxReferences.All(r => r.GetSyntax() is TypeDeclarationSyntax d && d.Modifiers.Any(SyntaxKind.PartialKeyword));

    /// <summary>The constant value of a field's initializer, or null when it has none or it is not constant.</summary>
    public static (bool HasInitializer, bool IsConstant, object? Value) Initializer(IFieldSymbol field, Compilation compilation)
    {
        foreach (SyntaxReference reference in field.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is not VariableDeclaratorSyntax { Initializer: { } initializer }) continue;
            Optional<object?> constant = compilation.GetSemanticModel(reference.SyntaxTree).GetConstantValue(initializer.Value);
            return (true, constant.HasValue, constant.HasValue ? constant.Value : null);
        }
        return (false, false, null);
    }
}
