using Nnx.Generators.Models;
using Nnx.Generators.Rules;

namespace Nnx.Generators.Emit;

/// <summary>
/// Writes a declaration expression as C# for the generated constructor: integer arithmetic through
/// <c>Nnx.Dsl.SizeMath</c> (exact division, overflow checks, errors naming the values), the rest as plain C#.
/// </summary>
internal static class ExprWriter
{
    private const string SizeMath = "global::Nnx.Dsl.SizeMath";

    /// <summary>The expression; <paramref name="context"/> is the C# literal naming where it is declared, for error messages.</summary>
    public static string Write(ExprModel e, string context) => e.Kind switch
    {
        ExprKind.Literal => e.Code,
        ExprKind.Name => CodeText.Identifier(e.Code),
        ExprKind.Binary when e.Op == "??" => $"({Write(e.Operands[0], context)} ?? {Write(e.Operands[1], context)})",
        ExprKind.Unary when e.Type == ExprType.Int => $"{SizeMath}.Negate({Write(e.Operands[0], context)}, {Text(e)}, {context})",
        ExprKind.Unary => $"({e.Op}{Write(e.Operands[0], context)})",
        ExprKind.Binary when e.Type == ExprType.Int && e.Op == "/" =>
            $"{SizeMath}.Divide({Write(e.Operands[0], context)}, {Write(e.Operands[1], context)}, {Text(e.Operands[0])}, {Text(e.Operands[1])}, {context})",
        ExprKind.Binary when e.Type == ExprType.Int =>
            $"{SizeMath}.{Operation(e.Op)}({Write(e.Operands[0], context)}, {Write(e.Operands[1], context)}, {Text(e)}, {context})",
        ExprKind.Binary => $"({Write(e.Operands[0], context)} {e.Op} {Write(e.Operands[1], context)})",
        ExprKind.Spread => $"{SizeMath}.Sizes({Write(e.Operands[0], context)}, {Text(e.Operands[0])}, {context})",
        ExprKind.Element => $"{SizeMath}.Element({Write(e.Operands[0], context)}, {Write(e.Operands[1], context)}, {Text(e.Operands[0])}, {Text(e.Operands[1])}, {context})",
        _ => $"{SizeMath}.Length({Write(e.Operands[0], context)}, {Text(e.Operands[0])}, {context})",
    };

    /// <summary>A size: the expression, checked to be at least 1 unless it is a dimension or a constant (checked already).</summary>
    public static string Size(ExprModel e, string context) =>
        IsChecked(e) || e.Kind == ExprKind.Spread ? Write(e, context) : $"{SizeMath}.Size({Write(e, context)}, {Text(e)}, {context})";

    /// <summary>A whole shape: a <c>long[]</c> of its sizes, with <c>..array</c> entries spread in.</summary>
    public static string Shape(System.Collections.Generic.IReadOnlyList<ExprModel> sizes, string context)
    {
        if (System.Linq.Enumerable.All(sizes, s => s.Kind != ExprKind.Spread))
            return $"new long[] {{ {string.Join(", ", System.Linq.Enumerable.Select(sizes, s => Size(s, context)))} }}";
        var parts = System.Linq.Enumerable.Select(sizes, s => s.Kind == ExprKind.Spread ? Size(s, context) : $"new long[] {{ {Size(s, context)} }}");
        return $"{SizeMath}.Concat({string.Join(", ", parts)})";
    }

    /// <summary>Whether a size needs no check when built: a constant (checked at compile time) or a dimension (checked on entry).</summary>
    public static bool IsChecked(ExprModel e) => e.Kind == ExprKind.Literal || (e.Kind == ExprKind.Name && e.Op == ExprModel.Dimension);

    private static string Operation(string op) => op switch
    {
        "+" => "Add",
        "-" => "Subtract",
        _ => "Multiply",
    };

    private static string Text(ExprModel e) => CodeText.Literal(e.Text);
}
