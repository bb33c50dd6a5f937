using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Nnx.Generators.Helpers;
using Nnx.Generators.Rules;

namespace Nnx.Analyzers;

/// <summary>
/// NNX0003, NNX0004, NNX0005 and NNX0009-NNX0013: every declaration mistake, as the generator's rule book finds it.
/// The generator emits nothing for a module with a problem, so each problem reported here says why a module is not
/// generated, at the declaration it concerns.
/// </summary>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class DeclarationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property naming the type that needs <c>partial</c>; present only when that is the fix.</summary>
    public const string MakePartialKey = "MakePartial";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.BadShape, Descriptors.BadInit, Descriptors.ParamMisuse, Descriptors.BadSub, Descriptors.BadOption,
        Descriptors.NameClash, Descriptors.BadStream, Descriptors.BadTie);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            RuleBook book = RuleBook.For(start.Compilation);
            if (!book.Symbols.HasRuntime) return;
            // Problems carry file paths; they are reported at the same spans of this compilation's trees.
            var trees = start.Compilation.SyntaxTrees.GroupBy(t => t.FilePath).ToDictionary(g => g.Key, g => g.First());
            start.RegisterSymbolAction(symbol => Analyze(symbol, book, trees), SymbolKind.NamedType);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, RuleBook book, Dictionary<string, SyntaxTree> trees)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!Declarations.DslFields(type, book.Symbols).Any()) return;
        foreach (Problem problem in book.Read(type, context.CancellationToken).Problems)
        {
            ImmutableDictionary<string, string?> properties = problem.MakePartial.Length == 0
                ? ImmutableDictionary<string, string?>.Empty
                : ImmutableDictionary<string, string?>.Empty.Add(MakePartialKey, problem.MakePartial);
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.ForRule(problem.RuleId), Locate(problem.Location, trees), properties, problem.Arguments.Cast<object?>().ToArray()));
        }
    }

    private static Location Locate(LocationInfo? location, Dictionary<string, SyntaxTree> trees)
    {
        if (location is null) return Location.None;
        return trees.TryGetValue(location.FilePath, out SyntaxTree? tree)
            ? Location.Create(tree, location.Span)
            : Location.Create(location.FilePath, location.Span, location.LineSpan);
    }
}
