using System;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Nnx.Generators.Helpers;
using Nnx.Generators.Models;

namespace Nnx.Generators.Rules;

/// <summary>
/// Reads one declaration expression (<c>4*dModel</c>, <c>widths[i+1]</c>, <c>useBias &amp;&amp; rate &gt; 0</c>) with C#'s
/// own parser and checks it against the small language declarations allow: names, integer and decimal numbers,
/// <c>+ - * /</c>, comparisons, <c>! &amp;&amp; ||</c>, parentheses, <c>array[index]</c> and <c>array.Length</c>.
/// </summary>
internal static class ExprReader
{
    private const string Allowed = "use names, numbers, + - * /, comparisons, !, &&, ||, parentheses, array[index] and array.Length";

    /// <summary>Parses <paramref name="text"/> as C#; null (and an error) when it is not one expression.</summary>
    public static ExpressionSyntax? Parse(string text, out string error)
    {
        error = "";
        if (text.Trim().Length == 0)
        {
            error = "it is empty";
            return null;
        }
        ExpressionSyntax syntax = SyntaxFactory.ParseExpression(text);
        if (syntax.ContainsDiagnostics || syntax.IsMissing)
        {
            error = $"'{text.Trim()}' is not a valid expression";
            return null;
        }
        return syntax;
    }

    /// <summary>Reads <paramref name="text"/> as a value of <paramref name="expected"/> (Int or Real accepts Int, Bool).</summary>
    public static ExprModel? Read(string text, ExprType expected, ExprScope scope, out string error)
    {
        ExpressionSyntax? syntax = Parse(text, out error);
        return syntax is null ? null : Read(syntax, expected, scope, out error);
    }

    public static ExprModel? Read(ExpressionSyntax syntax, ExprType expected, ExprScope scope, out string error)
    {
        error = "";
        ExprModel? expr = Walk(syntax, scope, ref error);
        if (expr is null) return null;
        bool fits = expr.Type == expected || (expected == ExprType.Real && expr.Type == ExprType.Int);
        if (!fits)
        {
            error = $"'{expr.Text}' is {Describe(expr.Type)}, but {Describe(expected)} is needed here";
            return null;
        }
        // Constant parts are checked now: "dModel/(3/2)" is an inexact division whatever dModel is.
        Fold(expr, out _, ref error);
        return error.Length == 0 ? expr : null;
    }

    /// <summary>Checks a size: an integer expression whose value, when constant, is at least 1.</summary>
    public static ExprModel? ReadSize(string text, ExprScope scope, out string error)
    {
        ExprModel? expr = Read(text, ExprType.Int, scope, out error);
        if (expr is null) return null;
        if (Fold(expr, out long value, ref error) && value < 1) error = $"'{expr.Text}' is {value}; a size must be at least 1";
        return error.Length == 0 ? expr : null;
    }

    public static string Describe(ExprType type) => type switch
    {
        ExprType.Int => "an integer",
        ExprType.Real => "a number",
        ExprType.Bool => "a condition (true or false)",
        _ => "a value",
    };

