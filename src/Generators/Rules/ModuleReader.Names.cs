using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Nnx.Generators.Helpers;
using Nnx.Generators.Models;

namespace Nnx.Generators.Rules;

// The generated constructor's parameters, and the names the generated part declares, checked for clashes.
internal sealed partial class ModuleReader
{
    /// <summary>Members the generated part writes, or that every Nnx base already has: no property may take these names.</summary>
    private static readonly string[] GeneratedNames =
        ["RngStreams", "VisitState", "Definition", "NewLike", "ParameterCount", "Summary", "ToString", "RegisterComponents", "OnInitialized", "GetType", "Equals", "GetHashCode", "Dispose"];

    /// <summary>Methods and properties the generated part overrides or declares, which the user must not write.</summary>
    private static readonly string[] WrittenByGenerator = ["RegisterComponents", "_toEpilog", "VisitState", "Definition", "RngStreams", "__NnxSetParameter", "__NnxRegister"];

    private const string RngsDoc = "The RNG streams; each parameter takes one key from its stream, in declaration order.";
    private const string ParamDtypeDoc = "The element type of every parameter, here and in submodules; by default each <c>[Param]</c>'s <c>Dtype</c>.";

    /// <summary>
    /// Required arguments (a base's first, then dimensions and required options in order of first appearance),
    /// <c>rngs</c>, optional options, <c>paramDtype</c>, then one initializer override per parameter.
    /// </summary>
    private List<ParameterModel> Parameters()
    {
        bool derived = _baseKind == BaseKind.Generated;
        var inherited = _baseShape?.Parameters ?? [];
        var list = new List<ParameterModel>();
        list.AddRange(inherited.Where(p => p.Role == ParameterRole.Dimension || (p.Role == ParameterRole.Option && p.DefaultCode.Length == 0)).Select(Inherited));

        var own = _introducedDimensions.Select(d => (d.Ordinal, Parameter: new ParameterModel(d.Name, "long", ParameterRole.Dimension, "", $"Size of the <c>{CodeText.Xml(d.Name)}</c> dimension (at least 1).", false)))
            .Concat(_options.Where(o => o.DefaultCode.Length == 0).Select(o => (o.Draft.Field.Ordinal, Parameter: OptionParameter(o.Info, o.Model, "", o.Doc))))
            .OrderBy(p => p.Ordinal);
        list.AddRange(own.Select(p => p.Parameter));

        list.Add(new ParameterModel("rngs", "global::Nnx.Rngs", ParameterRole.Rngs, "", RngsDoc, derived));
        list.AddRange(inherited.Where(p => p.Role == ParameterRole.Option && p.DefaultCode.Length > 0).Select(Inherited));
        list.AddRange(_options.Where(o => o.DefaultCode.Length > 0).Select(o => OptionParameter(o.Info, o.Model, o.DefaultCode, o.Doc)));
        list.Add(new ParameterModel("paramDtype", "global::TorchSharp.torch.ScalarType?", ParameterRole.ParamDtype, "null", ParamDtypeDoc, derived));
        list.AddRange(inherited.Where(p => p.Role == ParameterRole.Init).Select(Inherited));

        var taken = new HashSet<string>(list.Select(p => p.Name), System.StringComparer.Ordinal);
        foreach (Draft draft in _drafts.Where(d => d.Field.Kind == DslKind.Param))
        {
            // One optional initializer per parameter, like nnx.Embed's embedding_init: "embedding" gives "embeddingInit".
            string stem = draft.Field.Field.Name.TrimStart('_');
            if (stem.Length == 0) continue;
            string argument = char.ToLowerInvariant(stem[0]) + stem.Substring(1) + "Init";
            if (!taken.Add(argument)) continue;
            draft.InitArgument = argument;
            if (draft.Model is VariableModel variable) draft.Model = variable with { InitArgument = argument };
            string init = CodeText.Xml(draft.Field.Named("Init", "normal"));
            list.Add(new ParameterModel(argument, "global::Nnx.Initializer?", ParameterRole.Init, "null",
                $"Replaces the initializer of <c>{CodeText.Xml(draft.Field.Field.Name)}</c> (<c>{init}</c>); its key is drawn all the same.", false));
        }
        return list;
    }

    private static ParameterModel Inherited(ShapeParameter p) => new(p.Name, p.TypeCode, p.Role, p.DefaultCode, p.Doc, true);

    private static ParameterModel OptionParameter(OptionInfo info, OptionModel model, string defaultCode, string doc) =>
        new(info.Name, model.TypeCode, ParameterRole.Option, defaultCode, doc, false);

    private List<ShapeParameter> ShapeParameters(List<ParameterModel> parameters)
    {
        var types = _options.ToDictionary(o => o.Info.Name, o => o.Info.Type);
        foreach (ShapeParameter p in _baseShape?.Options ?? []) types[p.Name] = p.Type!;
        return parameters.Select(p => new ShapeParameter(p.Name, p.Role, p.Role == ParameterRole.Option ? types[p.Name] : null, p.TypeCode, p.DefaultCode, p.Doc)).ToList();
    }

