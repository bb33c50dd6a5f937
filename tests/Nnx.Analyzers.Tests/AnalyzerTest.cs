using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Nnx.Analyzers.Tests;

/// <summary>The references every test compilation gets: .NET 10, TorchSharp and the Nnx runtime, all offline.</summary>
internal static class TestReferences
{
    public static void AddTo(SolutionState state)
    {
        state.AdditionalReferences.AddRange(Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>());
        state.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location));
        state.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(Nnx.ParamAttribute).Assembly.Location));
    }

    // The SDK passes /nowarn:1701,1702 too: TorchSharp targets net8.0's System.Runtime.
    public static Solution SuppressUnificationWarnings(Solution solution, ProjectId projectId)
    {
        var options = solution.GetProject(projectId)!.CompilationOptions!;
        return solution.WithProjectCompilationOptions(projectId, options.WithSpecificDiagnosticOptions(
            options.SpecificDiagnosticOptions.SetItem("CS1701", ReportDiagnostic.Suppress).SetItem("CS1702", ReportDiagnostic.Suppress)));
    }
}

/// <summary>An analyzer test over real compilations with .NET 10, TorchSharp and the Nnx runtime referenced, offline.</summary>
internal sealed class AnalyzerTest<TAnalyzer> : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public AnalyzerTest(string source)
    {
        TestCode = source;
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestReferences.AddTo(TestState);
        SolutionTransforms.Add(TestReferences.SuppressUnificationWarnings);
    }
}

/// <summary>A code-fix test: the analyzer reports on <c>source</c>, the fix turns it into <c>fixedSource</c>, which reports nothing.</summary>
internal sealed class CodeFixTest<TAnalyzer, TCodeFix> : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public CodeFixTest(string source, string fixedSource)
    {
        TestCode = source;
        FixedCode = fixedSource;
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestReferences.AddTo(TestState);
        SolutionTransforms.Add(TestReferences.SuppressUnificationWarnings);
    }
}
