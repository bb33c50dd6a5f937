using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Nnx.Analyzers;
using Nnx.Generators;

namespace Nnx.Benchmarks.CompileTime;

/// <summary>
/// What the generator and analyzers add to compiling 500 modules. The peer is the same program hand-written: the
/// user's sources plus the generated files added as ordinary sources, so both sides compile the same code and the
/// difference is the generator's own work. Parsed trees, fresh semantic state per call (<c>Clone</c>), emit to
/// memory. Also the incremental run after an edit in one method body, with a warm generator.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(1)]
[IterationCount(5)]
public class GeneratorCompileTime
{
    private const int Modules = 500;
    private const int Edited = Modules / 2;

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private CSharpCompilation compilation = null!;
    private CSharpCompilation edited = null!;
    private Compilation handWritten = null!;
    private Compilation handWrittenEdited = null!;
    private GeneratorDriver warmDriver = null!;
    private ImmutableArray<DiagnosticAnalyzer> analyzers;

    /// <summary>Parses the 500 modules, runs the generator once (the IDE's warm state) and prepares the edit.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var references = Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(Nnx.ParamAttribute).Assembly.Location));
        compilation = CSharpCompilation.Create(
            "Bench.Models",
            Enumerable.Range(0, Modules).Select(i => CSharpSyntaxTree.ParseText(ModuleSources.Module(i), ParseOptions, path: $"Block{i}.cs")),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        // Every analyzer Nnx ships, as a build loads them.
        analyzers = typeof(ShapeAnalyzer).Assembly.GetTypes()
            .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type))
            .Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!)
            .ToImmutableArray();

        SyntaxTree old = compilation.SyntaxTrees.ElementAt(Edited);
        SyntaxTree changed = CSharpSyntaxTree.ParseText(ModuleSources.Module(Edited, scale: 2.0), ParseOptions, old.FilePath);
        edited = compilation.ReplaceSyntaxTree(old, changed);
        warmDriver = NewDriver().RunGeneratorsAndUpdateCompilation(compilation, out handWritten, out ImmutableArray<Diagnostic> diagnostics);
        handWrittenEdited = handWritten.ReplaceSyntaxTree(old, changed);

        if (diagnostics.Length > 0 || handWritten.SyntaxTrees.Count() != 2 * Modules)
            throw new InvalidOperationException($"Expected {Modules} generated files and no generator diagnostics, got {handWritten.SyntaxTrees.Count() - Modules} and {diagnostics.Length}.");
        ReportEditReruns();
    }

    /// <summary>The reference: the same program hand-written (generated files as ordinary sources), no generator.</summary>
    [Benchmark(Baseline = true)]
    public long FullHandWritten() => Emit(handWritten.Clone());

    /// <summary>Full compile with a cold generator run (a command-line build).</summary>
    [Benchmark]
    public long FullWithGenerator()
    {
        NewDriver().RunGeneratorsAndUpdateCompilation(compilation.Clone(), out Compilation output, out _);
        return Emit(output);
    }

    /// <summary>Full compile with the generator and every Nnx analyzer.</summary>
    [Benchmark]
    public long FullWithGeneratorAndAnalyzers()
    {
        NewDriver().RunGeneratorsAndUpdateCompilation(compilation.Clone(), out Compilation output, out _);
        long bytes = Emit(output);
        return bytes + output.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult().Length;
    }

    /// <summary>A cold generator run alone (no emit): its share of the full compile.</summary>
    [Benchmark]
    public int FullGeneratorOnly() => NewDriver().RunGenerators(compilation.Clone()).GetRunResult().GeneratedTrees.Length;

    /// <summary>Compile the hand-written program after an edit in one method body.</summary>
    [Benchmark]
    public long EditHandWritten() => Emit(handWrittenEdited.Clone());

    /// <summary>Compile after the same edit with the warm generator (what an IDE or a build server does).</summary>
    [Benchmark]
    public long EditWithGenerator()
    {
        warmDriver.RunGeneratorsAndUpdateCompilation(edited.Clone(), out Compilation output, out _);
        return Emit(output);
    }

    /// <summary>The warm generator's own work after the edit (no emit).</summary>
    [Benchmark]
    public int EditGeneratorOnly() => warmDriver.RunGenerators(edited.Clone()).GetRunResult().GeneratedTrees.Length;

    private static GeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create(
            new[] { new ModuleGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    // A compilation that does not build would time error recovery, not compiling.
    private static long Emit(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
            throw new InvalidOperationException("The benchmark compilation failed: " + result.Diagnostics.First(d => d.Severity == DiagnosticSeverity.Error));
        return stream.Length;
    }

    // The second target is not a timing: after a body edit no output step may run again.
    private void ReportEditReruns()
    {
        GeneratorRunResult result = warmDriver.RunGenerators(edited).GetRunResult().Results.Single();
        var outputs = result.TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(step => step.Outputs).ToArray();
        int rerun = outputs.Count(o => o.Reason is IncrementalStepRunReason.New or IncrementalStepRunReason.Modified);
        Console.WriteLine($"// Edit in one method body of {Modules} modules: {rerun} of {outputs.Length} generator outputs re-ran " +
                          $"({string.Join(", ", outputs.GroupBy(o => o.Reason).Select(g => $"{g.Key}: {g.Count()}"))}).");
    }
}
