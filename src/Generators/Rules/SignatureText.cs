using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Nnx.Generators.Rules;

/// <summary>
/// The text of <c>[ModuleSignature]</c>: <c>nnx1;dims=a,b;members=w:P,ln:S:Nnx.LayerNorm,...</c>. It says which
/// constructor parameters are dimensions (the rest before <c>rngs</c> are required options) and lists the members,
/// which private fields of a referenced assembly do not show.
/// </summary>
internal static class SignatureText
{
    private const string Version = "nnx1";

    private static readonly (ShapeMemberKind Kind, string Code)[] Codes =
        [(ShapeMemberKind.Param, "P"), (ShapeMemberKind.BatchStat, "B"), (ShapeMemberKind.Sub, "S"), (ShapeMemberKind.SubList, "L"), (ShapeMemberKind.Fork, "F"), (ShapeMemberKind.Tied, "T")];

    public static string Write(IEnumerable<string> dimensions, IEnumerable<ShapeMember> members) =>
        $"{Version};dims={string.Join(",", dimensions)};members=" +
        string.Join(",", members.Select(m => m.Child is null ? $"{m.Name}:{Code(m.Kind)}" : $"{m.Name}:{Code(m.Kind)}:{MetadataName(m.Child)}"));

    /// <summary>Reads a signature; null when it is not one this version writes.</summary>
    public static (List<string> Dimensions, List<ShapeMember> Members)? Read(string text, Compilation compilation)
    {
        string[] parts = text.Split(';');
        if (parts.Length != 3 || parts[0] != Version || !parts[1].StartsWith("dims=", System.StringComparison.Ordinal) || !parts[2].StartsWith("members=", System.StringComparison.Ordinal))
            return null;
        List<string> dims = List(parts[1].Substring(5));
        var members = new List<ShapeMember>();
        foreach (string entry in List(parts[2].Substring(8)))
        {
            string[] fields = entry.Split(':');
            if (fields.Length < 2) return null;
            ShapeMemberKind? kind = Codes.Where(c => c.Code == fields[1]).Select(c => (ShapeMemberKind?)c.Kind).FirstOrDefault();
            if (kind is null) return null;
            INamedTypeSymbol? child = fields.Length > 2 ? compilation.GetTypeByMetadataName(fields[2]) : null;
            members.Add(new ShapeMember(fields[0], kind.Value, child));
        }
        return (dims, members);
    }

    /// <summary>The name <c>GetTypeByMetadataName</c> resolves: <c>Ns.Outer+Inner`1</c>.</summary>
    public static string MetadataName(INamedTypeSymbol type)
    {
        var chain = new List<string>();
        for (INamedTypeSymbol? t = type.OriginalDefinition; t is not null; t = t.ContainingType) chain.Insert(0, t.MetadataName);
        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : "";
        return ns + string.Join("+", chain);
    }

    private static string Code(ShapeMemberKind kind) => Codes.First(c => c.Kind == kind).Code;

    private static List<string> List(string text) => text.Length == 0 ? [] : text.Split(',').ToList();
}
