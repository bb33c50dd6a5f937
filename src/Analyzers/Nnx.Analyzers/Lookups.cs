using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Nnx.Analyzers;

/// <summary>How a lookup reads rows.</summary>
internal enum LookupKind
{
    /// <summary><c>table.index_select(dim, ids)</c> or <c>torch.index_select(table, dim, ids)</c>.</summary>
    IndexSelect,

    /// <summary><c>table[ids]</c>: ATen advanced indexing.</summary>
    Indexer,

    /// <summary><c>torch.nn.Embedding</c> forward or call.</summary>
    Embedding,

    /// <summary><c>Nnx.Embed</c>'s forward.</summary>
    NnxEmbed,

    /// <summary><c>Nnx.Lookup.Rows(table, ids)</c> or <c>RowsInto</c>: index_select for ids of any rank.</summary>
    NnxLookup,

    /// <summary><c>Nnx.TokenIds.Check(ids, vocab)</c>: not a lookup, but it demands integer ids in range.</summary>
    TokenIdsCheck,
}

/// <summary>A place where an id tensor selects rows of a table.</summary>
/// <param name="Kind">How the rows are read.</param>
/// <param name="Operation">The whole lookup expression.</param>
/// <param name="Table">The tensor or module looked up (the receiver).</param>
/// <param name="Axis">The axis the ids index, when it is a constant.</param>
/// <param name="Ids">The id tensor, conversions removed.</param>
internal sealed record LookupSite(LookupKind Kind, IOperation Operation, IOperation? Table, int? Axis, IOperation Ids)
{
    /// <summary>How messages name this lookup.</summary>
    public string Description => Kind switch
    {
        LookupKind.IndexSelect => "index_select",
        LookupKind.Indexer => "advanced indexing",
        LookupKind.Embedding => "Embedding",
        LookupKind.NnxEmbed => "Nnx.Embed",
        LookupKind.NnxLookup => "Lookup.Rows",
        _ => "TokenIds.Check",
    };

    /// <summary>Recognises a lookup in an invocation or indexer access; null for anything else.</summary>
    public static LookupSite? Match(IOperation operation, NnxSymbols symbols)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                return MatchInvocation(invocation, symbols);
            case IPropertyReferenceOperation { Property.IsIndexer: true } indexer when symbols.IsTensor(indexer.Property.ContainingType)
                && indexer.Arguments.Length == 1 && SingleIndex(indexer.Arguments[0].Value, symbols) is { } ids:
                return new LookupSite(LookupKind.Indexer, indexer, indexer.Instance, 0, ids);
            default:
                return null;
        }
    }

    /// <summary>Removes implicit and explicit conversions and parentheses.</summary>
    public static IOperation Unwrap(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation { Operand: var inner }:
                    operation = inner;
                    continue;
                case IParenthesizedOperation { Operand: var inner }:
                    operation = inner;
                    continue;
                default:
                    return operation;
            }
        }
    }

    private static LookupSite? MatchInvocation(IInvocationOperation invocation, NnxSymbols symbols)
    {
        IMethodSymbol method = invocation.TargetMethod;
        if (method.Name == "index_select")
        {
            if (!method.IsStatic && symbols.IsTensor(method.ContainingType) && Argument(invocation, "index") is { } ids)
                return new LookupSite(LookupKind.IndexSelect, invocation, invocation.Instance, ConstantAxis(Argument(invocation, "dim")), ids);
            if (method.IsStatic && SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Torch) && invocation.Arguments.Length == 3)
                return new LookupSite(LookupKind.IndexSelect, invocation, Argument(invocation, "input"), ConstantAxis(Argument(invocation, "dim")), Argument(invocation, "index")!);
            return null;
        }
        if (method is { IsStatic: true, Name: "Rows" or "RowsInto", ContainingType: { Name: "Lookup", ContainingNamespace: { Name: "Nnx", ContainingNamespace.IsGlobalNamespace: true } } }
            && Argument(invocation, "ids") is { } rowIds)
            return new LookupSite(LookupKind.NnxLookup, invocation, Argument(invocation, "table"), 0, rowIds);
        if (method is { IsStatic: true, Name: "Check" or "CheckDtype", ContainingType: { Name: "TokenIds", ContainingNamespace: { Name: "Nnx", ContainingNamespace.IsGlobalNamespace: true } } }
            && Argument(invocation, "ids") is { } checkedIds)
            return new LookupSite(LookupKind.TokenIdsCheck, invocation, null, 0, checkedIds);
        if (method.IsStatic || invocation.Instance is null || invocation.Arguments.Length == 0) return null;
        if (method.Name is "forward" or "call" && DerivesFrom(invocation.Instance.Type, symbols.Embedding))
            return new LookupSite(LookupKind.Embedding, invocation, invocation.Instance, 0, Unwrap(invocation.Arguments[0].Value));
        if (method.Name is "Forward" or "forward" or "call" && IsNnxEmbed(invocation.Instance.Type) && symbols.IsTensor(method.Parameters[0].Type))
            return new LookupSite(LookupKind.NnxEmbed, invocation, invocation.Instance, 0, Unwrap(invocation.Arguments[0].Value));
        return null;
    }

    /// <summary>The value passed for the parameter <paramref name="name"/>, conversions removed.</summary>
    public static IOperation? Argument(IInvocationOperation invocation, string name)
    {
        foreach (IArgumentOperation argument in invocation.Arguments)
            if (argument.Parameter?.Name == name) return Unwrap(argument.Value);
        return null;
    }

    private static int? ConstantAxis(IOperation? dim) =>
        dim?.ConstantValue is { HasValue: true, Value: var value } && value is long or int ? System.Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    // w[ids] binds to this[params Tensor[]] or this[params TensorIndex[]] with one element: the id tensor itself or
    // TensorIndex.Tensor(ids). A single integer index or slice is not a lookup by ids.
    private static IOperation? SingleIndex(IOperation argument, NnxSymbols symbols)
    {
        IOperation value = argument;
        if (value is IArrayCreationOperation { Initializer.ElementValues: { Length: 1 } elements })
            value = elements[0];
        value = Unwrap(value);
        if (value is IInvocationOperation { TargetMethod: { Name: "Tensor", IsStatic: true } factory } call
            && SymbolEqualityComparer.Default.Equals(factory.ContainingType, symbols.TensorIndex) && call.Arguments.Length == 1)
            value = Unwrap(call.Arguments[0].Value);
        return symbols.IsTensor(value.Type) ? value : null;
    }

    private static bool DerivesFrom(ITypeSymbol? type, INamedTypeSymbol? expected)
    {
        if (expected is null) return false;
        for (ITypeSymbol? t = type; t is not null; t = t.BaseType)
            if (SymbolEqualityComparer.Default.Equals(t, expected)) return true;
        return false;
    }

    // Nnx.Embed is matched by name, so the rule works with whichever runtime version defines it.
    private static bool IsNnxEmbed(ITypeSymbol? type)
    {
        for (ITypeSymbol? t = type; t is not null; t = t.BaseType)
            if (t.Name == "Embed" && t.ContainingNamespace is { Name: "Nnx", ContainingNamespace.IsGlobalNamespace: true }) return true;
        return false;
    }
}
