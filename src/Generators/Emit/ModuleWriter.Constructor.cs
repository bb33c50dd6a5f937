using System.Collections.Generic;
using System.Linq;
using Nnx.Generators.Models;
using Nnx.Generators.Rules;

namespace Nnx.Generators.Emit;

// The constructor: options first, then every condition and size (checked before anything is built), then the
// members in declaration order, registration, ties and the hook.
internal sealed partial class ModuleWriter
{
    private void WriteConstructor()
    {
        Line("/// <summary>Creates the module and draws its variables from <paramref name=\"rngs\"/> in declaration order, as the equivalent Flax NNX <c>__init__</c> does.</summary>");
        foreach (ParameterModel p in module.Parameters)
            Line($"/// <param name=\"{p.Name}\">{p.Doc}</param>");
        Line(_generatedCode);
        string parameters = string.Join(", ", module.Parameters.Select(p =>
            $"{p.TypeCode} {CodeText.Identifier(p.Name)}{(p.DefaultCode.Length > 0 ? " = " + p.DefaultCode : "")}"));
        string baseCall = _derived
            ? $"base({string.Join(", ", module.Parameters.Where(p => p.Inherited).Select(p => $"{CodeText.Identifier(p.Name)}: {CodeText.Identifier(p.Name)}"))})"
            : $"base({CodeText.Literal(_typeName)})";
        Line($"public {_typeIdentifier}({parameters}) : {baseCall}");
        Line("{");
        w.Indent++;
        Line("global::System.ArgumentNullException.ThrowIfNull(rngs);");
        foreach (string dim in module.Dimensions)
            Line($"this.{CodeText.PropertyName(dim)} = {Support}.Dimension({CodeText.Identifier(dim)}, {CodeText.Literal(dim)}, {CodeText.Literal(_typeName)});");
        foreach (OptionModel option in module.Options)
            Line($"{Field(option.FieldName)} = {CodeText.Identifier(option.ParameterName)};");
        Line("this.__nnxParamDtype = paramDtype;");

        List<MemberModel> members = Members.ToList();
        for (int k = 0; k < members.Count; k++) WriteChecks(members[k], k);
        for (int k = 0; k < members.Count; k++) WriteCreation(members[k], k);

        Line("this.__NnxRegister();");
        for (int k = 0; k < members.Count; k++)
            if (members[k] is SubModel { Ties.Count: > 0 } sub) WriteTies(sub, sub.When is null ? "" : $"if ({When(k)}) ", "Tie");
        foreach (TiedModel tied in members.OfType<TiedModel>())
            Line($"{Field(tied)} = {Support}.TiedParameter(this, {CodeText.Literal(tied.Path)}, {CodeText.Literal(_typeName + "." + tied.FieldName)});");
        if (module.HasHook) Line("this.OnInitialized();");
        w.Indent--;
        Line("}");
        Line();
    }

    // Conditions and sizes are computed up front, so a bad size fails before any tensor is allocated.
    private void WriteChecks(MemberModel m, int k)
    {
        if (m.When is { } when) Line($"bool {When(k)} = {ExprWriter.Write(when, Context("When", m.FieldName))};");
        string guard = m.When is null ? "" : $"!{When(k)} ? null : ";
        switch (m)
        {
            case VariableModel v:
                string context = Context("Shape", v.FieldName);
                Line($"long[]? {Sizes(k)} = {guard}{ExprWriter.Shape(v.Shape, context)};");
                break;
            case SubModel sub:
                if (sub.Count is { } count)
                    Line($"long {Count(k)} = {(m.When is null ? "" : $"!{When(k)} ? 0 : ")}{ExprWriter.Size(count, Context("Count", sub.FieldName))};");
                for (int a = 0; a < sub.Arguments.Count; a++)
                {
                    ChildArgument argument = sub.Arguments[a];
                    if (argument.IsDimension && !argument.Value.UsesIndex && !ExprWriter.IsChecked(argument.Value))
                        Line($"long {Size(k, a)} = {(m.When is null ? "" : $"!{When(k)} ? 0 : ")}{ExprWriter.Size(argument.Value, Context("Dims", sub.FieldName))};");
                }
                break;
        }
    }

