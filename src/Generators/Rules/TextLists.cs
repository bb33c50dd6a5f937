using System.Collections.Generic;

namespace Nnx.Generators.Rules;

/// <summary>Splits the list-valued attribute strings (<c>Shape</c>, <c>Dims</c>, <c>Options</c>, <c>Tied</c>).</summary>
internal static class TextLists
{
    /// <summary>
    /// The parts of <paramref name="text"/> between top-level commas: commas inside brackets, parentheses and string
    /// or character literals do not split. Returns null when brackets or quotes do not close.
    /// </summary>
    public static List<string>? SplitTopLevel(string text)
    {
        var parts = new List<string>();
        int depth = 0, start = 0;
        char quote = '\0';
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quote != '\0')
            {
                if (c == '\\') i++;
                else if (c == quote) quote = '\0';
                continue;
            }
            switch (c)
            {
                case '"' or '\'': quote = c; break;
                case '(' or '[': depth++; break;
                case ')' or ']':
                    if (--depth < 0) return null;
                    break;
                case ',' when depth == 0:
                    parts.Add(text.Substring(start, i - start));
                    start = i + 1;
                    break;
            }
        }
        if (depth != 0 || quote != '\0') return null;
        parts.Add(text.Substring(start));
        return parts;
    }

    /// <summary>
    /// Splits <c>name=value</c> at the first <c>=</c> that is an assignment (not part of <c>==</c>, <c>&lt;=</c>,
    /// <c>&gt;=</c> or <c>!=</c>); null when there is none.
    /// </summary>
    public static (string Name, string Value)? SplitPair(string part)
    {
        for (int i = 0; i < part.Length; i++)
        {
            if (part[i] != '=') continue;
            if (i + 1 < part.Length && part[i + 1] == '=')
            {
                i++;
                continue;
            }
            if (i > 0 && part[i - 1] is '<' or '>' or '!') continue;
            return (part.Substring(0, i).Trim(), part.Substring(i + 1).Trim());
        }
        return null;
    }
}
