using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Nnx.Generators.Rules;

namespace Nnx.Analyzers;

/// <summary>
/// NNX0002: a <c>[Param]</c> table whose rows are looked up along an axis named like a model width while another
/// axis is named like a vocabulary: the seed's "(d_model, vocab) instead of (vocab, d_model)" mistake.
/// </summary>
/// <remarks>
/// The lookups of a field are collected over its containing type (a symbol-start action), so the diagnostic is
/// reported once, on the Shape the fix rewrites, wherever in the class the lookup is.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TransposedTableAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property with the corrected Shape text.</summary>
    public const string FixedShapeKey = "FixedShape";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TransposedTable);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            NnxSymbols? symbols = NnxSymbols.TryCreate(start.Compilation);
            if (symbols?.ParamAttribute is null || symbols.Tensor is null) return;
            start.RegisterSymbolStartAction(type => AnalyzeType(type, symbols), SymbolKind.NamedType);
        });
    }

    private static void AnalyzeType(SymbolStartAnalysisContext context, NnxSymbols symbols)
    {
        var tables = new Dictionary<IFieldSymbol, (AttributeData Attribute, string Shape, List<ShapeEntry> Dims)>(SymbolEqualityComparer.Default);
        foreach (IFieldSymbol field in ((INamedTypeSymbol)context.Symbol).GetMembers().OfType<IFieldSymbol>())
        {
            if (symbols.VariableAttribute(field) is not { } attribute) continue;
            string? shape = ParamAttributes.NamedString(attribute, "Shape");
            if (ShapeEntries.Parse(shape) is { Count: >= 2 } dims)
                tables.Add(field, (attribute, shape!, dims));
        }
        if (tables.Count == 0) return;

        // field -> the axis it is looked up along (the first one seen is enough to name in the message)
        var lookups = new ConcurrentDictionary<IFieldSymbol, int>(SymbolEqualityComparer.Default);
        context.RegisterOperationAction(operation =>
        {
            if (LookupSite.Match(operation.Operation, symbols) is { Kind: LookupKind.IndexSelect or LookupKind.Indexer or LookupKind.NnxLookup, Axis: int axis, Table: { } table }
                && LookupSite.Unwrap(table) is IFieldReferenceOperation { Field: var field } && tables.ContainsKey(field))
                lookups.TryAdd(field, axis);
        }, OperationKind.Invocation, OperationKind.PropertyReference);

        context.RegisterSymbolEndAction(end =>
        {
            foreach (KeyValuePair<IFieldSymbol, int> lookup in lookups)
            {
                var (attribute, shape, dims) = tables[lookup.Key];
                int axis = lookup.Value < 0 ? lookup.Value + dims.Count : lookup.Value;
                if (axis < 0 || axis >= dims.Count || dims[axis].Name is not { } width || !AxisNames.IsWidthLike(width)) continue;
                int vocabAxis = dims.FindIndex(d => d.Name is { } n && AxisNames.IsVocabularyLike(n));
                if (vocabAxis < 0) continue;
                string fixedShape = Swap(shape, dims, axis, vocabAxis);
                end.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.TransposedTable,
                    ParamAttributes.ArgumentLocation(attribute, "Shape"),
                    ImmutableDictionary<string, string?>.Empty.Add(FixedShapeKey, fixedShape),
                    lookup.Key.Name, shape, axis, width, vocabAxis, dims[vocabAxis].Name, fixedShape));
            }
        });
    }

    private static string Swap(string shape, List<ShapeEntry> dims, int a, int b)
    {
        var names = dims.Select(d => d.ToString()).ToArray();
        (names[a], names[b]) = (names[b], names[a]);
        return string.Join(shape.Contains(", ") ? ", " : ",", names);
    }
}
