using System;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Nnx.Generators.Models;

namespace Nnx.Generators.Rules;

/// <summary>The families of types an <c>[Option]</c> may have.</summary>
internal enum OptionTypeKind
{
    Unsupported,
    Bool,
    Integral,
    Real,
    Decimal,
    Char,
    String,
    Enum,
    Array,
}

/// <summary>An option's type as the rule book sees it: family, nullability, and how it takes part in expressions.</summary>
internal sealed class OptionType
{
    /// <summary>The C# type display for fully qualified code, with nullable annotations.</summary>
    public static readonly SymbolDisplayFormat CodeFormat =
        SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private OptionType(ITypeSymbol type, ITypeSymbol underlying, bool isNullable, OptionTypeKind kind, OptionType? element)
    {
        Type = type;
        Underlying = underlying;
        IsNullable = isNullable;
        Kind = kind;
        Element = element;
    }

    /// <summary>The type as declared.</summary>
    public ITypeSymbol Type { get; }

    /// <summary>The type without <c>Nullable&lt;T&gt;</c>.</summary>
    public ITypeSymbol Underlying { get; }

    /// <summary>Whether null is a value of the type (<c>T?</c>, or an annotated reference type).</summary>
    public bool IsNullable { get; }

    public OptionTypeKind Kind { get; }

    /// <summary>For an array, its element type.</summary>
    public OptionType? Element { get; }

    public string Code => Type.ToDisplayString(CodeFormat);

    /// <summary>A short name for messages: <c>double</c>, <c>long[]</c>, <c>OutOfRange?</c>.</summary>
    public string Display => Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier));

    /// <summary>How the option reads in an expression; null when it cannot take part in one (nullable, text, enums, arrays).</summary>
    public ExprType? ExprType => IsNullable ? null : Kind switch
    {
        OptionTypeKind.Bool => Models.ExprType.Bool,
        OptionTypeKind.Integral when Underlying.SpecialType != SpecialType.System_UInt64 => Models.ExprType.Int,
        OptionTypeKind.Real => Models.ExprType.Real,
        _ => null,
    };

    /// <summary>Whether the type is <c>int</c> (a computed integer must be narrowed to it).</summary>
    public bool IsInt32 => Underlying.SpecialType == SpecialType.System_Int32;

    /// <summary>Whether the type is <c>float</c> (a computed number must be cast to it).</summary>
    public bool IsSingle => Underlying.SpecialType == SpecialType.System_Single;

    /// <summary>Whether this is an integer array that <c>name[index]</c> can read (<c>long[]</c> or <c>int[]</c>).</summary>
    public bool IsIndexable => Kind == OptionTypeKind.Array && !IsNullable && Element is { IsNullable: false } e &&
        e.Underlying.SpecialType is SpecialType.System_Int64 or SpecialType.System_Int32;

    public static OptionType Classify(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol { Rank: 1 } array)
        {
            OptionType element = Classify(array.ElementType);
            bool nullableArray = type.NullableAnnotation == NullableAnnotation.Annotated;
            OptionTypeKind kind = element.Kind is OptionTypeKind.Unsupported or OptionTypeKind.Array ? OptionTypeKind.Unsupported : OptionTypeKind.Array;
            return new OptionType(type, type, nullableArray, kind, element);
        }
        ITypeSymbol underlying = type;
        bool nullable = false;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullableType)
        {
            underlying = nullableType.TypeArguments[0];
            nullable = true;
        }
        else if (type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.Annotated)
        {
            nullable = true;
        }
        OptionTypeKind family = underlying.TypeKind == TypeKind.Enum ? OptionTypeKind.Enum : underlying.SpecialType switch
        {
            SpecialType.System_Boolean => OptionTypeKind.Bool,
            SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16 or
            SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64 => OptionTypeKind.Integral,
            SpecialType.System_Single or SpecialType.System_Double => OptionTypeKind.Real,
            SpecialType.System_Decimal => OptionTypeKind.Decimal,
            SpecialType.System_Char => OptionTypeKind.Char,
            SpecialType.System_String => OptionTypeKind.String,
            _ => OptionTypeKind.Unsupported,
        };
        return new OptionType(type, underlying, nullable, family, null);
    }

    /// <summary>A constant of this type as C# code (for a default value), or null when none can be written.</summary>
    public string? FormatConstant(object? value)
    {
        if (value is null) return IsNullable || Kind == OptionTypeKind.String && Type.NullableAnnotation != NullableAnnotation.NotAnnotated ? "null" : null;
        switch (Kind)
        {
            case OptionTypeKind.Bool: return value is true ? "true" : "false";
            case OptionTypeKind.Integral: return Convert.ToString(value, CultureInfo.InvariantCulture);
            case OptionTypeKind.Decimal: return Convert.ToDecimal(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) + "M";
            case OptionTypeKind.Real: return Underlying.SpecialType == SpecialType.System_Single ? Single(Convert.ToSingle(value, CultureInfo.InvariantCulture)) : Double(Convert.ToDouble(value, CultureInfo.InvariantCulture));
            case OptionTypeKind.Char: return SymbolDisplay.FormatLiteral((char)value, quote: true);
            case OptionTypeKind.String: return SymbolDisplay.FormatLiteral((string)value, quote: true);
            case OptionTypeKind.Enum:
                string enumType = Underlying.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                IFieldSymbol? member = Underlying.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value));
                return member is not null ? $"{enumType}.{CodeText.Identifier(member.Name)}" : $"({enumType})({Convert.ToString(value, CultureInfo.InvariantCulture)})";
            default: return null;
        }
    }

    /// <summary>A double as a C# literal that reads back to the same value.</summary>
    public static string Double(double value) =>
        double.IsNaN(value) ? "double.NaN" : double.IsPositiveInfinity(value) ? "double.PositiveInfinity" : double.IsNegativeInfinity(value) ? "double.NegativeInfinity"
            : value.ToString("R", CultureInfo.InvariantCulture) + "D";

    private static string Single(float value) =>
        float.IsNaN(value) ? "float.NaN" : float.IsPositiveInfinity(value) ? "float.PositiveInfinity" : float.IsNegativeInfinity(value) ? "float.NegativeInfinity"
            : value.ToString("R", CultureInfo.InvariantCulture) + "F";
}
