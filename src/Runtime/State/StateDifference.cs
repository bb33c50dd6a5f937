namespace Nnx;

/// <summary>How a source (a state or a checkpoint) differs from a module at one path.</summary>
public enum StateDifferenceKind
{
    /// <summary>The module has the variable; the source does not.</summary>
    Missing,

    /// <summary>The source has a variable the module does not.</summary>
    Unexpected,

    /// <summary>Both have it, with a different shape or dtype.</summary>
    Mismatched,

    /// <summary>An option of the module's definition differs from the one a checkpoint was saved with (<see cref="StateDifference.Path"/> names the option).</summary>
    Option,
}

/// <summary>One difference between a module's state and a source, e.g. <c>head.bias: expected float32[4], found float32[5]</c>.</summary>
/// <param name="Path">The variable's path in the module (for <see cref="StateDifferenceKind.Unexpected"/>, in the source).</param>
/// <param name="Kind">What differs.</param>
/// <param name="Expected">What the module has, e.g. <c>float32[10, 4]</c>; null when unexpected.</param>
/// <param name="Found">What the source has, with its source path when that differs; null when missing.</param>
public sealed record StateDifference(string Path, StateDifferenceKind Kind, string? Expected, string? Found)
{
    /// <summary>One line naming the path, what was expected and what was found.</summary>
    public override string ToString() => Kind switch
    {
        StateDifferenceKind.Missing => $"{Path}: missing (the module expects {Expected})",
        StateDifferenceKind.Unexpected => $"{Path}: unexpected ({Found}; the module has no such variable)",
        StateDifferenceKind.Option => $"option {Path}: the module has {Expected}, the source was saved with {Found}",
        _ => $"{Path}: expected {Expected}, found {Found}",
    };
}
