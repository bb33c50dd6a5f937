using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Nnx.Generators.Helpers;
using Nnx.Generators.Models;
using Nnx.Syntax;

namespace Nnx.Generators.Rules;

// Field rules, variables ([Param], [BatchStat]), forks, [Tied] fields and the member list.
internal sealed partial class ModuleReader
{
    private void CheckField(Draft draft)
    {
        DslField f = draft.Field;
        IFieldSymbol field = f.Field;
        string? why = null;
        if (f.Others.Count > 0)
            why = $"field '{field.Name}' has both [{f.AttributeName}] and [{Name(f.Others[0])}]; keep one";
        else if (!f.ArgumentsCompile)
            why = $"the arguments of [{f.AttributeName}] on '{field.Name}' do not compile; fix those errors first";
        else if (f.Kind == DslKind.Option)
            return;
        else if (field.IsStatic || field.IsConst)
            why = $"field '{field.Name}' is static; each module instance owns its members, remove 'static'";
        else if (field.IsReadOnly && f.Kind is DslKind.Param or DslKind.BatchStat or DslKind.Tied)
            why = $"field '{field.Name}' is readonly; the generated code assigns it when the module is built or moved, remove 'readonly'";
        else if (field.Type.TypeKind == TypeKind.Error)
            why = $"field '{field.Name}' has a type that does not compile ('{field.Type.ToDisplayString()}'); fix that error first";
        else if (ExpectedType(f.Kind) is { } expected && !_symbols.Is(field.Type, expected))
            why = $"field '{field.Name}' is {CodeText.Article($"'{field.Type.ToDisplayString()}'")}; [{f.AttributeName}] needs {CodeText.Article($"'{expected.Name}'")} field ({expected.ToDisplayString()})";
        else if (f.Named("When", "").Trim().Length > 0 && field.Type.NullableAnnotation == NullableAnnotation.NotAnnotated)
            why = $"field '{field.Name}' exists only when \"{f.Named("When", "")}\", so it can be null: declare it '{field.Type.ToDisplayString()}? {field.Name}'";
        if (why is null) return;
        Report(RuleIds.BadPlacement, f.Location, f.AttributeName, field.Name, why);
        draft.Broken = true;
    }

    private INamedTypeSymbol? ExpectedType(DslKind kind) => kind switch
    {
        DslKind.Param or DslKind.Tied => _symbols.Parameter,
        DslKind.BatchStat => _symbols.Tensor,
        DslKind.Fork => _symbols.RngStream,
        _ => null,
    };

    private static string Name(AttributeData attribute)
    {
        string name = attribute.AttributeClass?.Name ?? "";
        return name.EndsWith("Attribute", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
    }

    /// <summary>First pass: the sizes a member declares, which may introduce dimensions.</summary>
    private void ReadSizes(Draft draft)
    {
        _scope.MayIntroduce = true;
        _scope.IndexAvailable = false;
        switch (draft.Field.Kind)
        {
            case DslKind.Param or DslKind.BatchStat:
                ReadShape(draft);
                break;
            case DslKind.Sub:
                ReadChild(draft);
                break;
        }
        _scope.MayIntroduce = false;
    }

    private void ReadShape(Draft draft)
    {
        string text = draft.Field.Named("Shape", "");
        if (text.Trim().Length == 0)
        {
            BadExpression(draft, "Shape", "Shape is empty; list the sizes, e.g. \"vocab,dModel\" or \"dModel,4*dModel\"");
            return;
        }
        List<string>? parts = TextLists.SplitTopLevel(text);
        if (parts is null)
        {
            BadExpression(draft, "Shape", $"the brackets or quotes of \"{text}\" do not close");
            return;
        }
        for (int i = 0; i < parts.Count; i++)
        {
            ExprModel? size = parts[i].Trim().StartsWith("..", System.StringComparison.Ordinal)
                ? ExprReader.ReadSpread(parts[i], _scope, out string error)
                : ExprReader.ReadSize(parts[i], _scope, out error);
            if (size is not null) draft.Shape.Add(size);
            else BadExpression(draft, "Shape", parts.Count == 1 ? error : $"size {i + 1} of \"{text}\": {error}");
        }
    }

    /// <summary>Second pass: conditions, initializers, streams, child options and ties, then the member's model.</summary>
    private void ReadTheRest(Draft draft)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        _scope.MayIntroduce = false;
        _scope.IndexAvailable = false;
        DslField f = draft.Field;
        string when = f.Kind is DslKind.Tied or DslKind.Option ? "" : f.Named("When", "");
        if (when.Trim().Length > 0)
        {
            draft.When = ExprReader.Read(when, ExprType.Bool, _scope, out string error);
            if (draft.When is null) BadExpression(draft, "When", error);
        }
        switch (f.Kind)
        {
            case DslKind.Param:
                ReadInit(draft, "normal");
                draft.Stream = ReadStream(draft, f.Named("Rng", "params"), "Rng");
                draft.Model = new VariableModel(f.Field.Name, draft.When, true, draft.Shape.ToEquatableArray(), f.Named("Init", "normal"), draft.InitCode, "", draft.Stream, f.NamedEnum("Dtype", "Float32"));
                break;
            case DslKind.BatchStat:
                ReadInit(draft, "zeros");
                draft.Model = new VariableModel(f.Field.Name, draft.When, false, draft.Shape.ToEquatableArray(), f.Named("Init", "zeros"), draft.InitCode, "", null, f.NamedEnum("Dtype", "Float32"));
                break;
            case DslKind.Fork:
                draft.Stream = ReadStream(draft, f.Attribute.ConstructorArguments.FirstOrDefault().Value as string ?? "", "");
                draft.Model = new ForkModel(f.Field.Name, draft.When, draft.Stream ?? new StreamModel("", ""));
                break;
            case DslKind.Tied:
                ReadTied(draft);
                draft.Model = new TiedModel(f.Field.Name, draft.TiedPath);
                break;
            case DslKind.Sub:
                ReadChildOptions(draft);
                ReadTies(draft);
                draft.Model = new SubModel(f.Field.Name, draft.When, draft.ChildTypeCode, draft.Count, draft.Arguments.ToEquatableArray(),
                    draft.Child?.TakesParamDtype ?? false, draft.Ties.ToEquatableArray());
                break;
        }
    }

