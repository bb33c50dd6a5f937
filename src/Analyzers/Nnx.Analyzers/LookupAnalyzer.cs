using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Nnx.Analyzers;

/// <summary>
/// The ids side of embedding lookups. NNX0001: provably floating ids reach a lookup, directly or through a method
/// that passes them on. NNX0007: a parameter indexed by an id tensor. NNX0008: constant ids outside a constant
/// number of rows.
/// </summary>
/// <remarks>
/// Each operation block (a method body, a field initializer) is analysed once: one pass collects what every local
/// is assigned (<see cref="TensorFlow"/>), then every lookup and every call with tensor arguments is checked.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LookupAnalyzer : DiagnosticAnalyzer
{
    /// <summary>NNX0001 property: <see cref="ArrayTypeFix"/> or <see cref="ConvertFix"/>.</summary>
    public const string FixKey = "Fix";

    /// <summary>The ids are <c>torch.tensor(new float[] { whole numbers })</c>: the array type becomes <c>long</c>.</summary>
    public const string ArrayTypeFix = "ArrayType";

    /// <summary>Anything else: append <c>.to(ScalarType.Int64)</c>.</summary>
    public const string ConvertFix = "Convert";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.FloatIds, Descriptors.AdvancedIndexing, Descriptors.IdOutOfRange);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            NnxSymbols? symbols = NnxSymbols.TryCreate(start.Compilation);
            if (symbols?.Tensor is null) return;
            var summaries = new MethodSummaries(start.Compilation, symbols);
            start.RegisterOperationBlockAction(block => AnalyzeBlock(block, symbols, summaries));
        });
    }

    private static void AnalyzeBlock(OperationBlockAnalysisContext context, NnxSymbols symbols, MethodSummaries summaries)
    {
        TensorFlow? flow = null;
        foreach (IOperation operation in context.OperationBlocks.SelectMany(b => b.DescendantsAndSelf()))
        {
            if (operation is not (IInvocationOperation or IPropertyReferenceOperation)) continue;
            flow ??= new TensorFlow(context.OperationBlocks, symbols);
            if (LookupSite.Match(operation, symbols) is { } site)
                AnalyzeLookup(context, site, flow, symbols);
            else if (operation is IInvocationOperation invocation && summaries.Callee(invocation) is { } callee)
                AnalyzeCall(context, invocation, callee, flow, symbols, summaries);
        }
    }

    private static void AnalyzeLookup(OperationBlockAnalysisContext context, LookupSite site, TensorFlow flow, NnxSymbols symbols)
    {
        TensorFact ids = flow.Evaluate(site.Ids);
        if (ids.Kind == DtypeKind.Floating)
            ReportFloatIds(context, site.Ids, ids, site.Description, flow);
        else if (ids.Constants is { } constants && Rows.Of(site, flow, symbols) is { Count: long count } rows)
            ReportOutOfRange(context, site.Ids, constants, count, rows.Source, site.Kind);

        if (site.Kind == LookupKind.Indexer && site.Table is { } table && IsParameter(table, symbols))
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.AdvancedIndexing, site.Operation.Syntax.GetLocation(),
                additionalLocations: new[] { table.Syntax.GetLocation(), site.Ids.Syntax.GetLocation() },
                table.Syntax.ToString(), site.Ids.Syntax.ToString()));
    }

    private static void AnalyzeCall(OperationBlockAnalysisContext context, IInvocationOperation invocation, IMethodSymbol callee,
        TensorFlow flow, NnxSymbols symbols, MethodSummaries summaries)
    {
        ImmutableArray<IdsUse?> uses = default;
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } parameter || !symbols.IsTensor(parameter.Type)) continue;
            TensorFact ids = flow.Evaluate(argument.Value);
            if (ids.Kind != DtypeKind.Floating && ids.Constants is null) continue;
            if (uses.IsDefault) uses = summaries.Of(callee);
            if (parameter.Ordinal >= uses.Length || uses[parameter.Ordinal] is not { } use) continue;
            string reaches = $"{callee.ContainingType.Name}.{callee.Name} (its '{parameter.Name}' reaches {use.Lookup})";
            if (ids.Kind == DtypeKind.Floating)
                ReportFloatIds(context, argument.Value, ids, reaches, flow);
            else if (use.Rows?.ResolveThrough(invocation.Instance, flow) is { Count: long count } rows)
                ReportOutOfRange(context, argument.Value, ids.Constants!, count, rows.Source, use.Kind);
        }
    }

    private static void ReportFloatIds(OperationBlockAnalysisContext context, IOperation idsOperation, TensorFact ids, string lookup, TensorFlow flow)
    {
        // Fix where the ids are made when that is a single local definition, so every later use gets integer ids.
        IOperation target = LookupSite.Unwrap(idsOperation);
        if (target is ILocalReferenceOperation { Local: var local } && flow.SingleDefinition(local) is { } definition)
            target = definition;
        string fix = IsWholeNumberFloatArray(target) ? ArrayTypeFix : ConvertFix;
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.FloatIds, idsOperation.Syntax.GetLocation(),
            additionalLocations: new[] { target.Syntax.GetLocation() },
            properties: ImmutableDictionary<string, string?>.Empty.Add(FixKey, fix),
            idsOperation.Syntax.ToString(), ids.Origin, lookup));
    }

    private static void ReportOutOfRange(OperationBlockAnalysisContext context, IOperation idsOperation, long[] ids, long rows, string source, LookupKind kind)
    {
        // The indexer wraps negative ids like Python; index_select, Embedding and TokenIds.Check reject them.
        long lowest = kind == LookupKind.Indexer ? -rows : 0;
        foreach (long id in ids)
        {
            if (id >= lowest && id < rows) continue;
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.IdOutOfRange, idsOperation.Syntax.GetLocation(), id, rows, source, rows - 1));
            return;
        }
    }

    private static bool IsParameter(IOperation table, NnxSymbols symbols)
    {
        IOperation value = LookupSite.Unwrap(table);
        if (value is IFieldReferenceOperation { Field: var field } && symbols.ParamAttribute is not null
            && ParamAttributes.Find(field, symbols.ParamAttribute) is not null) return true;
        for (ITypeSymbol? t = value.Type; t is not null; t = t.BaseType)
            if (SymbolEqualityComparer.Default.Equals(t, symbols.Parameter)) return true;
        return false;
    }

    // torch.tensor(new float[] { 0, 1, 2 }) with no dtype: writing long[] keeps every value.
    private static bool IsWholeNumberFloatArray(IOperation target) =>
        target is IInvocationOperation { TargetMethod.Name: "tensor" } invocation
        && invocation.Arguments.All(a => a.Parameter?.Name != "dtype" || a.ArgumentKind == ArgumentKind.DefaultValue)
        && invocation.Arguments.Length > 0
        && LookupSite.Unwrap(invocation.Arguments[0].Value) is IArrayCreationOperation { DimensionSizes.Length: 1, Initializer: { } initializer } array
        && array.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.ArrayCreationExpressionSyntax
        && initializer.ElementValues.All(e => e.ConstantValue is { HasValue: true, Value: float or double } c && IsWhole(System.Convert.ToDouble(c.Value, System.Globalization.CultureInfo.InvariantCulture)));

    private static bool IsWhole(double value) => value == System.Math.Floor(value) && System.Math.Abs(value) < 9.0e15;
}
