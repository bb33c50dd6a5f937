using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Nnx.Generators.Models;

namespace Nnx.Generators.Rules;

// [Option] fields: constructor arguments that are not dimensions.
internal sealed partial class ModuleReader
{
    private readonly List<(Draft Draft, OptionModel Model, OptionInfo Info, string DefaultCode, string Doc)> _options = [];

    private void ReadOptions()
    {
        foreach (Draft draft in _drafts.Where(d => d.Field.Kind == DslKind.Option))
        {
            IFieldSymbol field = draft.Field.Field;
            string name = CodeText.ParameterName(field.Name);
            OptionType type = OptionType.Classify(field.Type);
            var (hasInitializer, isConstant, value) = Declarations.Initializer(field, Compilation);
            string? why = null;
            string defaultCode = "";
            if (field.IsStatic || field.IsConst)
                why = $"option '{field.Name}' is {(field.IsConst ? "const" : "static")}; each module has its own options, make it an instance field";
            else if (type.Kind == OptionTypeKind.Unsupported)
                why = $"option '{field.Name}' is {CodeText.Article(type.Display)}; options are numbers, bool, char, string, enums, their nullable forms and one-dimensional arrays of them";
            else if (ExprScope.Reserved.Contains(name))
                why = $"option '{field.Name}' takes the name '{name}', which the generated constructor uses itself; rename it";
            else if (_options.Any(o => o.Info.Name == name))
                why = $"options '{_options.First(o => o.Info.Name == name).Model.FieldName}' and '{field.Name}' would both be the constructor argument '{name}'; rename one";
            else if (hasInitializer && !isConstant)
                why = type.Kind == OptionTypeKind.Array
                    ? $"option '{field.Name}' has a default array; C# defaults are constants, so an array option's default can only be null (handle null in OnInitialized, or make it required)"
                    : $"the default of option '{field.Name}' is not a constant; write a literal, or leave it without a default to make it required";
            else if (hasInitializer && type.FormatConstant(value) is not { } code)
                why = $"the default of option '{field.Name}' ({value ?? "null"}) is not a value of its type {type.Display}";
            else if (hasInitializer)
                defaultCode = type.FormatConstant(value)!;
            if (why is not null)
            {
                Report(RuleIds.BadOption, draft.Field.Location, field.Name, why);
                draft.Broken = true;
                if (field.IsStatic || field.IsConst) continue;
            }
            var model = new OptionModel(field.Name, name, CodeText.PropertyName(name), type.Code);
            _options.Add((draft, model, new OptionInfo(name, type), defaultCode, Doc(field) ?? $"The <c>{CodeText.Xml(name)}</c> option."));
        }
    }

    private IEnumerable<OptionInfo> InheritedOptions() =>
        _baseShape?.Options.Where(p => p.Type is not null).Select(p => new OptionInfo(p.Name, p.Type!)) ?? [];

    private IEnumerable<string> InheritedDimensions() => _baseShape?.Dimensions.Select(p => p.Name) ?? [];

    /// <summary>The summary of a field's XML doc comment as one line, or null when it has none.</summary>
    private static string? Doc(IFieldSymbol field)
    {
        string? xml = field.GetDocumentationCommentXml();
        if (string.IsNullOrWhiteSpace(xml)) return null;
        try
        {
            XElement? summary = XElement.Parse(xml).Element("summary");
            if (summary is null) return null;
            string inner = string.Concat(summary.Nodes().Select(n => n.ToString()));
            return string.Join(" ", inner.Split((char[]?)null, System.StringSplitOptions.RemoveEmptyEntries));
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }
}
