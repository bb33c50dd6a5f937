using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Nnx.Analyzers.Tests;

/// <summary>
/// Every analyzer over a few hundred broken variants of a module with each pitfall in it (truncated, a token
/// deleted, two tokens swapped): half-typed code is what an IDE analyses most of the time, and an analyzer that
/// throws shows up as AD0001 and loses all its diagnostics.
/// </summary>
public class MutatedSourceTests
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = typeof(Descriptors).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    private static readonly MetadataReference[] References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Nnx.ParamAttribute).Assembly.Location),
    ];

    [Fact]
    public async Task No_analyzer_throws_on_truncated_or_mutated_sources()
    {
        string seed = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "CorpusSeed.cs.txt"));
        List<string> variants = Mutations(seed).ToList();
        Assert.InRange(variants.Count, 300, 1000);

        var failures = new ConcurrentBag<string>();
        int reported = 0;
        foreach (string variant in variants)
        {
            var compilation = CSharpCompilation.Create("Corpus", [CSharpSyntaxTree.ParseText(variant)], References,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
            var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]),
                onAnalyzerException: (e, analyzer, _) => failures.Add($"{analyzer.GetType().Name}: {e.GetType().Name}: {e.Message}\n--- source ---\n{variant}"),
                concurrentAnalysis: false, logAnalyzerExecutionTime: false);
            ImmutableArray<Diagnostic> diagnostics = await compilation.WithAnalyzers(Analyzers, options).GetAnalyzerDiagnosticsAsync();
            foreach (Diagnostic d in diagnostics.Where(d => d.Id == "AD0001"))
                failures.Add($"{d.GetMessage()}\n--- source ---\n{variant}");
            reported += diagnostics.Count(d => d.Id.StartsWith("NNX", StringComparison.Ordinal));
        }

        Assert.True(failures.IsEmpty, $"{failures.Count} analyzer exception(s); first:\n{failures.FirstOrDefault()}");
        // The corpus still exercises the rules: most variants keep most pitfalls intact.
        Assert.True(reported > variants.Count, $"only {reported} NNX diagnostics over {variants.Count} variants");
    }

    /// <summary>Deterministic variants: prefixes cut at tokens, one token deleted, two neighbours swapped.</summary>
    private static IEnumerable<string> Mutations(string seed)
    {
        SyntaxToken[] tokens = CSharpSyntaxTree.ParseText(seed).GetRoot().DescendantTokens().ToArray();
        var random = new Random(20261128);
        for (int i = 0; i < tokens.Length; i += Math.Max(1, tokens.Length / 120))
            yield return seed.Substring(0, tokens[i].Span.End);
        for (int n = 0; n < 120; n++)
        {
            SyntaxToken token = tokens[random.Next(tokens.Length)];
            yield return seed.Remove(token.SpanStart, token.Span.Length);
        }
        for (int n = 0; n < 120; n++)
        {
            int i = random.Next(tokens.Length - 1);
            SyntaxToken a = tokens[i], b = tokens[i + 1];
            yield return seed.Substring(0, a.SpanStart) + b.Text + seed.Substring(a.Span.End, b.SpanStart - a.Span.End) + a.Text + seed.Substring(b.Span.End);
        }
    }
}