    private static ExprModel? Walk(ExpressionSyntax node, ExprScope scope, ref string error)
    {
        string text = node.ToString().Trim();
        switch (node)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                ExprModel? inner = Walk(parenthesized.Expression, scope, ref error);
                return inner is null ? null : inner with { Text = text };
            case LiteralExpressionSyntax literal:
                return ReadLiteral(literal, text, ref error);
            case IdentifierNameSyntax identifier:
                return ReadName(identifier.Identifier.ValueText, text, scope, ref error);
            case PrefixUnaryExpressionSyntax unary:
                return ReadUnary(unary, text, scope, ref error);
            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.CoalesceExpression):
                return ReadCoalesce(binary, text, scope, ref error);
            case BinaryExpressionSyntax binary:
                return ReadBinary(binary, text, scope, ref error);
            case ElementAccessExpressionSyntax element
                when element.Expression is IdentifierNameSyntax array && element.ArgumentList.Arguments.Count == 1:
                return ReadElement(array.Identifier.ValueText, element.ArgumentList.Arguments[0].Expression, text, scope, ref error);
            case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Length", Expression: IdentifierNameSyntax array }:
                return ReadLength(array.Identifier.ValueText, text, scope, ref error);
            default:
                error = $"'{text}' is not allowed here; {Allowed}";
                return null;
        }
    }

    private static ExprModel? ReadLiteral(LiteralExpressionSyntax literal, string text, ref string error)
    {
        switch (literal.Token.Value)
        {
            case int or uint or long:
                long integer = Convert.ToInt64(literal.Token.Value, CultureInfo.InvariantCulture);
                return ExprModel.Literal(ExprType.Int, text, integer.ToString(CultureInfo.InvariantCulture) + "L");
            case double or float or decimal:
                double real = Convert.ToDouble(literal.Token.Value, CultureInfo.InvariantCulture);
                return ExprModel.Literal(ExprType.Real, text, OptionType.Double(real));
            case bool flag:
                return ExprModel.Literal(ExprType.Bool, text, flag ? "true" : "false");
            case ulong:
                error = $"'{text}' does not fit a 64-bit signed integer";
                return null;
            default:
                error = $"'{text}' is not a number or a condition; {Allowed}";
                return null;
        }
    }

    private static ExprModel? ReadName(string name, string text, ExprScope scope, ref string error)
    {
        if (name == "i")
        {
            if (scope.IndexAvailable) return ExprModel.Name(ExprType.Int, text, "i", ExprModel.Index);
            error = "'i' is the element index, which exists only in the Dims and Options of a list ([Sub(Count = ...)])";
            return null;
        }
        if (scope.Options.TryGetValue(name, out OptionInfo? option))
        {
            if (option.Type.ExprType is ExprType type) return ExprModel.Name(type, text, option.Name, ExprModel.Option);
            error = option.Type.Kind == OptionTypeKind.Array
                ? $"option '{name}' is an array; use {name}[index] or {name}.Length"
                : $"option '{name}' is {CodeText.Article(option.Type.Display)}, which cannot take part in arithmetic or conditions";
            return null;
        }
        if (scope.IsDimension(name)) return ExprModel.Name(ExprType.Int, text, name, ExprModel.Dimension);
        if (!scope.MayIntroduce)
        {
            error = $"'{name}' is not an option or a dimension of {scope.TypeName} ({scope.Known()})";
            return null;
        }
        if (ExprScope.Reserved.Contains(name))
        {
            error = $"'{name}' is a name the generated constructor uses itself; rename the dimension (e.g. '{name}Dim')";
            return null;
        }
        scope.AddDimension(name);
        return ExprModel.Name(ExprType.Int, text, name, ExprModel.Dimension);
    }

    private static ExprModel? ReadUnary(PrefixUnaryExpressionSyntax unary, string text, ExprScope scope, ref string error)
    {
        // A negative number is one literal, so "-1" folds as a constant.
        if (unary.IsKind(SyntaxKind.UnaryMinusExpression) && unary.Operand is LiteralExpressionSyntax { Token.Value: int or long or uint } number)
        {
            long value = -Convert.ToInt64(number.Token.Value, CultureInfo.InvariantCulture);
            return ExprModel.Literal(ExprType.Int, text, value.ToString(CultureInfo.InvariantCulture) + "L");
        }
        ExprModel? operand = Walk(unary.Operand, scope, ref error);
        if (operand is null) return null;
        switch (unary.Kind())
        {
            case SyntaxKind.UnaryMinusExpression when operand.Type is ExprType.Int or ExprType.Real:
                return Node(ExprKind.Unary, operand.Type, text, "-", operand);
            case SyntaxKind.UnaryPlusExpression when operand.Type is ExprType.Int or ExprType.Real:
                return operand with { Text = text };
            case SyntaxKind.LogicalNotExpression when operand.Type == ExprType.Bool:
                return Node(ExprKind.Unary, ExprType.Bool, text, "!", operand);
            default:
                error = $"'{text}' applies '{unary.OperatorToken.Text}' to {Describe(operand.Type)}";
                return null;
        }
    }

    private static ExprModel? ReadBinary(BinaryExpressionSyntax binary, string text, ExprScope scope, ref string error)
    {
        ExprModel? left = Walk(binary.Left, scope, ref error);
        if (left is null) return null;
        ExprModel? right = Walk(binary.Right, scope, ref error);
        if (right is null) return null;
        string op = binary.OperatorToken.Text;
        bool numbers = left.Type is ExprType.Int or ExprType.Real && right.Type is ExprType.Int or ExprType.Real;
        ExprType arithmetic = left.Type == ExprType.Int && right.Type == ExprType.Int ? ExprType.Int : ExprType.Real;
        switch (op)
        {
            case "+" or "-" or "*" or "/" when numbers:
                return Node(ExprKind.Binary, arithmetic, text, op, left, right);
            case "<" or "<=" or ">" or ">=" when numbers:
                return Node(ExprKind.Binary, ExprType.Bool, text, op, left, right);
            case "==" or "!=" when numbers || (left.Type == ExprType.Bool && right.Type == ExprType.Bool):
                return Node(ExprKind.Binary, ExprType.Bool, text, op, left, right);
            case "&&" or "||" when left.Type == ExprType.Bool && right.Type == ExprType.Bool:
                return Node(ExprKind.Binary, ExprType.Bool, text, op, left, right);
            case "+" or "-" or "*" or "/" or "<" or "<=" or ">" or ">=" or "==" or "!=" or "&&" or "||":
                error = $"'{text}' applies '{op}' to {Describe(left.Type)} and {Describe(right.Type)}";
                return null;
            default:
                error = $"'{op}' is not allowed in '{text}'; {Allowed}";
                return null;
        }
    }

    /// <summary><c>option ?? fallback</c>: a nullable number or bool option, or a value when it is null (NNX's <c>qkv_features or in_features</c>).</summary>
    private static ExprModel? ReadCoalesce(BinaryExpressionSyntax binary, string text, ExprScope scope, ref string error)
    {
        if (binary.Left is not IdentifierNameSyntax name || !scope.Options.TryGetValue(name.Identifier.ValueText, out OptionInfo? option)
            || !option.Type.IsNullable || option.Type.Kind is not (OptionTypeKind.Integral or OptionTypeKind.Real or OptionTypeKind.Bool)
            || option.Type.Underlying.SpecialType == SpecialType.System_UInt64)
        {
            error = $"'{text}': the left side of ?? must be a nullable number or bool option, such as 'long? qkvFeatures'";
            return null;
        }
        ExprType type = option.Type.Kind switch { OptionTypeKind.Integral => ExprType.Int, OptionTypeKind.Real => ExprType.Real, _ => ExprType.Bool };
        ExprModel? fallback = Walk(binary.Right, scope, ref error);
        if (fallback is null) return null;
        bool fits = fallback.Type == type || (type == ExprType.Real && fallback.Type == ExprType.Int);
        if (!fits)
        {
            error = $"'{text}': the fallback is {Describe(fallback.Type)}, but '{name.Identifier.ValueText}' holds {Describe(type)}";
            return null;
        }
        return Node(ExprKind.Binary, type, text, "??", ExprModel.Name(type, name.Identifier.ValueText, option.Name, ExprModel.Option), fallback);
    }

    /// <summary><c>..kernelSize</c>: the elements of an integer array option, as sizes of a <c>Shape</c>.</summary>
    public static ExprModel? ReadSpread(string text, ExprScope scope, out string error)
    {
        error = "";
        string name = text.Trim().Substring(2).Trim();
        if (!scope.Options.TryGetValue(name, out OptionInfo? option) || !option.Type.IsIndexable)
        {
            error = $"'{text.Trim()}' spreads '{name}', which is not a long[] or int[] option of {scope.TypeName}";
            return null;
        }
        return new ExprModel(ExprKind.Spread, ExprType.Int, text.Trim(), "", "", new[] { ExprModel.Name(ExprType.Other, name, option.Name, ExprModel.Option) }.ToEquatableArray());
    }

    private static ExprModel? ReadElement(string name, ExpressionSyntax indexSyntax, string text, ExprScope scope, ref string error)
    {
        if (!scope.Options.TryGetValue(name, out OptionInfo? option) || !option.Type.IsIndexable)
        {
            error = $"'{text}' indexes '{name}', which is not a long[] or int[] option of {scope.TypeName}";
            return null;
        }
        ExprModel? index = Walk(indexSyntax, scope, ref error);
        if (index is null) return null;
        if (index.Type != ExprType.Int)
        {
            error = $"the index in '{text}' is {Describe(index.Type)}, not an integer";
            return null;
        }
        return Node(ExprKind.Element, ExprType.Int, text, "", ExprModel.Name(ExprType.Other, name, option.Name, ExprModel.Option), index);
    }

    private static ExprModel? ReadLength(string name, string text, ExprScope scope, ref string error)
    {
        if (!scope.Options.TryGetValue(name, out OptionInfo? option) || option.Type.Kind != OptionTypeKind.Array)
        {
            error = $"'{text}' reads the length of '{name}', which is not an array option of {scope.TypeName}";
            return null;
        }
        return Node(ExprKind.Length, ExprType.Int, text, "", ExprModel.Name(ExprType.Other, name, option.Name, ExprModel.Option));
    }

    private static ExprModel Node(ExprKind kind, ExprType type, string text, string op, params ExprModel[] operands) =>
        new(kind, type, text, "", op, operands.ToEquatableArray());

    /// <summary>
    /// Evaluates an integer expression that uses no names; false when it is not constant. A constant division that is
    /// not exact, by zero, or an overflow sets <paramref name="error"/>.
    /// </summary>
    public static bool Fold(ExprModel expr, out long value, ref string error)
    {
        value = 0;
        switch (expr.Kind)
        {
            case ExprKind.Literal when expr.Type == ExprType.Int:
                value = long.Parse(expr.Code.TrimEnd('L'), CultureInfo.InvariantCulture);
                return true;
            case ExprKind.Unary when expr.Type == ExprType.Int:
                if (!Fold(expr.Operands[0], out long operand, ref error)) return false;
                value = -operand;
                return true;
            case ExprKind.Binary when expr.Type == ExprType.Int:
                bool leftConstant = Fold(expr.Operands[0], out long a, ref error);
                bool rightConstant = Fold(expr.Operands[1], out long b, ref error);
                if (expr.Op == "/" && rightConstant && b == 0)
                {
                    error = $"'{expr.Text}' divides by zero";
                    return false;
                }
                if (!leftConstant || !rightConstant) return false;
                try
                {
                    switch (expr.Op)
                    {
                        case "+": value = checked(a + b); return true;
                        case "-": value = checked(a - b); return true;
                        case "*": value = checked(a * b); return true;
                    }
                }
                catch (OverflowException)
                {
                    error = $"'{expr.Text}' overflows a 64-bit integer";
                    return false;
                }
                if (b == 0) error = $"'{expr.Text}' divides by zero";
                else if (a % b != 0) error = $"'{expr.Text}' is not an exact division ({a} / {b}); sizes never round";
                else value = a / b;
                return error.Length == 0;
            default:
                return false;
        }
    }
}
