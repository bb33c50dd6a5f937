using System.Reflection;

namespace Nnx.Generators.Rules;

/// <summary>The generator's version, as <c>[GeneratedCode]</c> records it: the package version (Directory.Build.props).</summary>
internal static class GeneratorVersion
{
    public static string Text { get; } = typeof(GeneratorVersion).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "0.0.0";
}
