using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Nnx.Generators.Models;

namespace Nnx.Generators.Rules;

// [Sub] children: the child's type, its dimensions (first pass), its options and ties (second pass).
internal sealed partial class ModuleReader
{
    private void ReadChild(Draft draft)
    {
        DslField f = draft.Field;
        if (f.Field.Type is not INamedTypeSymbol fieldType || fieldType.TypeKind == TypeKind.Error)
        {
            BadSub(draft, "", $"field '{f.Field.Name}' has a type that does not compile; fix that error first");
            return;
        }
        bool countWritten = f.IsWritten("Count");
        bool isList = _symbols.Is(fieldType, _symbols.ModuleList);
        if (isList != countWritten)
        {
            BadSub(draft, countWritten ? "Count" : "", isList
                ? $"field '{f.Field.Name}' is a ModuleList; say how many children to build with Count, e.g. [Sub(Count = \"depth\")]"
                : $"Count builds a list, so field '{f.Field.Name}' must be a ModuleList<{fieldType.Name}>");
            return;
        }
        INamedTypeSymbol child = isList ? fieldType.TypeArguments[0] as INamedTypeSymbol ?? fieldType : fieldType;
        if (_symbols.Is(child, _symbols.RngStream))
        {
            BadSub(draft, "", $"an RngStream is forked from the constructor's Rngs, not built: write [Fork(\"dropout\")] on '{f.Field.Name}'");
            return;
        }
        if (child.TypeKind != TypeKind.Class || child.IsAbstract || child.IsStatic)
        {
            BadSub(draft, "", $"{MetadataShapes.NotAModule(child)}");
            return;
        }
        ModuleShape shape = _book.ShapeOf(child, _visiting, _cancellationToken);
        if (shape.Error is not null)
        {
            bool inCycle = shape.CycleContains(_type);
            if (inCycle) _cycle = shape.Cycle;
            string why = inCycle
                ? $"'{TypeName}' would contain itself through '{f.Field.Name}' ({child.Name}); a module cannot contain itself, directly or through its children"
                : child.DeclaringSyntaxReferences.Length > 0 && Declarations.DslFields(child.OriginalDefinition, _symbols).Any()
                    ? $"its type '{child.Name}' is not generated because of its own errors ({shape.Error}); fix those first"
                    : shape.Error;
            BadSub(draft, "", why);
            return;
        }
        draft.Child = shape;
        draft.ChildTypeCode = child.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        if (isList) ReadCount(draft, f.Named("Count", ""));
        ReadChildDims(draft, isList);
    }

    private void ReadCount(Draft draft, string text)
    {
        if (text.Trim().Length == 0)
        {
            BadExpression(draft, "Count", "Count is empty; give the number of children, e.g. \"depth\" or \"2\"");
            return;
        }
        draft.Count = ExprReader.ReadSize(text, _scope, out string error);
        if (draft.Count is null) BadExpression(draft, "Count", error);
    }

    /// <summary>Each child dimension gets an integer from <c>Dims</c>, or by default the parent's name of the same name.</summary>
    private void ReadChildDims(Draft draft, bool isList)
    {
        ModuleShape child = draft.Child!;
        var given = new Dictionary<string, string>(System.StringComparer.Ordinal);
        foreach (var (name, value) in Pairs(draft, "Dims"))
        {
            if (!child.Dimensions.Any(d => d.Name == name))
            {
                string known = child.Dimensions.Any() ? "its dimensions are " + string.Join(", ", child.Dimensions.Select(d => d.Name)) : "it has no dimensions";
                string hint = child.Options.Any(o => o.Name == name) ? $"; '{name}' is an option of {child.Name}: give it in Options" : "";
                BadSub(draft, "Dims", $"{child.Name} has no dimension '{name}' ({known}){hint}");
                continue;
            }
            if (!given.ContainsKey(name)) given.Add(name, value);
            else BadSub(draft, "Dims", $"Dims gives '{name}' twice");
        }
        foreach (ShapeParameter dim in child.Dimensions)
        {
            _scope.IndexAvailable = isList && given.ContainsKey(dim.Name);
            string text = given.TryGetValue(dim.Name, out string? value) ? value : dim.Name;
            ExprModel? size = ExprReader.ReadSize(text, _scope, out string error);
            if (size is not null) draft.Arguments.Add(new ChildArgument(dim.Name, size, true, false, ""));
            else if (given.ContainsKey(dim.Name)) BadExpression(draft, "Dims", $"{dim.Name}={text}: {error}");
            else BadSub(draft, "", $"{child.Name}'s dimension '{dim.Name}' takes the parent's '{dim.Name}' by default, but {error}; map it in Dims");
        }
        _scope.IndexAvailable = false;
    }

