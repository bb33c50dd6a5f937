using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Nnx.Package.Tests;

/// <summary>A <c>## </c> section of the repository's README.md and its fenced code blocks, in order.</summary>
internal sealed class ReadmeSection
{
    private ReadmeSection(IReadOnlyList<(string Language, string Code)> blocks) => Blocks = blocks;

    /// <summary>Every fenced block of the section: its language tag and its text.</summary>
    public IReadOnlyList<(string Language, string Code)> Blocks { get; }

    /// <summary>The blocks tagged <paramref name="language"/>.</summary>
    public string[] Code(string language) => Blocks.Where(b => b.Language == language).Select(b => b.Code).ToArray();

    /// <summary>Reads the section titled <paramref name="title"/> (the text after <c>## </c>).</summary>
    public static ReadmeSection Read(string title)
    {
        string[] lines = File.ReadAllLines(Path.Combine(PackedPackage.RepositoryRoot(), "README.md"));
        int start = Array.IndexOf(lines, "## " + title);
        if (start < 0) throw new InvalidOperationException($"README.md has no section '## {title}'.");
        var blocks = new List<(string, string)>();
        for (int i = start + 1; i < lines.Length && !lines[i].StartsWith("## ", StringComparison.Ordinal); i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal)) continue;
            string language = lines[i][3..].Trim();
            int end = Array.FindIndex(lines, i + 1, l => l.StartsWith("```", StringComparison.Ordinal));
            blocks.Add((language, string.Join('\n', lines[(i + 1)..end]) + "\n"));
            i = end;
        }
        return new ReadmeSection(blocks);
    }
}
