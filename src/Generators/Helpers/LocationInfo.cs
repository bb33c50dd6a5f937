using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Nnx.Generators.Helpers;

/// <summary>A source location as values (file, span, lines), so problems stay equatable and root no compilation.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public static LocationInfo? From(Location? location) =>
        location is null || location.SourceTree is null ? null : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);

    public static LocationInfo? From(SyntaxNode? node) => From(node?.GetLocation());
}
