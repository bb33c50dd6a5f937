using System.Collections.Generic;
using System.Linq;
using Nnx.Generators.Models;
using Nnx.Generators.Rules;

namespace Nnx.Generators.Emit;

// RNG streams, the module's definition (type and constructor arguments) and the forward override.
internal sealed partial class ModuleWriter
{
    private void WriteRngStreams()
    {
        var parts = new List<string>
        {
            module.Streams.Count == 0 ? "global::System.Array.Empty<string>()" : "new string[] { " + string.Join(", ", module.Streams.Select(CodeText.Literal)) + " }",
        };
        foreach (SubModel sub in Members.OfType<SubModel>()) parts.Add($"{sub.ChildType}.RngStreams");
        // Static members are not inherited through overriding: a derived module lists its generated base's streams.
        if (_derived) parts.Insert(0, $"{module.BaseType}.RngStreams");
        Generated("The RNG streams this module and its submodules draw keys from, as far as they are known at compile time (streams an <c>Rngs</c> lacks fall back to <c>default</c>).");
        Line($"public static {(_derived ? "new " : "")}global::System.Collections.Generic.IReadOnlyList<string> RngStreams {{ get; }} = {Support}.Streams({string.Join(", ", parts)});");
        Line();
    }

    private void WriteDefinition()
    {
        var arguments = module.Parameters.Where(p => p.Role is ParameterRole.Dimension or ParameterRole.Option or ParameterRole.ParamDtype).ToList();
        string self = $"{_typeIdentifier}{module.Type.Self.TypeParameters}";
        Generated("The module's definition: its type and the constructor arguments it was built with, from which <c>NewLike</c>, <c>Merge</c> and <c>Clone</c> rebuild it.");
        Line("public override global::Nnx.ModuleDefinition Definition => new global::Nnx.ModuleDefinition(");
        w.Indent++;
        Line($"typeof({self}),");
        Line("new global::Nnx.ModuleArgument[]");
        Line("{");
        w.Indent++;
        foreach (ParameterModel p in arguments)
        {
            string kind = p.Role switch { ParameterRole.Dimension => "Dimension", ParameterRole.Option => "Option", _ => "ParamDtype" };
            // Own options are read from their fields (what the constructor was given); a base's through its property.
            OptionModel? own = module.Options.FirstOrDefault(o => o.ParameterName == p.Name);
            string value = p.Role == ParameterRole.ParamDtype ? "this.__nnxParamDtype"
                : own is not null ? "this." + CodeText.Identifier(own.FieldName)
                : "this." + CodeText.PropertyName(p.Name);
            Line($"new({CodeText.Literal(p.Name)}, global::Nnx.ModuleArgumentKind.{kind}, {value}),");
        }
        w.Indent--;
        Line("},");
        string build = string.Join(", ", module.Parameters.Select(p => p.Role switch
        {
            ParameterRole.Rngs => "rngs: rngs",
            ParameterRole.Init => null,
            _ => $"{CodeText.Identifier(p.Name)}: ({p.TypeCode})a[{arguments.IndexOf(p)}]{(p.TypeCode.EndsWith("?", System.StringComparison.Ordinal) ? "" : "!")}",
        }).Where(a => a is not null));
        Line($"static (a, rngs) => new {self}({build}));");
        w.Indent--;
        Line();
    }

    private void WriteForward()
    {
        ForwardModel forward = module.Forward!;
        var parameters = forward.ParameterTypes.Select((t, i) => (Type: t, Name: forward.ParameterTypes.Count == 1 ? "input" : $"input{i + 1}")).ToList();
        Generated("TorchSharp's entry point: calls <c>Forward</c>; <c>call</c> runs the forward hooks around it.");
        Line($"public override {forward.ReturnType} forward({string.Join(", ", parameters.Select(p => $"{p.Type} {p.Name}"))}) => this.Forward({string.Join(", ", parameters.Select(p => p.Name))});");
    }
}
