namespace Nnx.Generators.Rules;

/// <summary>
/// The diagnostic IDs of the rule book. The analyzers' <c>Descriptors</c> give each its title, message format and
/// help page; the rule book only says which rule a problem breaks and fills the message's arguments.
/// </summary>
internal static class RuleIds
{
    /// <summary>A bad <c>Shape</c>, <c>Dims</c>, <c>Count</c> or <c>When</c>: {0} what, {1} field, {2} why.</summary>
    public const string BadExpression = "NNX0003";

    /// <summary>A bad <c>Init</c>: {0} field, {1} why.</summary>
    public const string BadInit = "NNX0004";

    /// <summary>A member the generator cannot place: {0} attribute, {1} field, {2} why.</summary>
    public const string BadPlacement = "NNX0005";

    /// <summary>A bad <c>[Sub]</c>: {0} field, {1} why.</summary>
    public const string BadSub = "NNX0009";

    /// <summary>A bad <c>[Option]</c>: {0} field, {1} why.</summary>
    public const string BadOption = "NNX0010";

    /// <summary>A generated member that would clash with another: {0} the generated member, {1} why.</summary>
    public const string NameClash = "NNX0011";

    /// <summary>A bad RNG stream name in <c>Rng</c> or <c>[Fork]</c>: {0} field, {1} why.</summary>
    public const string BadStream = "NNX0012";

    /// <summary>A tie that names no parameter: {0} field, {1} why.</summary>
    public const string BadTie = "NNX0013";
}
