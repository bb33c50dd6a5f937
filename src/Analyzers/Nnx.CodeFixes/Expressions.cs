using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Nnx.CodeFixes;

/// <summary>Helpers for rewriting expressions as text.</summary>
internal static class Expressions
{
    /// <summary>The expression's text, in parentheses when a member access on it would bind to a part of it.</summary>
    public static string Receiver(ExpressionSyntax expression)
    {
        string text = expression.WithoutTrivia().ToString();
        return expression is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax
            or ParenthesizedExpressionSyntax or ThisExpressionSyntax or GenericNameSyntax
            ? text : "(" + text + ")";
    }
}
