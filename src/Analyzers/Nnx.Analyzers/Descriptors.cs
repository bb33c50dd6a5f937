using Microsoft.CodeAnalysis;

namespace Nnx.Analyzers;

/// <summary>Every diagnostic Nnx reports, with its ID, default severity and help page.</summary>
public static class Descriptors
{
    public const string BadShapeId = "NNX0003";

    private const string HelpRoot = "https://github.com/nnx-gen/nnx-gen/blob/main/docs/diagnostics/";
    private const string DeclarationCategory = "Nnx.Declaration";

    public static readonly DiagnosticDescriptor BadShape = new(
        BadShapeId,
        title: "Invalid Shape",
        messageFormat: "Shape of '{0}' is invalid: {1}",
        category: DeclarationCategory,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Shape lists dimension names (C# identifiers, each used once) or positive integer literals, separated by commas.",
        helpLinkUri: HelpRoot + BadShapeId + ".md");
}
