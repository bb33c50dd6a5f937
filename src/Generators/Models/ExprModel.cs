using Nnx.Generators.Helpers;

namespace Nnx.Generators.Models;

/// <summary>What a declaration expression computes.</summary>
internal enum ExprType
{
    /// <summary>An integer, computed in <c>long</c> with exact division and overflow checks.</summary>
    Int,

    /// <summary>A floating-point number.</summary>
    Real,

    /// <summary>A condition.</summary>
    Bool,

    /// <summary>Any other option value (string, char, enum, decimal, array, null), given as a literal or an option name.</summary>
    Other,
}

/// <summary>The node kinds of a declaration expression.</summary>
internal enum ExprKind
{
    /// <summary>A constant; <see cref="ExprModel.Code"/> is its C# text.</summary>
    Literal,

    /// <summary>A dimension, option or list index; <see cref="ExprModel.Code"/> is the constructor parameter (or <c>i</c>).</summary>
    Name,

    /// <summary><c>-x</c> or <c>!x</c>.</summary>
    Unary,

    /// <summary><c>a op b</c>.</summary>
    Binary,

    /// <summary><c>array[index]</c> on an integer array option.</summary>
    Element,

    /// <summary><c>array.Length</c>.</summary>
    Length,

    /// <summary><c>..array</c> in a <c>Shape</c>: every element of an integer array option, each a size.</summary>
    Spread,
}

/// <summary>
/// A typed declaration expression (<c>4*dModel</c>, <c>widths[i+1]</c>, <c>rate &gt; 0</c>), as the rule book checked it.
/// </summary>
/// <param name="Kind">The node kind.</param>
/// <param name="Type">What it computes.</param>
/// <param name="Text">The expression as written, for error messages.</param>
/// <param name="Code">Literal: the C# constant; Name: the identifier in the constructor.</param>
/// <param name="Op">Unary and Binary: the operator; Name: what the name is.</param>
/// <param name="Operands">The sub-expressions.</param>
internal sealed record ExprModel(ExprKind Kind, ExprType Type, string Text, string Code, string Op, EquatableArray<ExprModel> Operands)
{
    public static ExprModel Literal(ExprType type, string text, string code) => new(ExprKind.Literal, type, text, code, "", EquatableArray<ExprModel>.Empty);

    /// <summary>A name; <paramref name="what"/> is <see cref="Dimension"/>, <see cref="Option"/> or <see cref="Index"/>.</summary>
    public static ExprModel Name(ExprType type, string text, string code, string what) => new(ExprKind.Name, type, text, code, what, EquatableArray<ExprModel>.Empty);

    /// <summary>The <see cref="Op"/> of a name that is a dimension (already checked to be at least 1).</summary>
    public const string Dimension = "dimension";

    /// <summary>The <see cref="Op"/> of a name that is an option.</summary>
    public const string Option = "option";

    /// <summary>The <see cref="Op"/> of the list index <c>i</c>.</summary>
    public const string Index = "index";

    /// <summary>Whether the expression reads the list index <c>i</c>.</summary>
    public bool UsesIndex => (Kind == ExprKind.Name && Op == Index) || System.Linq.Enumerable.Any(Operands, o => o.UsesIndex);
}
