using System.Globalization;
using System.Linq;
using Nnx.Syntax;

namespace Nnx.Generators.Rules;

/// <summary>
/// The typed C# call that builds a parsed <c>Init</c>: <c>normal(0.02)</c> becomes
/// <c>global::Nnx.Initializers.Normal(0.02D)</c>, so a generated module never parses initializer text at run time.
/// </summary>
internal static class InitCode
{
    public static string Of(InitSpec spec) =>
        $"global::Nnx.Initializers.{spec.Form.Factory}({string.Join(", ", spec.Form.Parameters.Select((p, i) => Argument(p.Kind, spec.Values[i])))})";

    private static string Argument(InitArgKind kind, InitValue value) => kind switch
    {
        InitArgKind.Number => OptionType.Double(value.Number),
        InitArgKind.FanMode => "global::Nnx.FanMode." + InitSyntax.FanModeMember(value.Word),
        InitArgKind.Distribution => "global::Nnx.VarianceDistribution." + InitSyntax.DistributionMember(value.Word),
        _ => value.Axes.Length == 0 ? "global::System.Array.Empty<int>()" : "new int[] { " + string.Join(", ", value.Axes.Select(a => a.ToString(CultureInfo.InvariantCulture))) + " }",
    };
}
