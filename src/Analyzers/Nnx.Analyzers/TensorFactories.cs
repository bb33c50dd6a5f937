using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Nnx.Analyzers;

/// <summary>The dtype of tensors made by <c>torch.*</c> factories, and of <c>ScalarType</c> arguments.</summary>
internal static class TensorFactories
{
    public static TensorFact Evaluate(IInvocationOperation invocation, NnxSymbols symbols)
    {
        string name = invocation.TargetMethod.Name;
        IArgumentOperation? dtype = invocation.Arguments.FirstOrDefault(a =>
            a.Parameter?.Name == "dtype" && a.ArgumentKind != ArgumentKind.DefaultValue && !IsNull(a.Value));
        if (dtype is not null && name is "tensor" or "as_tensor" or "rand" or "randn" or "ones" or "zeros" or "empty" or "linspace"
                or "logspace" or "eye" or "full" or "arange" or "randint")
            return FromDtype(dtype.Value, symbols, name == "tensor" ? FromData(invocation) : TensorFact.Unknown) ?? TensorFact.Unknown;
        switch (name)
        {
            case "tensor" or "as_tensor":
                return FromData(invocation);
            case "rand" or "randn" or "ones" or "zeros" or "empty" or "linspace" or "logspace" or "eye":
                return TensorFact.Floating($"torch.{name}");
            case "full":
                return IsFloatingNumber(Argument(invocation, "value")) ? TensorFact.Floating("torch.full with a floating value") : TensorFact.Unknown;
            case "arange":
                return invocation.Arguments.Any(a => a.Parameter?.Name is "start" or "stop" or "step" && IsFloatingNumber(a.Value))
                    ? TensorFact.Floating("torch.arange with floating bounds") : TensorFact.Unknown;
            case "randint":
                return TensorFact.Integer("torch.randint");
            default:
                return TensorFact.Unknown;
        }
    }

    /// <summary>
    /// The dtype a <c>ScalarType</c> argument names (<c>ScalarType.Float32</c>, <c>torch.int64</c>); null when it is not
    /// a constant. An integer dtype keeps <paramref name="source"/>'s constant values.
    /// </summary>
    public static TensorFact? FromDtype(IOperation dtype, NnxSymbols symbols, TensorFact source)
    {
        string? name = DtypeName(LookupSite.Unwrap(dtype), symbols);
        return name switch
        {
            "Float16" or "Float32" or "Float64" or "BFloat16" => TensorFact.Floating($"ScalarType.{name}"),
            "Int32" or "Int64" => source.Kind == DtypeKind.Integer ? source : TensorFact.Integer($"ScalarType.{name}"),
            null => null,
            _ => TensorFact.Unknown,
        };
    }

    private static string? DtypeName(IOperation dtype, NnxSymbols symbols)
    {
        if (symbols.ScalarType is not null && SymbolEqualityComparer.Default.Equals(dtype.Type, symbols.ScalarType)
            && dtype.ConstantValue is { HasValue: true, Value: { } value })
        {
            foreach (IFieldSymbol field in symbols.ScalarType.GetMembers().OfType<IFieldSymbol>())
                if (field.HasConstantValue && Equals(field.ConstantValue, value)) return field.Name;
            return "";
        }
        // torch.float32, torch.@long, ...: static fields of torch that alias the enum members.
        ISymbol? member = dtype switch
        {
            IFieldReferenceOperation f => f.Field,
            IPropertyReferenceOperation p => p.Property,
            _ => null,
        };
        if (member is null || !SymbolEqualityComparer.Default.Equals(member.ContainingType, symbols.Torch)) return null;
        return member.Name switch
        {
            "float16" or "half" => "Float16",
            "float32" or "float" => "Float32",
            "float64" or "double" => "Float64",
            "bfloat16" => "BFloat16",
            "int32" or "int" => "Int32",
            "int64" or "long" => "Int64",
            _ => "",
        };
    }

    // torch.tensor(data, ...): the element type of the data decides, and constant integer data is kept for range checks.
    private static TensorFact FromData(IInvocationOperation invocation)
    {
        if (invocation.Arguments.Length == 0) return TensorFact.Unknown;
        IOperation data = LookupSite.Unwrap(invocation.Arguments[0].Value);
        ITypeSymbol? parameterType = invocation.Arguments[0].Parameter?.Type;
        ITypeSymbol? element = parameterType switch
        {
            IArrayTypeSymbol array => array.ElementType,
            INamedTypeSymbol { TypeArguments.Length: 1 } generic => generic.TypeArguments[0],
            _ => parameterType,
        };
        string origin = $"torch.tensor({element?.ToDisplayString()}{(parameterType is IArrayTypeSymbol a ? "[" + new string(',', a.Rank - 1) + "]" : "")})";
        switch (element?.SpecialType)
        {
            case SpecialType.System_Single or SpecialType.System_Double:
                return TensorFact.Floating(origin);
            case SpecialType.System_Int32 or SpecialType.System_Int64:
                return new TensorFact(DtypeKind.Integer, origin, ConstantElements(data));
        }
        return element?.Name is "Half" or "BFloat16" ? TensorFact.Floating(origin) : TensorFact.Unknown;
    }

    private static long[]? ConstantElements(IOperation data)
    {
        if (data.ConstantValue is { HasValue: true, Value: var scalar } && ToLong(scalar) is long one) return [one];
        if (data is not IArrayCreationOperation { DimensionSizes.Length: 1, Initializer: { } initializer }) return null;
        var values = new List<long>(initializer.ElementValues.Length);
        foreach (IOperation element in initializer.ElementValues)
        {
            if (element.ConstantValue is not { HasValue: true, Value: var value } || ToLong(value) is not long id) return null;
            values.Add(id);
        }
        return values.ToArray();
    }

    private static long? ToLong(object? value) => value switch
    {
        int i => i,
        long l => l,
        short s => s,
        _ => null,
    };

    private static IOperation? Argument(IInvocationOperation invocation, string name) =>
        invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == name)?.Value;

    // A Scalar argument converted from a C# float or double.
    private static bool IsFloatingNumber(IOperation? value) =>
        value is not null && LookupSite.Unwrap(value).Type?.SpecialType is SpecialType.System_Single or SpecialType.System_Double;

    private static bool IsNull(IOperation value) => LookupSite.Unwrap(value) is ILiteralOperation { ConstantValue: { HasValue: true, Value: null } };
}