    /// <summary>Each given option is checked against the child's; a required one not given takes the parent's option of that name.</summary>
    private void ReadChildOptions(Draft draft)
    {
        if (draft.Child is not { } child) return;
        _scope.IndexAvailable = draft.Count is not null;
        var given = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var (name, value) in Pairs(draft, "Options"))
        {
            ShapeParameter? option = child.Options.FirstOrDefault(o => o.Name == name);
            if (option?.Type is null)
            {
                string known = child.Options.Any() ? "its options are " + string.Join(", ", child.Options.Select(o => o.Name)) : "it has no options";
                string hint = child.Dimensions.Any(d => d.Name == name) ? $"; '{name}' is a dimension of {child.Name}: give it in Dims" : "";
                BadSub(draft, "Options", $"{child.Name} has no option '{name}' ({known}){hint}");
                continue;
            }
            if (!given.Add(name))
            {
                BadSub(draft, "Options", $"Options gives '{name}' twice");
                continue;
            }
            if (OptionValues.Read(value, option.Type, _scope, out string error) is { } argument)
                draft.Arguments.Add(argument with { Name = name });
            else
                BadSub(draft, "Options", $"{name}={value}: {error}");
        }
        // After a malformed Options, what looks missing is probably in it: one error is enough.
        bool malformed = _problems.Any(p => p.Location == draft.Field.ArgumentLocation("Options"));
        foreach (ShapeParameter option in child.Options.Where(o => o.DefaultCode.Length == 0 && !given.Contains(o.Name) && !malformed))
        {
            if (_scope.Options.TryGetValue(option.Name, out _) && OptionValues.Read(option.Name, option.Type!, _scope, out _) is { } passed)
                draft.Arguments.Add(passed with { Name = option.Name });
            else
                BadSub(draft, "Options", $"{child.Name} needs its option '{option.Name}' ({option.Type!.Display}): give it in Options, e.g. Options = \"{option.Name}=...\"");
        }
        _scope.IndexAvailable = false;
    }

    /// <summary><c>Tied = "kernel=bar.kernel"</c>: the child's parameter becomes another module's.</summary>
    private void ReadTies(Draft draft)
    {
        if (draft.Child is not { } child) return;
        foreach (var (left, right) in Pairs(draft, "Tied"))
        {
            string? why = Paths.ResolveParameter(_book, left, child.Members, child.Name, _visiting, _cancellationToken)
                ?? Paths.ResolveParameter(_book, right, Members().ToList(), TypeName, _visiting, _cancellationToken);
            if (why is null && (right == draft.Field.Field.Name || right.StartsWith(draft.Field.Field.Name + ".", System.StringComparison.Ordinal)))
                why = $"'{right}' is inside '{draft.Field.Field.Name}' itself; tie to another module's parameter";
            if (why is not null)
            {
                Report(RuleIds.BadTie, draft.Field.ArgumentLocation("Tied"), draft.Field.Field.Name, why);
                continue;
            }
            int dot = left.LastIndexOf('.');
            draft.Ties.Add(new TieModel(dot < 0 ? "" : left.Substring(0, dot), dot < 0 ? left : left.Substring(dot + 1), right));
        }
    }

    /// <summary>The <c>name=value</c> pairs of a list argument; malformed parts are reported and skipped.</summary>
    private IEnumerable<(string Name, string Value)> Pairs(Draft draft, string argument)
    {
        string text = draft.Field.Named(argument, "");
        if (text.Trim().Length == 0)
        {
            if (draft.Field.IsWritten(argument)) BadSub(draft, argument, $"{argument} is empty; remove it or give name=value pairs");
            yield break;
        }
        List<string>? parts = TextLists.SplitTopLevel(text);
        if (parts is null)
        {
            BadSub(draft, argument, $"the brackets or quotes of {argument} \"{text}\" do not close");
            yield break;
        }
        foreach (string part in parts)
        {
            if (TextLists.SplitPair(part) is not { } pair || !Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier(pair.Name) && argument != "Tied" || pair.Name.Length == 0 || pair.Value.Length == 0)
            {
                string example = argument switch { "Dims" => "vocab=nTokens", "Tied" => "kernel=encoder.kernel", _ => "epsilon=1e-5" };
                BadSub(draft, argument, $"'{part.Trim()}' in {argument} is not a name=value pair such as {example}");
                continue;
            }
            yield return pair;
        }
    }

    private void BadSub(Draft draft, string argument, string why)
    {
        Report(RuleIds.BadSub, draft.Field.ArgumentLocation(argument), draft.Field.Field.Name, why);
        draft.Broken = true;
    }
}
