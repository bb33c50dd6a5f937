using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Nnx.Analyzers;

/// <summary>A parameter of a method reaches a lookup as its ids.</summary>
/// <param name="Lookup">How the method uses it, for messages (<c>index_select</c>, or a chain of calls).</param>
/// <param name="Kind">The kind of the final lookup (negative ids wrap only for the indexer).</param>
/// <param name="Rows">The rows of the table, when the code shows them.</param>
internal sealed record IdsUse(string Lookup, LookupKind Kind, Rows? Rows);

/// <summary>
/// For each source method, which of its tensor parameters reach a lookup as ids, so a call such as
/// <c>model.Forward(torch.tensor(new float[] { 1, 2 }))</c> is flagged where it is written. Summaries are computed
/// on demand, only for calls that pass floating or constant ids, once per method and compilation, and follow calls
/// up to <see cref="MaxDepth"/> levels deep.
/// </summary>
internal sealed class MethodSummaries
{
    private const int MaxDepth = 3;

    private readonly Compilation _compilation;
    private readonly NnxSymbols _symbols;
    private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<IdsUse?>> _cache = new(SymbolEqualityComparer.Default);

    public MethodSummaries(Compilation compilation, NnxSymbols symbols)
    {
        _compilation = compilation;
        _symbols = symbols;
    }

    /// <summary>The method a call runs: <c>module.call(x)</c> runs the module's source <c>forward</c>.</summary>
    public IMethodSymbol? Callee(IInvocationOperation invocation)
    {
        IMethodSymbol method = invocation.TargetMethod;
        if (method.Name == "call" && invocation.Instance?.Type is INamedTypeSymbol moduleType)
        {
            for (INamedTypeSymbol? t = moduleType; t is not null; t = t.BaseType)
                if (t.GetMembers("forward").OfType<IMethodSymbol>().FirstOrDefault(f => f.Parameters.Length == method.Parameters.Length
                        && f.DeclaringSyntaxReferences.Length > 0) is { } forward)
                    return forward;
            return null;
        }
        return method.MethodKind == MethodKind.Ordinary && method.DeclaringSyntaxReferences.Length > 0 ? method : null;
    }

    /// <summary>What each parameter of <paramref name="method"/> reaches (null entries reach no lookup).</summary>
    public ImmutableArray<IdsUse?> Of(IMethodSymbol method) => Of(method.OriginalDefinition, 0);

    private ImmutableArray<IdsUse?> Of(IMethodSymbol method, int depth)
    {
        if (_cache.TryGetValue(method, out ImmutableArray<IdsUse?> cached)) return cached;
        if (depth > MaxDepth) return ImmutableArray<IdsUse?>.Empty;
        ImmutableArray<IdsUse?> uses = Compute(method, depth);
        return _cache.GetOrAdd(method, uses);
    }

    private ImmutableArray<IdsUse?> Compute(IMethodSymbol method, int depth)
    {
        var uses = new IdsUse?[method.Parameters.Length];
        if (!method.Parameters.Any(p => _symbols.IsTensor(p.Type)) || method.DeclaringSyntaxReferences.Length != 1)
            return uses.ToImmutableArray();
        SyntaxReference reference = method.DeclaringSyntaxReferences[0];
        // The callee's body lives in another operation block (often another file), so it is bound here. RS1030 asks
        // analyzers to use the context's model; no context exists for a callee, and the result is cached per method.
#pragma warning disable RS1030
        SemanticModel model = _compilation.GetSemanticModel(reference.SyntaxTree);
#pragma warning restore RS1030
        if (model.GetOperation(reference.GetSyntax()) is not { } body) return uses.ToImmutableArray();

        var flow = new TensorFlow(new[] { body }, _symbols);
        foreach (IOperation operation in body.DescendantsAndSelf())
        {
            if (LookupSite.Match(operation, _symbols) is { } site)
            {
                if (Trace(site.Ids, flow, method) is { } parameter)
                    uses[parameter.Ordinal] ??= new IdsUse(site.Description, site.Kind, Rows.Of(site, flow, _symbols));
                continue;
            }
            if (operation is not IInvocationOperation invocation || Callee(invocation) is not { } callee
                || SymbolEqualityComparer.Default.Equals(callee.OriginalDefinition, method)) continue;
            ImmutableArray<IdsUse?> inner = default;
            foreach (IArgumentOperation argument in invocation.Arguments)
            {
                if (argument.Parameter is null || Trace(argument.Value, flow, method) is not { } parameter || uses[parameter.Ordinal] is not null) continue;
                if (inner.IsDefault) inner = Of(callee.OriginalDefinition, depth + 1);
                if (argument.Parameter.Ordinal >= inner.Length || inner[argument.Parameter.Ordinal] is not { } use) continue;
                // A dimension name refers to the callee's module: it stays meaningful only when that is this module.
                Rows? rows = use.Rows is { DimName: not null } && invocation.Instance is not (null or IInstanceReferenceOperation)
                    ? use.Rows.ResolveThrough(invocation.Instance, flow) : use.Rows;
                uses[parameter.Ordinal] = new IdsUse($"{callee.Name}, then {use.Lookup}", use.Kind, rows);
            }
        }
        return uses.ToImmutableArray();
    }

    /// <summary>The parameter of <paramref name="method"/> whose value <paramref name="ids"/> is, through locals and reshapes.</summary>
    private IParameterSymbol? Trace(IOperation ids, TensorFlow flow, IMethodSymbol method)
    {
        IOperation current = ids;
        for (int i = 0; i < 16; i++)
        {
            current = LookupSite.Unwrap(current);
            switch (current)
            {
                case IParameterReferenceOperation { Parameter: var parameter }
                    when SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol.OriginalDefinition, method):
                    return parameter;
                case ILocalReferenceOperation { Local: var local } when flow.SingleDefinition(local) is { } definition:
                    current = definition;
                    continue;
                case IInvocationOperation { Instance: { } instance, TargetMethod.Name: var name } invocation when _symbols.IsTensor(instance.Type)
                    && IsValuePreserving(name, invocation):
                    current = instance;
                    continue;
                default:
                    return null;
            }
        }
        return null;
    }

    private bool IsValuePreserving(string name, IInvocationOperation invocation) => name switch
    {
        "reshape" or "view" or "flatten" or "ravel" or "squeeze" or "unsqueeze" or "clone" or "detach" or "contiguous" or "cpu" or "cuda" => true,
        "to" => !invocation.Arguments.Any(a => _symbols.Is(a.Parameter?.Type, _symbols.ScalarType) || _symbols.IsTensor(a.Parameter?.Type)),
        _ => false,
    };
}
