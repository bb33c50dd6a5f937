using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Nnx.Generators.Rules;

/// <summary>Resolves the dotted paths of ties (<c>"embed.embedding"</c>, <c>"blocks.0.up"</c>) through module shapes.</summary>
internal static class Paths
{
    /// <summary>Whether <paramref name="path"/> is written as a path: identifiers or list indices, separated by dots.</summary>
    public static bool IsPath(string path) =>
        path.Length > 0 && path.Split('.').All(s => s.Length > 0 && (SyntaxFacts.IsValidIdentifier(s) || s.All(char.IsDigit)));

    /// <summary>Null when <paramref name="path"/> names a parameter among <paramref name="members"/>; else why not.</summary>
    public static string? ResolveParameter(RuleBook book, string path, IReadOnlyList<ShapeMember> members, string owner, ImmutableList<INamedTypeSymbol> visiting, CancellationToken cancellationToken)
    {
        if (!IsPath(path))
            return $"\"{path}\" is not a path; write the parameter's dotted path, e.g. \"embed.embedding\" or \"blocks.0.kernel\"";
        string[] segments = path.Split('.');
        for (int i = 0; i < segments.Length; i++)
        {
            string so = string.Join(".", segments.Take(i + 1));
            ShapeMember? member = members.FirstOrDefault(m => m.Name == segments[i]);
            if (member is null)
                return $"\"{path}\" names nothing: '{segments[i]}' is not a member of {owner} (members: {(members.Count == 0 ? "none" : string.Join(", ", members.Select(m => m.Name)))})";
            bool last = i == segments.Length - 1;
            switch (member.Kind)
            {
                case ShapeMemberKind.Param or ShapeMemberKind.Tied:
                    return last ? null : $"\"{path}\" goes below '{so}', which is a parameter";
                case ShapeMemberKind.BatchStat:
                    return $"\"{path}\" names '{so}', a [BatchStat] buffer; only parameters can be tied";
                case ShapeMemberKind.Fork:
                    return $"\"{path}\" names '{so}', an RNG stream; only parameters can be tied";
            }
            if (last) return $"\"{path}\" names the submodule '{so}'; name one of its parameters";
            if (member.Kind == ShapeMemberKind.SubList)
            {
                if (!segments[++i].All(char.IsDigit))
                    return $"\"{path}\": '{so}' is a list, so the next segment must be an element index such as 0";
                if (i == segments.Length - 1) return $"\"{path}\" names an element of the list '{so}'; name one of its parameters";
            }
            if (member.Child is null) return $"\"{path}\": the type of '{so}' is not known";
            ModuleShape child = book.ShapeOf(member.Child, visiting, cancellationToken);
            if (child.Error is not null) return null;   // the child's own problem is reported where it is declared
            members = child.Members;
            owner = child.Name;
        }
        return null;
    }
}
