using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Nnx.Analyzers;
using Xunit.Abstractions;

namespace Nnx.Generators.Tests;

/// <summary>
/// Half-typed and broken code, as a user is in the middle of typing it (a deleted, duplicated or swapped token, a
/// truncated file, a garbled attribute string), must never make the generator throw or emit code that does not
/// compile; and every module it does not build must carry an NNX error at one of its declarations, so that nothing
/// is skipped in silence. The analyzers run on the generator's output, as in a real build.
/// </summary>
public class MutationTests(ITestOutputHelper output)
{
    private const int VariantsPerSource = 500;

    // Strings a user might be half-way through typing into Shape, Init, Dims, Count, Options, When or a tie.
    private static readonly string[] GarbledStrings =
        ["", " ", ",", "a,,b", "vocab=", "=x", "vocab=nTokens=x", "0", "-1", "rngs", "paramDtype", "x.y.", "embed..embedding", "1.5", "dModel,dModel",
         "@x", "vocab=0", "class", "d_model,dModel", "4*", "dModel/0", "(a", "a)", "i", "widths[i]", "rate=", "rate=true", "epsilon=\\\"x\\\"",
         "useBias", "!useBias", "x > ", "kernel=", "kernel=bar", "normal\\n", "n==m,", "3*dModel", "numHeads"];

    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = [new DeclarationAnalyzer()];

    public static TheoryData<string> SourceNames => new() { nameof(Sources.MyEmbed), nameof(Sources.TinyLm), nameof(Sources.LanguageCoverage), nameof(Sources.WholeModels) };

    [Theory]
    [MemberData(nameof(SourceNames))]
    public void Mutated_sources_never_crash_the_generator_never_break_generated_code_and_never_skip_a_module_silently(string name)
    {
        string source = (string)typeof(Sources).GetField(name)!.GetValue(null)!;
        var failures = new ConcurrentBag<string>();
        int generatedFiles = 0, skippedModules = 0;
        List<string> variants = Variants(source, seed: name.Length).ToList();

        Parallel.ForEach(variants, variant =>
        {
            CSharpCompilation input = TestCompilation.Create(variant);
            GeneratorDriver driver = TestCompilation.CreateDriver().RunGeneratorsAndUpdateCompilation(input, out Compilation compiled, out ImmutableArray<Diagnostic> generatorDiagnostics);
            GeneratorRunResult result = driver.GetRunResult().Results.Single();
            System.Threading.Interlocked.Add(ref generatedFiles, result.GeneratedSources.Length);

            if (result.Exception is not null)
                failures.Add($"generator threw {result.Exception.GetType().Name}: {result.Exception.Message}\n{variant}");
            if (generatorDiagnostics.Length > 0)
                failures.Add($"generator reported {string.Join("; ", generatorDiagnostics)}\n{variant}");
            // Only the generated files are bound: errors in the mutated user code are expected and not our concern.
            Diagnostic[] broken = result.GeneratedSources
                .SelectMany(s => compiled.GetSemanticModel(s.SyntaxTree).GetDiagnostics())
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .ToArray();
            if (broken.Length > 0)
                failures.Add($"generated code has errors: {string.Join("; ", broken.Take(3).Select(d => d.ToString()))}\n{variant}");

            ImmutableArray<Diagnostic> nnx = compiled.WithAnalyzers(Analyzers).GetAnalyzerDiagnosticsAsync().Result;
            if (nnx.FirstOrDefault(d => d.Id == "AD0001") is { } crash)
                failures.Add($"the analyzer threw: {crash.GetMessage()}\n{variant}");
            foreach (string skipped in SilentlySkippedModules(input, result, nnx))
            {
                System.Threading.Interlocked.Increment(ref skippedModules);
                failures.Add($"module {skipped} was not generated and has no NNX error\n{variant}");
            }
        });

        output.WriteLine($"{name}: {variants.Count} variants, {generatedFiles} generated files, {failures.Count} failures");
        Assert.True(generatedFiles > 0, "no variant produced output, so the test proves nothing");
        Assert.True(failures.IsEmpty, string.Join("\n\n", failures.Take(6)));
    }

