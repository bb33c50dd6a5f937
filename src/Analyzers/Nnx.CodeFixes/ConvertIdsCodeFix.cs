using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
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
/// NNX0001: makes the ids integer where they are created: <c>new float[] { 0, 1 }</c> becomes <c>new long[] { 0, 1 }</c>,
/// anything else gets <c>.to(ScalarType.Int64)</c>. Several lookups of one local share one fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ConvertIdsCodeFix)), Shared]
public sealed class ConvertIdsCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.FloatIdsId);

    // Diagnostics at two uses of one local point at the same definition: rewrite each definition once.
    public override FixAllProvider GetFixAllProvider() =>
        FixAllProvider.Create(async (context, document, diagnostics) => await Fix(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (diagnostic.AdditionalLocations.Count == 0) continue;
            string title = diagnostic.Properties.TryGetValue(LookupAnalyzer.FixKey, out string? fix) && fix == LookupAnalyzer.ArrayTypeFix
                ? "Build the ids from a long[]" : "Convert the ids with .to(ScalarType.Int64)";
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => Fix(context.Document, ImmutableArray.Create(diagnostic), ct), nameof(ConvertIdsCodeFix)),
                diagnostic);
        }
        return Task.CompletedTask;
    }

    private static async Task<Document> Fix(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        SemanticModel model = (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;
        var targets = new Dictionary<ExpressionSyntax, bool>();
        foreach (Diagnostic diagnostic in diagnostics)
        {
            if (diagnostic.AdditionalLocations.Count == 0) continue;
            SyntaxNode node = root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true);
            if ((node is ArgumentSyntax argument ? argument.Expression : node) is not ExpressionSyntax target) continue;
            targets[target] = diagnostic.Properties.TryGetValue(LookupAnalyzer.FixKey, out string? fix) && fix == LookupAnalyzer.ArrayTypeFix;
        }
        SyntaxNode fixedRoot = root.ReplaceNodes(targets.Keys, (original, rewritten) =>
            targets[original] && ToLongArray(rewritten, original, model) is { } array ? array : Convert(rewritten));
        return document.WithSyntaxRoot(fixedRoot);
    }

    private static ExpressionSyntax Convert(ExpressionSyntax ids)
    {
        ExpressionSyntax dtype = SyntaxFactory.ParseExpression("global::TorchSharp.torch.ScalarType.Int64").WithAdditionalAnnotations(Simplifier.Annotation);
        ExpressionSyntax receiver = SyntaxFactory.ParseExpression(Expressions.Receiver(ids));
        return SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, SyntaxFactory.IdentifierName("to")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(dtype))))
            .WithTriviaFrom(ids);
    }

    // torch.tensor(new float[] { 0, 1f, 2.0 }) -> torch.tensor(new long[] { 0, 1, 2 }); the values come from the
    // original tree's semantic model, the syntax from the (identical) rewritten node.
    private static ExpressionSyntax? ToLongArray(ExpressionSyntax rewritten, ExpressionSyntax original, SemanticModel model)
    {
        if (original is not InvocationExpressionSyntax { ArgumentList.Arguments: [{ Expression: ArrayCreationExpressionSyntax array }, ..] }
            || array.Initializer is null) return null;
        var elements = new List<ExpressionSyntax>();
        foreach (ExpressionSyntax element in array.Initializer.Expressions)
        {
            if (model.GetConstantValue(element) is not { HasValue: true, Value: var value }) return null;
            long id = (long)System.Convert.ToDouble(value, CultureInfo.InvariantCulture);
            // Parsed rather than built, so the literal is an int or long exactly as if typed.
            ExpressionSyntax literal = SyntaxFactory.ParseExpression(id.ToString(CultureInfo.InvariantCulture));
            elements.Add(literal.WithTriviaFrom(element));
        }
        var rewrittenArray = ((InvocationExpressionSyntax)rewritten).ArgumentList.Arguments[0].Expression as ArrayCreationExpressionSyntax;
        if (rewrittenArray?.Initializer is null) return null;
        ArrayCreationExpressionSyntax longArray = rewrittenArray
            .WithType(rewrittenArray.Type.WithElementType(SyntaxFactory.PredefinedType(SyntaxFactory.Token(SyntaxKind.LongKeyword)).WithTriviaFrom(rewrittenArray.Type.ElementType)))
            .WithInitializer(rewrittenArray.Initializer.WithExpressions(SyntaxFactory.SeparatedList(elements, rewrittenArray.Initializer.Expressions.GetSeparators())));
        return rewritten.ReplaceNode(rewrittenArray, longArray);
    }
}
