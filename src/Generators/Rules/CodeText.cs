using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Nnx.Generators.Rules;

/// <summary>How names and strings are spelled in generated code and messages.</summary>
internal static class CodeText
{
    /// <summary>A name usable as a C# identifier: keywords get <c>@</c>.</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>A C# string literal.</summary>
    public static string Literal(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    /// <summary><c>dModel</c> becomes <c>DModel</c>, <c>vocab_size</c> becomes <c>VocabSize</c>, <c>_rate</c> becomes <c>Rate</c>.</summary>
    public static string PropertyName(string name) =>
        string.Concat(name.Split('_').Where(s => s.Length > 0).Select(s => char.ToUpperInvariant(s[0]) + s.Substring(1)));

    /// <summary>The constructor parameter for a field: its name without leading underscores.</summary>
    public static string ParameterName(string field)
    {
        string trimmed = field.TrimStart('_');
        return trimmed.Length == 0 ? field : trimmed;
    }

    /// <summary>"a" or "an" before a word, for messages ("an interface", "a struct").</summary>
    public static string Article(string word) => word.Length > 0 && "aeiou".IndexOf(char.ToLowerInvariant(word[0])) >= 0 ? "an " + word : "a " + word;

    /// <summary>Text escaped for an XML doc comment.</summary>
    public static string Xml(string value) => value.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
