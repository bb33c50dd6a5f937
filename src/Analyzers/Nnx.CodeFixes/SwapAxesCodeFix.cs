using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Nnx.Analyzers;

namespace Nnx.CodeFixes;

/// <summary>NNX0002: rewrites <c>Shape = "dModel,vocab"</c> to the Shape the analyzer computed (<c>"vocab,dModel"</c>).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SwapAxesCodeFix)), Shared]
public sealed class SwapAxesCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.TransposedTableId);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(TransposedTableAnalyzer.FixedShapeKey, out string? shape) || shape is null) continue;
            context.RegisterCodeFix(
                CodeAction.Create($"Swap the axes: Shape = \"{shape}\"", ct => Rewrite(context.Document, diagnostic, shape, ct), nameof(SwapAxesCodeFix)),
                diagnostic);
        }
        return Task.CompletedTask;
    }

    private static async Task<Document> Rewrite(Document document, Diagnostic diagnostic, string shape, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not LiteralExpressionSyntax literal) return document;
        LiteralExpressionSyntax replacement = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(shape))
            .WithTriviaFrom(literal);
        return document.WithSyntaxRoot(root.ReplaceNode(literal, replacement));
    }
}
