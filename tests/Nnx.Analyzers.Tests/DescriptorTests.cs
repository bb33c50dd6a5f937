using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Nnx.Analyzers.Tests;

public class DescriptorTests
{
    public static TheoryData<string> Ids { get; } = new(AllDescriptors().Select(d => d.Id));

    private static IEnumerable<DiagnosticDescriptor> AllDescriptors() =>
        typeof(Descriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!);

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_rule_has_a_help_page_with_what_why_before_and_after(string id)
    {
        DiagnosticDescriptor descriptor = AllDescriptors().Single(d => d.Id == id);
        Assert.EndsWith($"/docs/diagnostics/{id}.md", descriptor.HelpLinkUri);
        string page = File.ReadAllText(RepositoryFiles.PathOf($"docs/diagnostics/{id}.md"));
        Assert.StartsWith($"# {id}:", page);
        foreach (string section in new[] { "## What", "## Why", "## Before", "## After", "## Configure" })
            Assert.Contains(section, page);
        Assert.Contains($"**Severity:** {Severity(descriptor.DefaultSeverity)}", page);
        Assert.Contains($"dotnet_diagnostic.{id}.severity", page);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_rule_is_tracked_in_the_unshipped_release_with_its_category_and_severity(string id)
    {
        DiagnosticDescriptor descriptor = AllDescriptors().Single(d => d.Id == id);
        string release = File.ReadAllText(RepositoryFiles.PathOf("src/Analyzers/Nnx.Analyzers/AnalyzerReleases.Unshipped.md"));
        Assert.Contains($"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", release);
    }

    [Fact]
    public void Every_rule_is_reported_by_some_analyzer()
    {
        var supported = typeof(Descriptors).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer).IsAssignableFrom(t))
            .SelectMany(t => ((Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer)System.Activator.CreateInstance(t)!).SupportedDiagnostics)
            .Select(d => d.Id).ToHashSet();

        Assert.Equal(AllDescriptors().Select(d => d.Id).OrderBy(i => i), supported.OrderBy(i => i));
    }

    private static string Severity(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        DiagnosticSeverity.Info => "info",
        _ => "hidden",
    };
}
