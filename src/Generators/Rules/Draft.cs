using System.Collections.Generic;
using Nnx.Generators.Models;

namespace Nnx.Generators.Rules;

/// <summary>One member being read: what each pass found, until it becomes a <see cref="MemberModel"/>.</summary>
internal sealed class Draft
{
    public Draft(DslField field) => Field = field;

    public DslField Field { get; }

    /// <summary>Set when the field itself breaks a rule: the passes skip it, so one mistake gives one error.</summary>
    public bool Broken { get; set; }

    public List<ExprModel> Shape { get; } = [];

    public ModuleShape? Child { get; set; }

    /// <summary>The child type as written in the field, fully qualified (with its type arguments).</summary>
    public string ChildTypeCode { get; set; } = "";

    public ExprModel? Count { get; set; }

    public List<ChildArgument> Arguments { get; } = [];

    public List<TieModel> Ties { get; } = [];

    public ExprModel? When { get; set; }

    public StreamModel? Stream { get; set; }

    public string InitCode { get; set; } = "";

    public string InitArgument { get; set; } = "";

    public string TiedPath { get; set; } = "";

    /// <summary>The member model, built once both passes are done (null for options, which have their own model).</summary>
    public MemberModel? Model { get; set; }
}
