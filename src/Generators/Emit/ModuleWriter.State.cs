using System.Linq;
using Nnx.Generators.Models;
using Nnx.Generators.Rules;

namespace Nnx.Generators.Emit;

// Registration with TorchSharp, to(dtype/device), state visiting and parameter replacement for ties.
internal sealed partial class ModuleWriter
{
    private void WriteOnInitialized()
    {
        Line("/// <summary>Runs at the end of the generated constructor, once every variable and submodule exists; implement it to add checks or derived state.</summary>");
        Line("partial void OnInitialized();");
        Line();
    }

    private void WriteRegistration()
    {
        Generated("Registration happens in the constructor, by name and without TorchSharp's reflection walk; nothing is left to do here.");
        Line("protected override void RegisterComponents()");
        Line("{");
        Line("}");
        Line();
        Line(_generatedCode);
        Line("private void __NnxRegister()");
        Line("{");
        w.Indent++;
        foreach (MemberModel m in Members)
        {
            string guard = m.When is null ? "" : $"if ({Field(m)} is not null) ";
            string name = CodeText.Literal(m.FieldName);
            switch (m)
            {
                case VariableModel { IsParam: true }: Line($"{guard}this.register_parameter({name}, {Field(m)});"); break;
                case VariableModel: Line($"{guard}this.register_buffer({name}, {Field(m)}, persistent: true);"); break;
                case SubModel or ForkModel: Line($"{guard}this.register_module({name}, {Field(m)});"); break;
            }
        }
        w.Indent--;
        Line("}");
        Line();
    }

    private void WriteToEpilog()
    {
        Generated("Keeps fields and registration in step when <c>to(dtype/device)</c> replaces parameters and buffers.");
        Line($"protected override void _toEpilog({ScalarType}? dtype, global::TorchSharp.torch.Device? device, bool non_blocking)");
        Line("{");
        w.Indent++;
        if (_derived) Line("base._toEpilog(dtype, device, non_blocking);");
        var members = Members.ToList();
        // A tied child parameter is owned by its source: it is cleared first, moved once, then tied again.
        for (int k = 0; k < members.Count; k++)
            if (members[k] is SubModel { Ties.Count: > 0 } sub) WriteTies(sub, NotNull(sub), "Untie");
        foreach (MemberModel m in members.Where(m => m is SubModel or ForkModel))
            Line($"{Support}.MoveTo({Field(m)}, dtype, device, non_blocking);");
        foreach (VariableModel v in members.OfType<VariableModel>())
        {
            string local = "__" + v.FieldName;
            // A conditional member may be absent, and a parameter a parent ties to a sibling's is cleared while moving.
            string nullCheck = v.When is null && !v.IsParam ? "" : $"{Field(v)} is not null && ";
            Line(v.IsParam
                ? $"if ({nullCheck}ReplaceParameter(dtype, device, {Field(v)}, out {Parameter}? {local}))"
                : $"if ({nullCheck}ReplaceBuffer(dtype, device, {Field(v)}, out {Tensor}? {local}))");
            Line("{");
            w.Indent++;
            Line($"{Field(v)}.Dispose();");
            Line($"{Field(v)} = {local}!;");
            Line(v.IsParam
                ? $"this.ConditionallyRegisterParameter({CodeText.Literal(v.FieldName)}, {local});"
                : $"this.ConditionallyRegisterBuffer({CodeText.Literal(v.FieldName)}, {local}, persistent: true);");
            w.Indent--;
            Line("}");
        }
        for (int k = 0; k < members.Count; k++)
            if (members[k] is SubModel { Ties.Count: > 0 } sub) WriteTies(sub, NotNull(sub), "Tie");
        foreach (TiedModel tied in members.OfType<TiedModel>())
            Line($"{Field(tied)} = {Support}.TiedParameter(this, {CodeText.Literal(tied.Path)}, {CodeText.Literal(_typeName + "." + tied.FieldName)});");
        Line("if (device is not null)");
        Line("{");
        w.Indent++;
        Line("this._deviceType = device.type;");
        Line("this._deviceIndex = device.index;");
        w.Indent--;
        Line("}");
        w.Indent--;
        Line("}");
        Line();
    }

    private static string NotNull(MemberModel m) => m.When is null ? "" : $"if ({Field(m)} is not null) ";

    private void WriteVisitState()
    {
        Generated("Reports variables and submodules in declaration order; a tied field is reported under its own name too (the state keeps the first path).");
        Line("public override void VisitState(global::Nnx.IStateVisitor visitor)");
        Line("{");
        w.Indent++;
        Line("global::System.ArgumentNullException.ThrowIfNull(visitor);");
        if (_derived) Line("base.VisitState(visitor);");
        foreach (MemberModel m in Members)
        {
            string guard = m.When is null ? "" : $"if ({Field(m)} is not null) ";
            string name = CodeText.Literal(m.FieldName);
            switch (m)
            {
                case VariableModel { IsParam: true } or TiedModel: Line($"{guard}visitor.Variable({name}, global::Nnx.VariableKind.Param, {Field(m)});"); break;
                case VariableModel: Line($"{guard}visitor.Variable({name}, global::Nnx.VariableKind.BatchStat, {Field(m)});"); break;
                case SubModel { Count: null } or ForkModel: Line($"{guard}visitor.Submodule({name}, {Field(m)});"); break;
                case SubModel:
                    Line($"{guard}for (int i = 0; i < {Field(m)}.Count; i++)");
                    w.Indent++;
                    Line($"visitor.Submodule({CodeText.Literal(m.FieldName + ".")} + i.ToString(global::System.Globalization.CultureInfo.InvariantCulture), {Field(m)}[i]);");
                    w.Indent--;
                    break;
            }
        }
        w.Indent--;
        Line("}");
        Line();
    }

    private void WriteSetParameter()
    {
        Line("/// <summary>Replaces a parameter field and its registration, for a parent that ties it to another module's parameter.</summary>");
        Line(_generatedCode);
        Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        string modifiers = _derived ? "protected override" : module.IsSealed ? "private" : "protected virtual";
        Line($"{modifiers} void __NnxSetParameter(string name, {Parameter}? value)");
        Line("{");
        w.Indent++;
        var parameters = Members.OfType<VariableModel>().Where(v => v.IsParam).ToList();
        if (parameters.Count > 0)
        {
            Line("switch (name)");
            Line("{");
            w.Indent++;
            foreach (VariableModel v in parameters)
            {
                Line($"case {CodeText.Literal(v.FieldName)}:");
                w.Indent++;
                Line($"{Field(v)} = value!;");
                Line($"this.ConditionallyRegisterParameter({CodeText.Literal(v.FieldName)}, value);");
                Line("return;");
                w.Indent--;
            }
            w.Indent--;
            Line("}");
        }
        Line(_derived
            ? "base.__NnxSetParameter(name, value);"
            : $"throw new global::System.ArgumentException({CodeText.Literal(_typeName + " has no parameter '")} + name + \"'.\", nameof(name));");
        w.Indent--;
        Line("}");
        Line();
        if (_derived) return;
        Line(_generatedCode);
        Line($"void global::Nnx.Dsl.IGeneratedModule.SetParameter(string name, {Parameter}? value) => this.__NnxSetParameter(name, value);");
        Line();
    }
}