    private void WriteCreation(MemberModel m, int k)
    {
        string prefix = m.When is null ? "" : $"if ({When(k)}) ";
        switch (m)
        {
            case VariableModel { IsParam: true } v:
                string init = v.InitArgument.Length > 0 ? CodeText.Identifier(v.InitArgument) : "null";
                Line($"{prefix}{Field(v)} = {Support}.NewParameter({CodeText.Literal(_typeName + "." + v.FieldName)}, {InitField(v)}, {init}, rngs, {StreamCode(v.Stream!)}, {Sizes(k)}!, paramDtype ?? {ScalarType}.{v.Dtype});");
                break;
            case VariableModel v:
                Line($"{prefix}{Field(v)} = {Support}.NewBatchStat({CodeText.Literal(_typeName + "." + v.FieldName)}, {InitField(v)}, rngs, {Sizes(k)}!, {ScalarType}.{v.Dtype});");
                break;
            case SubModel { Count: null } sub:
                Line($"{prefix}{Field(sub)} = {NewChild(sub, k)};");
                break;
            case SubModel sub:
                Line($"{prefix}{Field(sub)} = {Support}.NewModuleList<{sub.ChildType}>({Count(k)}, i => {NewChild(sub, k)});");
                break;
            case ForkModel fork:
                Line($"{prefix}{Field(fork)} = rngs.Fork({StreamCode(fork.Stream)});");
                break;
        }
    }

    private string NewChild(SubModel sub, int k)
    {
        var arguments = new List<string>();
        for (int a = 0; a < sub.Arguments.Count; a++)
        {
            ChildArgument argument = sub.Arguments[a];
            string name = CodeText.Identifier(argument.Name);
            if (argument.IsDimension)
            {
                string value = argument.Value.UsesIndex || ExprWriter.IsChecked(argument.Value) ? ExprWriter.Size(argument.Value, Context("Dims", sub.FieldName)) : Size(k, a);
                arguments.Add($"{name}: {value}");
                continue;
            }
            string context = Context("Options", sub.FieldName);
            string code = ExprWriter.Write(argument.Value, context);
            if (argument.ToInt32) code = $"global::Nnx.Dsl.SizeMath.ToInt32({code}, {CodeText.Literal(argument.Value.Text)}, {context})";
            if (argument.Cast.Length > 0) code = $"{argument.Cast}({code})";
            arguments.Add($"{name}: {code}");
        }
        arguments.Add("rngs: rngs");
        if (sub.TakesParamDtype) arguments.Add("paramDtype: paramDtype");
        return $"new {sub.ChildType}({string.Join(", ", arguments)})";
    }

    /// <summary>
    /// Sibling ties, for one child or each element of a list: <paramref name="method"/> is <c>Tie</c> or <c>Untie</c>,
    /// <paramref name="guard"/> an <c>if (...) </c> for a conditional child, or empty.
    /// </summary>
    private void WriteTies(SubModel sub, string guard, string method)
    {
        foreach (TieModel tie in sub.Ties)
        {
            string below = tie.ChildPath.Length == 0 ? "" : "." + tie.ChildPath;
            string sourceArgument = method == "Tie" ? $", {CodeText.Literal(tie.SourcePath)}" : "";
            string context = CodeText.Literal($"{_typeName}: Tied of '{sub.FieldName}'");
            if (sub.Count is null)
                Line($"{guard}{Support}.{method}(this, {CodeText.Literal(sub.FieldName + below)}, {CodeText.Literal(tie.Variable)}{sourceArgument}, {context});");
            else
                Line($"{guard}for (long i = 0; i < {Field(sub)}.Count; i++) {Support}.{method}(this, {CodeText.Literal(sub.FieldName + ".")} + i.ToString(global::System.Globalization.CultureInfo.InvariantCulture) + {CodeText.Literal(below)}, {CodeText.Literal(tie.Variable)}{sourceArgument}, {context});");
        }
    }

    private static string StreamCode(StreamModel stream) => stream.Code.StartsWith("\"", System.StringComparison.Ordinal) ? stream.Code : CodeText.Identifier(stream.Code);

    private static string When(int k) => $"__nnxWhen{k}";

    private static string Sizes(int k) => $"__nnxShape{k}";

    private static string Count(int k) => $"__nnxCount{k}";

    private static string Size(int k, int a) => $"__nnxSize{k}_{a}";
}
