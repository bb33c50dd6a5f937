using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;
using Nnx.Analyzers;

namespace Nnx.CodeFixes;

/// <summary>
/// NNX0006 and NNX0007: rewrites a one-hot matmul or <c>table[ids]</c> as <c>Lookup.Rows(table, ids)</c>, which is
/// <c>index_select</c> for ids of any rank with the ids checked first, so a float or out-of-range id is a clear
/// <see cref="System.ArgumentException"/> instead of a native error (the bare <c>index_select</c> checks nothing).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CheckedLookupCodeFix)), Shared]
public sealed class CheckedLookupCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of the one action this fix offers.</summary>
    public const string Key = nameof(CheckedLookupCodeFix);

    private const string LookupTypeName = "Nnx.Lookup";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.OneHotMatmulId, Descriptors.AdvancedIndexingId);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        // The diagnostics ship with the Nnx runtime, but a project can still lack the reference; then there is no fix.
        if (root is null || model?.Compilation.GetTypeByMetadataName(LookupTypeName) is null) return;
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (Parts(root, diagnostic) is not var (_, table, ids)) continue;
            context.RegisterCodeFix(CodeAction.Create(
                $"Use Lookup.Rows({table.WithoutTrivia()}, {ids.WithoutTrivia()}) (checked ids, any rank)",
                ct => Rewrite(context.Document, diagnostic, ct), Key), diagnostic);
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

    private static async Task<Document> Rewrite(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        if (Parts(root, diagnostic) is not var (lookup, table, ids)) return document;
        // Fully qualified and marked for simplification: the code action's cleanup shortens it to `Lookup` where
        // `using Nnx;` is in effect and no other `Lookup` is in scope, and to `Nnx.Lookup` elsewhere.
        ExpressionSyntax lookupType = SyntaxFactory.ParseExpression("global::" + LookupTypeName).WithAdditionalAnnotations(Simplifier.Annotation);
        InvocationExpressionSyntax rows = SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, lookupType, SyntaxFactory.IdentifierName("Rows")),
            SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(
                [SyntaxFactory.Argument(table.WithoutTrivia()), SyntaxFactory.Argument(ids.WithoutTrivia())],
                [SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space)])));
        return document.WithSyntaxRoot(root.ReplaceNode(lookup, rows.WithTriviaFrom(lookup)));
    }
}
