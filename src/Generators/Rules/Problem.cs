using Nnx.Generators.Helpers;

namespace Nnx.Generators.Rules;

/// <summary>
/// One broken rule found in a declaration, as values: the analyzers turn it into a diagnostic at
/// <paramref name="Location"/>; the generator skips a module with any problem.
/// </summary>
/// <param name="RuleId">One of <see cref="RuleIds"/>.</param>
/// <param name="Location">Where it is reported: the attribute, or the argument at fault.</param>
/// <param name="Arguments">The message arguments of the rule.</param>
/// <param name="MakePartial">The type that needs <c>partial</c>, when adding it is the fix; else empty.</param>
internal sealed record Problem(string RuleId, LocationInfo? Location, EquatableArray<string> Arguments, string MakePartial = "");