    /// <summary>Types with an Nnx attribute on a field that got no generated file and no NNX error inside their declarations.</summary>
    private static IEnumerable<string> SilentlySkippedModules(Compilation input, GeneratorRunResult result, ImmutableArray<Diagnostic> nnx)
    {
        var generated = new HashSet<string>(result.GeneratedSources.Select(s => s.HintName));
        var errors = nnx.Where(d => d.Id.StartsWith("NNX", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error).ToList();
        foreach (SyntaxTree tree in input.SyntaxTrees)
        {
            SemanticModel model = input.GetSemanticModel(tree);
            foreach (TypeDeclarationSyntax declaration in tree.GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>())
            {
                if (model.GetDeclaredSymbol(declaration) is not INamedTypeSymbol type || !HasNnxField(type)) continue;
                string hint = HintName(type);
                if (generated.Any(h => h == hint || h.EndsWith("." + hint, StringComparison.Ordinal))) continue;
                bool explained = errors.Any(d => type.DeclaringSyntaxReferences.Any(r =>
                    r.SyntaxTree == d.Location.SourceTree && r.Span.Contains(d.Location.SourceSpan)));
                if (!explained) yield return type.ToDisplayString();
            }
        }
    }

    private static bool HasNnxField(INamedTypeSymbol type) =>
        type.GetMembers().OfType<IFieldSymbol>().Any(f => f.GetAttributes().Any(a =>
            a.AttributeClass is { ContainingNamespace: { Name: "Nnx", ContainingNamespace.IsGlobalNamespace: true } } c &&
            c.Name is "ParamAttribute" or "BatchStatAttribute" or "SubAttribute" or "TiedAttribute" or "OptionAttribute" or "ForkAttribute"));

    private static string HintName(INamedTypeSymbol type)
    {
        var parts = new List<string>();
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
            parts.Insert(0, t.Arity == 0 ? t.Name : t.Name + "_" + t.Arity);
        return string.Join(".", parts) + ".g.cs";
    }

    private static IEnumerable<string> Variants(string source, int seed)
    {
        var random = new Random(seed);
        SyntaxToken[] tokens = CSharpSyntaxTree.ParseText(source, TestCompilation.ParseOptions).GetRoot().DescendantTokens().ToArray();
        yield return source;
        yield return source.Substring(0, source.Length / 2);
        for (int i = 0; i < VariantsPerSource; i++)
        {
            int a = random.Next(tokens.Length);
            int b = Math.Min(tokens.Length - 1, a + 1 + random.Next(3));
            SyntaxToken t = tokens[a];
            yield return (i % 5) switch
            {
                0 => Splice(source, t.Span.Start, t.Span.End, ""),                                        // delete a token
                1 => Splice(source, t.Span.Start, t.Span.Start, t.Text + " "),                            // duplicate a token
                2 => Swap(source, tokens[a], tokens[b]),                                                   // swap two tokens
                3 => source.Substring(0, t.Span.End),                                                      // truncate
                _ => Garble(source, tokens, random),                                                       // garble a string
            };
        }
    }

    private static string Garble(string source, SyntaxToken[] tokens, Random random)
    {
        SyntaxToken[] strings = tokens.Where(t => t.IsKind(SyntaxKind.StringLiteralToken)).ToArray();
        if (strings.Length == 0) return source;
        SyntaxToken t = strings[random.Next(strings.Length)];
        return Splice(source, t.Span.Start, t.Span.End, "\"" + GarbledStrings[random.Next(GarbledStrings.Length)] + "\"");
    }

    private static string Swap(string source, SyntaxToken first, SyntaxToken second)
    {
        if (first.Span.End > second.Span.Start) return source;
        return source.Substring(0, first.Span.Start) + second.Text + source.Substring(first.Span.End, second.Span.Start - first.Span.End) + first.Text + source.Substring(second.Span.End);
    }

    private static string Splice(string source, int start, int end, string text) => source.Substring(0, start) + text + source.Substring(end);
}
