using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Nnx.Generators.Models;

namespace Nnx.Generators.Rules;

/// <summary>
/// Reads the value a parent gives a child's option in <c>[Sub(Options = "...")]</c>: a C# literal (<c>1e-5</c>,
/// <c>true</c>, <c>"gelu"</c>, <c>OutOfRange.Fill</c>, <c>null</c>), a parent option or dimension, or arithmetic over
/// them, checked against the option's type.
/// </summary>
internal static class OptionValues
{
    public static ChildArgument? Read(string text, OptionType target, ExprScope scope, out string error)
    {
        ExpressionSyntax? syntax = ExprReader.Parse(text, out error);
        if (syntax is null) return null;
        string written = syntax.ToString();
        if (syntax.IsKind(SyntaxKind.NullLiteralExpression))
            return target.IsNullable ? Other(written, "null") : Fail($"option is {CodeText.Article(target.Display)}, which cannot be null", out error);

        // A parent option of exactly the option's type passes through (strings, enums, arrays, nullable values too).
        if (syntax is IdentifierNameSyntax name && scope.Options.TryGetValue(name.Identifier.ValueText, out OptionInfo? option) && Assignable(option.Type, target))
            return new ChildArgument("", ExprModel.Name(ExprType.Other, written, option.Name, ExprModel.Option), false, false, "");

        switch (target.Kind)
        {
            case OptionTypeKind.Bool or OptionTypeKind.Integral or OptionTypeKind.Real:
                return Numeric(syntax, target, scope, out error);
            case OptionTypeKind.String when syntax.IsKind(SyntaxKind.StringLiteralExpression):
            case OptionTypeKind.Char when syntax.IsKind(SyntaxKind.CharacterLiteralExpression):
                return Other(written, written);
            case OptionTypeKind.Decimal when syntax is LiteralExpressionSyntax { Token.Value: int or long or double or decimal } number:
                return Other(written, System.Convert.ToDecimal(number.Token.Value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) + "M");
            case OptionTypeKind.Enum when EnumMember(syntax, target) is { } member:
                return Other(written, member);
            case OptionTypeKind.Enum:
                string members = string.Join(", ", target.Underlying.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue).Select(f => $"{target.Underlying.Name}.{f.Name}"));
                return Fail($"'{written}' is not a member of {target.Underlying.Name} ({members}) nor an option of that type", out error);
            default:
                return Fail($"'{written}' is not {CodeText.Article(target.Display)} literal nor an option of that type", out error);
        }
    }

    private static ChildArgument? Numeric(ExpressionSyntax syntax, OptionType target, ExprScope scope, out string error)
    {
        ExprType expected = target.Kind switch { OptionTypeKind.Bool => ExprType.Bool, OptionTypeKind.Integral => ExprType.Int, _ => ExprType.Real };
        ExprModel? value = ExprReader.Read(syntax, expected, scope, out error);
        if (value is null) return null;
        SpecialType special = target.Underlying.SpecialType;
        if (expected != ExprType.Int || special is SpecialType.System_Int64) return new ChildArgument("", value, false, false, target.IsSingle ? "(float)" : "");
        if (special == SpecialType.System_Int32) return new ChildArgument("", value, false, true, "");
        // Narrow integer types take constants that fit, checked now.
        string folding = "";
        if (!ExprReader.Fold(value, out long constant, ref folding))
            return Fail($"'{value.Text}' must be a constant: option is {CodeText.Article(target.Display)}, and only int and long options take computed values", out error);
        bool fits = special switch
        {
            SpecialType.System_SByte => constant is >= sbyte.MinValue and <= sbyte.MaxValue,
            SpecialType.System_Byte => constant is >= byte.MinValue and <= byte.MaxValue,
            SpecialType.System_Int16 => constant is >= short.MinValue and <= short.MaxValue,
            SpecialType.System_UInt16 => constant is >= ushort.MinValue and <= ushort.MaxValue,
            SpecialType.System_UInt32 => constant is >= uint.MinValue and <= uint.MaxValue,
            _ => constant >= 0,
        };
        if (!fits) return Fail($"{constant} does not fit {CodeText.Article(target.Display)}", out error);
        return new ChildArgument("", ExprModel.Literal(ExprType.Other, value.Text, constant.ToString(CultureInfo.InvariantCulture)), false, false, "");
    }

    private static string? EnumMember(ExpressionSyntax syntax, OptionType target)
    {
        if (syntax is not MemberAccessExpressionSyntax access) return null;
        string qualifier = access.Expression.ToString().Replace(" ", "");
        INamedTypeSymbol enumType = (INamedTypeSymbol)target.Underlying;
        string full = enumType.ToDisplayString();
        if (qualifier != enumType.Name && qualifier != full && qualifier != "global::" + full) return null;
        string member = access.Name.Identifier.ValueText;
        return enumType.GetMembers(member).OfType<IFieldSymbol>().Any(f => f.HasConstantValue)
            ? $"{enumType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}.{CodeText.Identifier(member)}"
            : null;
    }

    private static bool Assignable(OptionType from, OptionType to) =>
        SymbolEqualityComparer.Default.Equals(from.Underlying, to.Underlying) && (!from.IsNullable || to.IsNullable) &&
        (from.Kind != OptionTypeKind.Array || SymbolEqualityComparer.Default.Equals(from.Type, to.Type));

    private static ChildArgument Other(string text, string code) => new("", ExprModel.Literal(ExprType.Other, text, code), false, false, "");

    private static ChildArgument? Fail(string why, out string error)
    {
        error = why;
        return null;
    }
}
