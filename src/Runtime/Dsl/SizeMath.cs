using System;
using System.ComponentModel;
using System.Linq;

namespace Nnx.Dsl;

/// <summary>
/// The integer arithmetic of declarations (<c>Shape = "dModel/numHeads"</c>, <c>Count = "widths.Length - 1"</c>), as the
/// generated constructor evaluates it: exact division, no overflow, sizes at least 1, and every error naming the
/// values involved. Called by generated code only.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SizeMath
{
    /// <summary><paramref name="a"/> + <paramref name="b"/>, <paramref name="text"/> being the expression.</summary>
    public static long Add(long a, long b, string text, string context)
    {
        try { return checked(a + b); }
        catch (OverflowException) { throw Overflow(text, $"{a} + {b}", context); }
    }

    /// <summary><paramref name="a"/> - <paramref name="b"/>.</summary>
    public static long Subtract(long a, long b, string text, string context)
    {
        try { return checked(a - b); }
        catch (OverflowException) { throw Overflow(text, $"{a} - {b}", context); }
    }

    /// <summary><paramref name="a"/> * <paramref name="b"/>.</summary>
    public static long Multiply(long a, long b, string text, string context)
    {
        try { return checked(a * b); }
        catch (OverflowException) { throw Overflow(text, $"{a} * {b}", context); }
    }

    /// <summary>-<paramref name="a"/>.</summary>
    public static long Negate(long a, string text, string context)
    {
        try { return checked(-a); }
        catch (OverflowException) { throw Overflow(text, $"-({a})", context); }
    }

    /// <summary><paramref name="a"/> / <paramref name="b"/>, which must be exact: sizes never round.</summary>
    /// <exception cref="ArgumentException">The division is not exact or divides by zero; the message names both values.</exception>
    public static long Divide(long a, long b, string left, string right, string context)
    {
        if (b == 0)
            throw new ArgumentException($"{context}: {right} is 0, so {left} ({a}) cannot be divided by it.");
        if (a % b != 0)
            throw new ArgumentException($"{context}: {left} ({a}) is not divisible by {right} ({b}); choose sizes that divide exactly.");
        return a / b;
    }

    /// <summary>Checks that a computed size is at least 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">It is not; the message names the expression and its value.</exception>
    public static long Size(long value, string text, string context)
    {
        if (value < 1)
            throw new ArgumentOutOfRangeException(text, value, $"{context}: {text} is {value}; a size must be at least 1.");
        return value;
    }

    /// <summary>Element <paramref name="index"/> of an array option.</summary>
    /// <exception cref="ArgumentException">The array is null or too short; the message names it, its length and the index.</exception>
    public static long Element(long[]? array, long index, string arrayName, string indexText, string context) =>
        array?[CheckIndex(array?.Length, index, arrayName, indexText, context)] ?? 0;

    /// <inheritdoc cref="Element(long[], long, string, string, string)"/>
    public static long Element(int[]? array, long index, string arrayName, string indexText, string context) =>
        array?[CheckIndex(array?.Length, index, arrayName, indexText, context)] ?? 0;

    /// <summary>The length of an array option.</summary>
    /// <exception cref="ArgumentNullException">The array is null.</exception>
    public static long Length(Array? array, string arrayName, string context) =>
        array?.Length ?? throw new ArgumentNullException(arrayName, $"{context}: option '{arrayName}' is null, but its length is needed.");

    /// <summary>The elements of an array option spread into a shape (<c>..kernelSize</c>), each checked as a size.</summary>
    /// <exception cref="ArgumentNullException">The array is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An element is below 1; the message names it.</exception>
    public static long[] Sizes(long[]? array, string arrayName, string context) =>
        CheckSizes(array?.ToArray(), arrayName, context);

    /// <inheritdoc cref="Sizes(long[], string, string)"/>
    public static long[] Sizes(int[]? array, string arrayName, string context) =>
        CheckSizes(array?.Select(v => (long)v).ToArray(), arrayName, context);

    /// <summary>The parts of a shape, in order.</summary>
    public static long[] Concat(params long[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>A computed value for an <c>int</c> argument.</summary>
    /// <exception cref="ArgumentOutOfRangeException">It does not fit an <c>int</c>.</exception>
    public static int ToInt32(long value, string text, string context) =>
        value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw new ArgumentOutOfRangeException(text, value, $"{context}: {text} is {value}, which does not fit an int.");

    private static long[] CheckSizes(long[]? sizes, string arrayName, string context)
    {
        if (sizes is null)
            throw new ArgumentNullException(arrayName, $"{context}: option '{arrayName}' is null, but its elements are sizes of the shape.");
        for (int i = 0; i < sizes.Length; i++)
            if (sizes[i] < 1)
                throw new ArgumentOutOfRangeException(arrayName, sizes[i], $"{context}: {arrayName}[{i}] is {sizes[i]}; a size must be at least 1.");
        return sizes;
    }

    private static int CheckIndex(int? length, long index, string arrayName, string indexText, string context)
    {
        if (length is null)
            throw new ArgumentNullException(arrayName, $"{context}: option '{arrayName}' is null, but {arrayName}[{indexText}] is needed.");
        if (index < 0 || index >= length)
            throw new ArgumentException($"{context}: {arrayName}[{indexText}] needs index {index}, but '{arrayName}' has {length} element(s).");
        return (int)index;
    }

    private static ArgumentException Overflow(string text, string values, string context) =>
        new($"{context}: {text} overflows a 64-bit integer ({values}).");
}
