using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Nnx.Analyzers;

namespace Nnx.CodeFixes;

/// <summary>
/// NNX0006 and NNX0007: rewrites a one-hot matmul or <c>table[ids]</c> as <c>table.index_select(0, ids)</c>. Because
/// <c>index_select</c> takes 1-D ids, the first action flattens the ids and restores their shape (right for any
/// rank); the second is the plain form for ids known to be 1-D.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(IndexSelectCodeFix)), Shared]
public sealed class IndexSelectCodeFix : CodeFixProvider
{
    public const string AnyRankKey = nameof(IndexSelectCodeFix) + ".AnyRank";
    public const string OneDimensionalKey = nameof(IndexSelectCodeFix) + ".OneDimensional";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.OneHotMatmulId, Descriptors.AdvancedIndexingId);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (Parts(root, diagnostic) is not var (_, table, ids)) continue;
            string t = Expressions.Receiver(table), i = Expressions.Receiver(ids);
            context.RegisterCodeFix(CodeAction.Create(
                $"Use {t}.index_select(0, {i}.reshape(-1)).reshape(...) (ids of any rank)",
                ct => Rewrite(context.Document, diagnostic, anyRank: true, ct), AnyRankKey), diagnostic);
            context.RegisterCodeFix(CodeAction.Create(
                $"Use {t}.index_select(0, {ids.WithoutTrivia()}) (1-D ids)",
                ct => Rewrite(context.Document, diagnostic, anyRank: false, ct), OneDimensionalKey), diagnostic);
        }
    }

    private static (ExpressionSyntax Lookup, ExpressionSyntax Table, ExpressionSyntax Ids)? Parts(SyntaxNode root, Diagnostic diagnostic)
    {
        if (diagnostic.AdditionalLocations.Count != 2) return null;
        // The table and the ids must lie inside the replaced expression, or the rewrite would leave them dangling.
        if (!diagnostic.Location.SourceSpan.Contains(diagnostic.AdditionalLocations[0].SourceSpan)
            || !diagnostic.Location.SourceSpan.Contains(diagnostic.AdditionalLocations[1].SourceSpan)) return null;
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax lookup
            || root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax table
            || Expression(root.FindNode(diagnostic.AdditionalLocations[1].SourceSpan, getInnermostNodeForTie: true)) is not { } ids) return null;
        return (lookup, table, ids);
    }

    private static ExpressionSyntax? Expression(SyntaxNode node) => node switch
    {
        ArgumentSyntax argument => argument.Expression,
        ExpressionSyntax expression => expression,
        _ => null,
    };

    private static async Task<Document> Rewrite(Document document, Diagnostic diagnostic, bool anyRank, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        if (Parts(root, diagnostic) is not var (lookup, table, ids)) return document;
        string t = Expressions.Receiver(table), i = Expressions.Receiver(ids);
        string text = anyRank
            ? $"{t}.index_select(0, {i}.reshape(-1)).reshape([.. {i}.shape, .. {t}.shape[1..]])"
            : $"{t}.index_select(0, {ids.WithoutTrivia()})";
        return document.WithSyntaxRoot(root.ReplaceNode(lookup, Expressions.Replace(lookup, text)));
    }
}
