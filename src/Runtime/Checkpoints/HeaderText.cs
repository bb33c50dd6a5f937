using System;
using System.Globalization;
using System.Text.Json;

namespace Nnx;

/// <summary>
/// Names and values from a checkpoint's header as error messages show them: quoted and cut short, because a header
/// may hold a 100 MB name and the message must stay readable.
/// </summary>
internal static class HeaderText
{
    /// <summary>How many characters of a name or value a message shows.</summary>
    public const int MaxShown = 120;

    /// <summary>The end of a message about a string <see cref="JsonElement.GetString"/> cannot decode.</summary>
    public const string InvalidString =
        "a string that is not valid Unicode (an escaped lone surrogate such as \\ud800, which no UTF-8 text can hold).";

    /// <summary><c>'name'</c>, or its first <see cref="MaxShown"/> characters and its length.</summary>
    public static string Quote(string text) => $"'{Shorten(text)}'";

    /// <summary>A JSON value's source text, cut short as <see cref="Quote"/> does.</summary>
    public static string Raw(JsonElement value) => Shorten(value.GetRawText());

    /// <summary><c>[2, 3]</c>; a shape of more than 8 dimensions shows its first 8 and its rank.</summary>
    public static string Shape(long[] shape) => shape.Length <= 8
        ? StateFormat.Shape(shape)
        : string.Create(CultureInfo.InvariantCulture, $"{StateFormat.Shape(new ReadOnlySpan<long>(shape, 0, 8))[..^1]}, ...] ({shape.Length} dimensions)");

    private static string Shorten(string text)
    {
        if (text.Length <= MaxShown) return text;
        int cut = char.IsHighSurrogate(text[MaxShown - 1]) ? MaxShown - 1 : MaxShown;
        return string.Create(CultureInfo.InvariantCulture, $"{text[..cut]}... ({text.Length} characters)");
    }
}
