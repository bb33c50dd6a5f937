using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;

namespace Nnx.Generators.Rules;

/// <summary>One entry of a <c>Shape</c> as written: a plain dimension name, a plain size, or an expression.</summary>
/// <param name="Text">The entry as written, trimmed.</param>
/// <param name="Name">The dimension name, when the entry is just a name.</param>
/// <param name="Size">The size, when the entry is just a positive integer.</param>
internal sealed record ShapeEntry(string Text, string? Name, long? Size)
{
    public override string ToString() => Text;
}

/// <summary>A light reading of <c>Shape</c> for the data-flow analyzers (axis names), without checking it: the rule book does that.</summary>
internal static class ShapeEntries
{
    /// <summary>The entries of <paramref name="shape"/>, or null when it is empty or its brackets do not close.</summary>
    public static List<ShapeEntry>? Parse(string? shape)
    {
        if (shape is null || shape.Trim().Length == 0 || TextLists.SplitTopLevel(shape) is not { } parts) return null;
        var entries = new List<ShapeEntry>();
        foreach (string part in parts)
        {
            string text = part.Trim();
            if (text.Length == 0) return null;
            bool isName = SyntaxFacts.IsValidIdentifier(text) && text[0] != '@';
            bool isSize = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long size) && size > 0;
            entries.Add(new ShapeEntry(text, isName ? text : null, isSize ? size : null));
        }
        return entries;
    }
}
