using System;
using System.Collections.Generic;
using System.Linq;

namespace Nnx;

/// <summary>
/// A state or checkpoint does not fit a module. Thrown before anything is written, so the module is unchanged;
/// <see cref="Differences"/> lists every differing path, not only the first.
/// </summary>
public sealed class StateMismatchException : Exception
{
    /// <summary>Creates the exception; the message is <paramref name="summary"/> followed by one line per difference.</summary>
    public StateMismatchException(string summary, IReadOnlyList<StateDifference> differences)
        : base(Format(summary, differences))
    {
        Differences = differences;
    }

    /// <summary>Every path that differs, in the module's order, then the unexpected ones.</summary>
    public IReadOnlyList<StateDifference> Differences { get; }

    // The message lists the first differences, each cut to one readable line: a file may differ at 600,000 paths, or
    // name one with a megabyte of text. Differences keeps them all.
    private const int ListedDifferences = 20;
    private const int MaxLineLength = 300;

    private static string Format(string summary, IReadOnlyList<StateDifference> differences)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(differences);
        return $"{summary} ({differences.Count} difference{(differences.Count == 1 ? "" : "s")}; nothing was changed):"
            + string.Concat(differences.Take(ListedDifferences).Select(d => Environment.NewLine + "  " + Line(d.ToString())))
            + (differences.Count > ListedDifferences ? $"{Environment.NewLine}  ... and {differences.Count - ListedDifferences} more (all are in Differences)" : "");
    }

    private static string Line(string text) => text.Length <= MaxLineLength ? text : $"{text[..MaxLineLength]}... ({text.Length} characters)";
}
