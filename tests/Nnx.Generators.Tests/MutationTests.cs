using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit.Abstractions;

namespace Nnx.Generators.Tests;

/// <summary>
/// Half-typed and broken code must never make the generator throw or emit code that does not compile: every variant
/// below is a real edit a user could be in the middle of (a deleted, duplicated or swapped token, a truncated file, a
/// garbled attribute string).
/// </summary>
public class MutationTests(ITestOutputHelper output)
{
    private const int VariantsPerSource = 100;

    // Strings a user might be half-way through typing into Shape, Init, Dims, Count or a [Tied] path.
    private static readonly string[] GarbledStrings =
        ["", " ", ",", "a,,b", "vocab=", "=x", "vocab=nTokens=x", "0", "-1", "rngs", "paramDtype", "x.y.", "embed..embedding", "1.5", "dModel,dModel", "@x", "vocab=0", "class", "d_model,dModel"];

    public static TheoryData<string> SourceNames => new() { nameof(Sources.MyEmbed), nameof(Sources.TinyLm), nameof(Sources.LanguageCoverage) };

    [Theory]
    [MemberData(nameof(SourceNames))]
    public void Mutated_sources_never_crash_the_generator_nor_get_broken_generated_code(string name)
    {
        string source = (string)typeof(Sources).GetField(name)!.GetValue(null)!;
        var failures = new List<string>();
        int generatedFiles = 0;

        foreach (string variant in Variants(source, seed: name.Length))
        {
            CSharpCompilation input = TestCompilation.Create(variant);
            GeneratorDriver driver = TestCompilation.CreateDriver().RunGeneratorsAndUpdateCompilation(input, out Compilation compiled, out ImmutableArray<Diagnostic> generatorDiagnostics);
            GeneratorRunResult result = driver.GetRunResult().Results.Single();
            generatedFiles += result.GeneratedSources.Length;

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
        }

        output.WriteLine($"{name}: {VariantsPerSource + 2} variants, {generatedFiles} generated files, {failures.Count} failures");
        Assert.True(generatedFiles > 0, "no variant produced output, so the test proves nothing");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures.Take(6)));
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
