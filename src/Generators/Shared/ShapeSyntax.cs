using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;

namespace Nnx.Generators.Shared;

/// <summary>One entry of a <c>Shape</c> string: a dimension name or a fixed size.</summary>
internal readonly record struct ShapeDim(string? Name, long Size)
{
    public bool IsNamed => Name is not null;

    public override string ToString() => Name ?? Size.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Parses <c>[Param(Shape = "vocab,dModel")]</c>. Shared by the generator (which skips what does not parse) and the
/// analyzers (which report why).
/// </summary>
internal static class ShapeSyntax
{
    public static bool TryParse(string? text, out List<ShapeDim> dims, out string error)
    {
        dims = new List<ShapeDim>();
        error = "";
        if (text is null || text.Trim().Length == 0)
        {
            error = "Shape is empty; list the dimensions, e.g. \"vocab,dModel\"";
            return false;
        }
        string[] parts = text.Split(',');
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        for (int i = 0; i < parts.Length; i++)
        {
            string part = parts[i].Trim();
            if (part.Length == 0)
            {
                error = $"dimension {i + 1} of \"{text}\" is empty";
                return false;
            }
            if (char.IsDigit(part[0]))
            {
                if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out long size) || size < 1)
                {
                    error = $"dimension {i + 1} of \"{text}\" ('{part}') is not a positive integer";
                    return false;
                }
                dims.Add(new ShapeDim(null, size));
                continue;
            }
            if (!SyntaxFacts.IsValidIdentifier(part) || part.StartsWith("@", System.StringComparison.Ordinal))
            {
                error = $"dimension {i + 1} of \"{text}\" ('{part}') is neither a name (a C# identifier) nor a positive integer";
                return false;
            }
            if (!seen.Add(part))
            {
                error = $"dimension '{part}' appears twice in \"{text}\"; a square table needs two names (e.g. \"dIn,dOut\")";
                return false;
            }
            dims.Add(new ShapeDim(part, 0));
        }
        return true;
    }
}