    private void ReadInit(Draft draft, string fallback)
    {
        string text = draft.Field.Named("Init", fallback);
        if (!InitSyntax.TryParse(text, out InitSpec? spec, out string error))
        {
            Report(RuleIds.BadInit, draft.Field.ArgumentLocation("Init"), draft.Field.Field.Name, error);
            return;
        }
        if (draft.Field.Kind == DslKind.BatchStat && spec!.DrawsKey)
        {
            Report(RuleIds.BadInit, draft.Field.ArgumentLocation("Init"), draft.Field.Field.Name,
                $"a [BatchStat] draws no RNG key (as NNX's nnx.BatchStat(jnp.zeros(...))), so its Init must be zeros, ones or constant(c), not '{spec.Form.Name}'; use [Param] for randomly initialised state");
            return;
        }
        draft.InitCode = InitCode.Of(spec!);
    }

    /// <summary>A stream name, or the name of a string option that holds one.</summary>
    private StreamModel? ReadStream(Draft draft, string text, string argument)
    {
        string name = draft.Field.Field.Name;
        if (text.Trim().Length == 0 || text.Any(char.IsControl) || text.Trim() != text)
        {
            Report(RuleIds.BadStream, draft.Field.ArgumentLocation(argument), name,
                text.Trim().Length == 0 ? "the stream name is empty; name a stream such as \"params\" or \"dropout\"" : $"\"{text}\" has spaces or control characters around or in it; stream names are plain words such as \"dropout\"");
            return null;
        }
        if (!_scope.Options.TryGetValue(text, out OptionInfo? option)) return new StreamModel(CodeText.Literal(text), text);
        if (option.Type.Kind != OptionTypeKind.String || option.Type.IsNullable)
        {
            Report(RuleIds.BadStream, draft.Field.ArgumentLocation(argument), name,
                $"\"{text}\" names the option '{text}', which is {CodeText.Article(option.Type.Display)}; a stream option must be a non-nullable string");
            return null;
        }
        string defaultStream = _options.FirstOrDefault(o => o.Info.Name == text).DefaultCode is { Length: > 1 } code && code[0] == '"' ? code.Substring(1, code.Length - 2) : "";
        return new StreamModel(option.Name, defaultStream);
    }

    private void ReadTied(Draft draft)
    {
        string path = draft.Field.Attribute.ConstructorArguments.FirstOrDefault().Value as string ?? "";
        if (Paths.ResolveParameter(_book, path, Members().ToList(), TypeName, _visiting, _cancellationToken) is { } why)
            Report(RuleIds.BadTie, draft.Field.ArgumentLocation(""), draft.Field.Field.Name, why);
        draft.TiedPath = path;
    }

    private void BadExpression(Draft draft, string what, string why) =>
        Report(RuleIds.BadExpression, draft.Field.ArgumentLocation(what), what, draft.Field.Field.Name, why);

    /// <summary>The module's members in state order (a base's first), for tie paths and the signature.</summary>
    private IEnumerable<ShapeMember> Members()
    {
        foreach (ShapeMember m in _baseShape?.Members ?? []) yield return m;
        foreach (Draft d in _drafts.Where(d => d.Field.Kind != DslKind.Option))
        {
            ShapeMemberKind kind = d.Field.Kind switch
            {
                DslKind.Param => ShapeMemberKind.Param,
                DslKind.BatchStat => ShapeMemberKind.BatchStat,
                DslKind.Fork => ShapeMemberKind.Fork,
                DslKind.Tied => ShapeMemberKind.Tied,
                _ => d.Count is null && !d.Field.IsWritten("Count") ? ShapeMemberKind.Sub : ShapeMemberKind.SubList,
            };
            yield return new ShapeMember(d.Field.Field.Name, kind, d.Child?.Type);
        }
    }
}
