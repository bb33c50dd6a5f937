using System.Globalization;
using System.Linq;
using System.Text;
using TorchSharp;

namespace Nnx;

/// <summary>
/// Writes <see cref="Module.Summary"/>: a table over the module's <see cref="State"/>, so the summary walks, orders and
/// ties tensors exactly as <c>GetState</c>, <c>Split</c> and checkpoints do.
/// </summary>
internal static class ModuleSummary
{
    public static string Write(torch.nn.Module module)
    {
        State state = StateTraversal.Collect(module);
        string[][] rows = state.PrintOrder.Select(path => Row(state, path)).ToArray();
        var text = new StringBuilder();
        text.Append(module.GetType().Name).Append(": ")
            .Append(ModuleMembers.ParameterCount(module).ToString("N0", CultureInfo.InvariantCulture)).Append(" parameters").Append('\n');
        string[] header = ["path", "kind", "shape", "dtype", "tied to"];
        int[] widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (string[] row in rows.Prepend(header))
            text.Append(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd()).Append('\n');
        return text.ToString();
    }

    private static string[] Row(State state, string path)
    {
        string tiedTo = state.Aliases.TryGetValue(path, out string? stored) ? stored : "";
        StateVariable v = state.Resolve(path);
        string shape = "(" + string.Join(", ", v.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")";
        return [path, v.Kind.ToString(), shape, v.DType.ToString(), tiedTo];
    }
}
