using System;

namespace Nnx;

/// <summary>
/// Declares an RNG stream a generated module keeps as its own state, forked from the constructor's <c>Rngs</c>:
/// <c>[Fork("dropout")] private RngStream rngs;</c> is Flax NNX's <c>self.rngs = rngs["dropout"].fork()</c>.
/// </summary>
/// <remarks>
/// One key of the stream is drawn at the field's place in declaration order and becomes the key of the module's own
/// <see cref="RngStream"/>, whose key and count are variables (kinds <see cref="VariableKind.RngKey"/> and
/// <see cref="VariableKind.RngCount"/>): <c>GetState</c> shows them, filters select them, and <c>Clone</c>,
/// <c>Merge</c> and checkpoints carry them, so a resumed run draws the same keys.
/// </remarks>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class ForkAttribute : Attribute
{
    /// <summary>Forks <paramref name="stream"/>: a stream name, or the name of a <c>string</c> <c>[Option]</c> holding one.</summary>
    public ForkAttribute(string stream) => Stream = stream;

    /// <summary>The stream that is forked (or the option naming it).</summary>
    public string Stream { get; }

    /// <summary>A condition over the module's options, as <see cref="ParamAttribute.When"/>.</summary>
    public string When { get; set; } = "";
}
