using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Nnx.Analyzers;
using Nnx.Generators;

namespace Nnx.Benchmarks.CompileTime;

/// <summary>
/// The program both compile-time benchmarks build: 500 modules as a user writes them, and the same program
/// hand-written (the generator's output added as ordinary source files). Every full compile starts from source text,
/// as a command-line build does, so both sides parse the same amount of code.
/// </summary>
internal sealed class CompileWorkload
{
    public const int Modules = 500;

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private readonly MetadataReference[] references;

    public CompileWorkload()
    {
        references = Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(Nnx.ParamAttribute).Assembly.Location))
            .ToArray();
        UserSources = Enumerable.Range(0, Modules).Select(i => ModuleSources.Module(i)).ToArray();
        GeneratorRunResult run = NewDriver(trackSteps: false).RunGenerators(Compile(UserSources)).GetRunResult().Results.Single();
        if (run.Exception is not null || run.Diagnostics.Length > 0 || run.GeneratedSources.Length != Modules)
            throw new InvalidOperationException($"Expected {Modules} generated files and no generator diagnostics, got {run.GeneratedSources.Length} and {run.Diagnostics.Length}.");
        GeneratedSources = run.GeneratedSources.Select(s => s.SourceText.ToString()).ToArray();
        Analyzers = typeof(DeclarationAnalyzer).Assembly.GetTypes()
            .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type))
            .Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!)
            .ToImmutableArray();
    }

    /// <summary>The 500 modules as the user writes them.</summary>
    public string[] UserSources { get; }

    /// <summary>What the generator adds to them, one file per module.</summary>
    public string[] GeneratedSources { get; }

    /// <summary>Every analyzer Nnx ships, as a build loads them.</summary>
    public ImmutableArray<DiagnosticAnalyzer> Analyzers { get; }

    /// <summary>A fresh compilation of <paramref name="sources"/>, parsed from text.</summary>
    public CSharpCompilation Compile(params string[][] sources) =>
        CSharpCompilation.Create(
            "Bench.Models",
            sources.SelectMany((files, set) => files.Select((text, i) => CSharpSyntaxTree.ParseText(text, ParseOptions, path: $"Set{set}/File{i}.cs"))),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>A cold driver for the generator. Step tracking is what the tests and IDE diagnostics use; a build runs without it.</summary>
    public static GeneratorDriver NewDriver(bool trackSteps) =>
        CSharpGeneratorDriver.Create(
            new[] { new ModuleGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Parses the user's modules, runs the generator and emits: a command-line build.</summary>
    public long BuildWithGenerator()
    {
        NewDriver(trackSteps: false).RunGeneratorsAndUpdateCompilation(Compile(UserSources), out Compilation output, out _);
        return Emit(output);
    }

    /// <summary>Parses the hand-written program and emits it.</summary>
    public long BuildHandWritten() => Emit(Compile(UserSources, GeneratedSources));

    /// <summary>Emits to memory; a compilation that does not build would time error recovery, not compiling.</summary>
    public static long Emit(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
            throw new InvalidOperationException("The benchmark compilation failed: " + result.Diagnostics.First(d => d.Severity == DiagnosticSeverity.Error));
        return stream.Length;
    }
}
