using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>Writes <see cref="Module.Summary"/> by walking <see cref="IModule.VisitState"/>.</summary>
internal sealed class ModuleSummary : IStateVisitor
{
    private readonly List<string[]> _rows = [];
    private readonly Dictionary<Tensor, string> _firstPath = new(ReferenceEqualityComparer.Instance);
    private string _prefix = "";

    public static string Write<T>(T module) where T : TorchSharp.torch.nn.Module, IModule
    {
        var summary = new ModuleSummary();
        module.VisitState(summary);
        var text = new StringBuilder();
        text.Append(module.GetType().Name).Append(": ")
            .Append(ModuleMembers.ParameterCount(module).ToString("N0", CultureInfo.InvariantCulture)).Append(" parameters").Append('\n');
        string[] header = ["path", "kind", "shape", "dtype", "tied to"];
        int[] widths = header.Select((h, i) => summary._rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (string[] row in summary._rows.Prepend(header))
            text.Append(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd()).Append('\n');
        return text.ToString();
    }

    public void Variable(string name, VariableKind kind, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string path = _prefix + name;
        string tiedTo = _firstPath.TryGetValue(value, out string? first) ? first : "";
        _firstPath.TryAdd(value, path);
        string shape = "(" + string.Join(", ", value.shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")";
        _rows.Add([path, kind.ToString(), shape, value.dtype.ToString(), tiedTo]);
    }

    public void Submodule(string name, IModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        string outer = _prefix;
        _prefix = outer + name + ".";
        module.VisitState(this);
        _prefix = outer;
    }
}
