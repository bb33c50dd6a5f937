namespace Nnx.Analyzers;

/// <summary>What is known for certain about a tensor's dtype.</summary>
internal enum DtypeKind
{
    /// <summary>Not provable: no diagnostic may depend on it.</summary>
    Unknown,

    /// <summary>float16, bfloat16, float32 or float64.</summary>
    Floating,

    /// <summary>An integer dtype.</summary>
    Integer,
}

/// <summary>
/// What data flow proves about one tensor expression: its dtype kind, where that comes from (for messages), and,
/// when every element is a constant, the values (for out-of-range ids).
/// </summary>
/// <param name="Kind">The dtype kind.</param>
/// <param name="Origin">How the tensor was made, e.g. <c>torch.tensor(float[])</c>, for messages.</param>
/// <param name="Constants">All element values, when they are compile-time constants of an integer tensor.</param>
/// <param name="Definition">The expression that created the tensor, when it is unique (the code fix's target).</param>
internal sealed record TensorFact(DtypeKind Kind, string Origin, long[]? Constants = null, Microsoft.CodeAnalysis.IOperation? Definition = null)
{
    public static TensorFact Unknown { get; } = new(DtypeKind.Unknown, "");

    public static TensorFact Floating(string origin) => new(DtypeKind.Floating, origin);

    public static TensorFact Integer(string origin) => new(DtypeKind.Integer, origin);

    /// <summary>Both branches agree (a <c>?:</c>, several assignments): the common kind, else unknown.</summary>
    public static TensorFact Join(TensorFact a, TensorFact b) =>
        a.Kind == b.Kind && a.Kind != DtypeKind.Unknown ? new TensorFact(a.Kind, a.Origin == b.Origin ? a.Origin : a.Origin + " or " + b.Origin) : Unknown;
}
