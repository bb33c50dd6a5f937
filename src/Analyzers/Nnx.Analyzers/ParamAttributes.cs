using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Nnx.Analyzers;

/// <summary>Finds the <c>[Param]</c> attribute of a field and the syntax of one of its named arguments.</summary>
internal static class ParamAttributes
{
    public static AttributeData? Find(IFieldSymbol field, INamedTypeSymbol paramAttribute)
    {
        foreach (AttributeData attribute in field.GetAttributes())
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, paramAttribute)) return attribute;
        return null;
    }

    public static string? NamedString(AttributeData attribute, string name)
    {
        foreach (var argument in attribute.NamedArguments)
            if (argument.Key == name) return argument.Value.Value as string;
        return null;
    }

    /// <summary>The location of <c>Name = "..."</c> in source, or of the whole attribute when it is not written.</summary>
    public static Location ArgumentLocation(AttributeData attribute, string name)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax() is AttributeSyntax syntax)
        {
            if (syntax.ArgumentList is not null)
                foreach (AttributeArgumentSyntax argument in syntax.ArgumentList.Arguments)
                    if (argument.NameEquals?.Name.Identifier.ValueText == name) return argument.Expression.GetLocation();
            return syntax.GetLocation();
        }
        return Location.None;
    }
}