    private void CheckNames(List<ParameterModel> parameters)
    {
        if (_drafts.Count == 0) return;
        LocationInfo? typeLocation = _drafts[0].Field.Location;
        var properties = new Dictionary<string, string>(System.StringComparer.Ordinal);
        foreach (ShapeParameter p in _baseShape?.Parameters.Where(p => p.Role is ParameterRole.Dimension or ParameterRole.Option) ?? [])
            properties[CodeText.PropertyName(p.Name)] = $"{_baseShape!.Name}'s '{p.Name}'";

        foreach (var (ordinal, name) in _introducedDimensions)
            CheckProperty(name, "dimension", _drafts.First(d => d.Field.Ordinal == ordinal).Field.Location, properties);
        for (int i = 0; i < _options.Count; i++)
        {
            var option = _options[i];
            if (UserProperty(option.Model, option.Info.Type))
            {
                // A property the user wrote of the option's name and type replaces the generated one (Dropout's Deterministic).
                _options[i] = option with { Model = option.Model with { UserProperty = true } };
                properties[option.Model.PropertyName] = $"the option '{option.Info.Name}'";
            }
            else if (option.Model.PropertyName == option.Model.FieldName)
                Report(RuleIds.NameClash, option.Draft.Field.Location, option.Model.PropertyName,
                    $"option field '{option.Model.FieldName}' would have a property of its own name; name the field in camelCase ('{char.ToLowerInvariant(option.Model.FieldName[0])}{option.Model.FieldName.Substring(1)}')");
            else
                CheckProperty(option.Info.Name, "option", option.Draft.Field.Location, properties);
        }

        foreach (string name in WrittenByGenerator)
            if (Declarations.UserMembers(_type, name).Any())
                Report(RuleIds.NameClash, typeLocation, name, $"'{TypeName}' declares '{name}', which the generator writes for it; remove or rename yours");
        foreach (ISymbol member in _type.GetMembers().Where(m => m.Name.StartsWith("__nnx", System.StringComparison.OrdinalIgnoreCase) && Declarations.IsUserDeclared(m)))
            Report(RuleIds.NameClash, typeLocation, member.Name, $"names starting with '__nnx' are the generator's; rename '{member.Name}'");

        string[] signature = parameters.Select(p => p.TypeCode.TrimEnd('?')).ToArray();
        foreach (IMethodSymbol constructor in _type.InstanceConstructors.Where(Declarations.IsUserDeclared))
            if (constructor.Parameters.Select(p => p.Type.ToDisplayString(OptionType.CodeFormat).TrimEnd('?')).SequenceEqual(signature))
                Report(RuleIds.NameClash, typeLocation, $"{TypeName}({string.Join(", ", parameters.Select(p => p.Name))})",
                    $"'{TypeName}' declares a constructor with the parameter types of the generated one; remove it or change its parameters");

        foreach (ShapeMember baseMember in _baseShape?.Members ?? [])
            foreach (Draft draft in _drafts.Where(d => d.Field.Field.Name == baseMember.Name && d.Field.Kind != DslKind.Option))
                Report(RuleIds.NameClash, draft.Field.Location, draft.Field.Field.Name,
                    $"base '{_baseShape!.Name}' already has a member '{baseMember.Name}'; state paths and registered names must be unique, rename this field");
    }

    private bool UserProperty(OptionModel option, OptionType type) =>
        Declarations.UserMembers(_type, option.PropertyName).ToArray() is [IPropertySymbol { IsStatic: false, GetMethod: not null } property] &&
        SymbolEqualityComparer.Default.Equals(property.Type, type.Type);

    private void CheckProperty(string name, string what, LocationInfo? location, Dictionary<string, string> properties)
    {
        string property = CodeText.PropertyName(name);
        string? why = null;
        if (property.Length == 0)
            why = $"the {what} '{name}' has no letters to make a property name from";
        else if (properties.TryGetValue(property, out string? other))
            why = $"the {what} '{name}' and {other} would both be the property '{property}'; rename one";
        else if (property == TypeName)
            why = $"the {what} '{name}' would be the property '{property}', the name of its own class; rename the {what}";
        else if (GeneratedNames.Contains(property))
            why = $"the {what} '{name}' would be the property '{property}', which every module has; rename the {what}";
        else if (Declarations.UserMembers(_type, property).Any())
            why = $"the {what} '{name}' would be the property '{property}', but '{TypeName}' already declares '{property}'; rename one of them";
        else if (InheritedMember(property) is { } inherited)
            why = $"the {what} '{name}' would be the property '{property}', which hides {inherited}; rename the {what}";
        if (why is not null) Report(RuleIds.NameClash, location, property, why);
        else properties[property] = $"the {what} '{name}'";
    }

    private string? InheritedMember(string name)
    {
        INamedTypeSymbol? start = _baseKind switch
        {
            BaseKind.Added => _symbols.NnxModule,
            _ => Declarations.DeclaredBase(_type, Compilation),
        };
        for (INamedTypeSymbol? t = start; t is not null; t = t.BaseType)
            if (t.GetMembers(name).FirstOrDefault(m => m.DeclaredAccessibility != Accessibility.Private) is { } member)
                return $"'{t.Name}.{member.Name}'";
        return null;
    }
}
