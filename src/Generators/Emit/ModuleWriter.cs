using System.CodeDom.Compiler;
using System.Collections.Generic;
using System.Linq;
using Nnx.Generators.Models;
using Nnx.Generators.Rules;

namespace Nnx.Generators.Emit;

/// <summary>Writes the members of one module: the order of the methods called by <see cref="Write"/> is the order in the file.</summary>
internal sealed partial class ModuleWriter
{
    private const string ScalarType = "global::TorchSharp.torch.ScalarType";
    private const string Parameter = "global::TorchSharp.Modules.Parameter";
    private const string Tensor = "global::TorchSharp.torch.Tensor";
    private const string Support = "global::Nnx.Dsl.ModuleSupport";

    private readonly IndentedTextWriter w;
    private readonly ModuleModel module;
    private readonly string _typeName;
    private readonly string _typeIdentifier;
    private readonly string _generatedCode;
    private readonly bool _derived;

    public ModuleWriter(IndentedTextWriter writer, ModuleModel model)
    {
        w = writer;
        module = model;
        _typeName = model.Type.Self.Name;
        _typeIdentifier = CodeText.Identifier(_typeName);
        _generatedCode = $"[global::System.CodeDom.Compiler.GeneratedCode(\"Nnx.Generators\", \"{model.Version}\")]";
        _derived = model.Base == BaseKind.Generated;
    }

    private IEnumerable<MemberModel> Members => module.Members;

    public void Write()
    {
        WriteDimensionProperties();
        WriteOptionProperties();
        WriteRngStreams();
        WriteFields();
        WriteConstructor();
        if (module.HasHook) WriteOnInitialized();
        WriteRegistration();
        WriteToEpilog();
        WriteVisitState();
        WriteSetParameter();
        WriteDefinition();
        if (module.Forward is not null) WriteForward();
    }

    private void Line(string text = "")
    {
        if (text.Length == 0) w.WriteLineNoTabs(string.Empty);
        else w.WriteLine(text);
    }

    private void Generated(string summary)
    {
        Line($"/// <summary>{summary}</summary>");
        Line(_generatedCode);
    }

    private void WriteDimensionProperties()
    {
        foreach (string dim in module.Dimensions)
        {
            Generated($"Size of the <c>{CodeText.Xml(dim)}</c> dimension, as passed to the constructor.");
            Line($"public long {CodeText.PropertyName(dim)} {{ get; }}");
            Line();
        }
    }

    private void WriteOptionProperties()
    {
        foreach (OptionModel option in module.Options.Where(o => !o.UserProperty))
        {
            string doc = module.Parameters.FirstOrDefault(p => p.Name == option.ParameterName)?.Doc ?? "";
            Generated(doc.Length > 0 ? doc : $"The <c>{CodeText.Xml(option.ParameterName)}</c> option, as passed to the constructor.");
            Line($"public {option.TypeCode} {option.PropertyName} => this.{CodeText.Identifier(option.FieldName)};");
            Line();
        }
    }

    private void WriteFields()
    {
        Line($"private readonly {ScalarType}? __nnxParamDtype;");
        foreach (VariableModel v in Members.OfType<VariableModel>())
            Line($"private static readonly global::Nnx.Initializer {InitField(v)} = {v.InitCode};");
        Line();
    }

    private static string InitField(VariableModel v) => "__nnxInit_" + v.FieldName;

    /// <summary>"Type: what of 'field'" as a C# literal, for the messages of errors raised while building.</summary>
    private string Context(string what, string field) => CodeText.Literal($"{_typeName}: {what} of '{field}'");

    private static string Field(MemberModel m) => "this." + CodeText.Identifier(m.FieldName);

    private static string Field(string name) => "this." + CodeText.Identifier(name);
}
