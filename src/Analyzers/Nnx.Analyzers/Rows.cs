using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Nnx.Generators.Rules;

namespace Nnx.Analyzers;

/// <summary>
/// How many rows a lookup table has: a constant (<paramref name="Count"/>), or the Shape dimension
/// <paramref name="DimName"/> that the module's constructor receives (resolved where the module is built).
/// </summary>
/// <param name="Count">The number of rows, when it is a constant.</param>
/// <param name="DimName">The constructor parameter that sets it, when it is not.</param>
/// <param name="Source">Where the number comes from, for messages.</param>
internal sealed record Rows(long? Count, string? DimName, string Source)
{
    /// <summary>The rows of the table <paramref name="site"/> reads, as far as the code shows.</summary>
    public static Rows? Of(LookupSite site, TensorFlow flow, NnxSymbols symbols)
    {
        switch (site.Kind)
        {
            // Lookup.Rows with a policy other than the default Throw clamps or fills instead of failing.
            case LookupKind.NnxLookup when site.Operation is IInvocationOperation rows
                && rows.Arguments.Any(a => a.Parameter?.Name == "outOfRange" && a.ArgumentKind != ArgumentKind.DefaultValue):
                return null;
            case LookupKind.IndexSelect or LookupKind.Indexer or LookupKind.NnxLookup when site.Table is { } table && site.Axis is int axis
                && LookupSite.Unwrap(table) is IFieldReferenceOperation { Field: var field } && symbols.VariableAttribute(field) is { } attribute:
                string? shape = ParamAttributes.NamedString(attribute, "Shape");
                if (ShapeEntries.Parse(shape) is not { } dims) return null;
                if (axis < 0) axis += dims.Count;
                if (axis < 0 || axis >= dims.Count) return null;
                string source = $"Shape \"{shape}\" of '{field.Name}'";
                if (dims[axis].Name is { } name) return new Rows(null, name, source);
                return dims[axis].Size is long fixedRows ? new Rows(fixedRows, null, source) : null;
            case LookupKind.Embedding when site.Table is { } module && Definition(module, flow) is IInvocationOperation { TargetMethod.Name: "Embedding" } create
                && LookupSite.Argument(create, "num_embeddings") is { ConstantValue: { HasValue: true, Value: var count } } && ToLong(count) is long n:
                return new Rows(n, null, $"torch.nn.Embedding({n}, ...)");
            case LookupKind.NnxEmbed when site.Table is { } module && Definition(module, flow) is IObjectCreationOperation create:
                foreach (IArgumentOperation argument in create.Arguments)
                    if (argument.Parameter?.Name is "vocab" or "numEmbeddings" or "num_embeddings" && ToLong(argument.Value.ConstantValue.Value) is long v
                        && argument.Value.ConstantValue.HasValue)
                        return new Rows(v, null, $"{argument.Parameter.Name}: {v} in new {create.Type?.Name}(...)");
                return null;
            case LookupKind.TokenIdsCheck when site.Operation is IInvocationOperation check
                && LookupSite.Argument(check, "vocab") is { ConstantValue: { HasValue: true, Value: var vocab } } && ToLong(vocab) is long size:
                return new Rows(size, null, $"TokenIds.Check(..., {size})");
            default:
                return null;
        }
    }

    /// <summary>
    /// Turns a Shape dimension name into a count through the receiver's construction,
    /// <c>new MyEmbed(vocab: 4, ...)</c>; null when the receiver or the argument is not a constant.
    /// </summary>
    public Rows? ResolveThrough(IOperation? receiver, TensorFlow flow)
    {
        if (Count is not null) return this;
        if (receiver is null || Definition(receiver, flow) is not IObjectCreationOperation create) return null;
        IArgumentOperation? argument = create.Arguments.FirstOrDefault(a => a.Parameter?.Name == DimName);
        if (argument?.Value.ConstantValue is not { HasValue: true, Value: var value } || ToLong(value) is not long count) return null;
        return new Rows(count, null, $"{DimName}: {count.ToString(CultureInfo.InvariantCulture)} in new {create.Type?.Name}(...)");
    }

    private static IOperation? Definition(IOperation value, TensorFlow flow)
    {
        IOperation unwrapped = LookupSite.Unwrap(value);
        return unwrapped is ILocalReferenceOperation { Local: var local } && flow.SingleDefinition(local) is { } definition
            ? LookupSite.Unwrap(definition) : unwrapped;
    }

    private static long? ToLong(object? value) => value switch
    {
        int i => i,
        long l => l,
        short s => s,
        _ => null,
    };
}
