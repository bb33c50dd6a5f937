using System.Linq;
using Microsoft.CodeAnalysis;

namespace Nnx.Benchmarks.CompileTime;

/// <summary>The second compile-time target is not a timing: after a body edit no generator output may run again.</summary>
internal static class EditReruns
{
    /// <summary>Runs a step-tracking driver on <paramref name="before"/>, then on <paramref name="after"/>, and says how many outputs re-ran.</summary>
    public static string Describe(Compilation before, Compilation after)
    {
        GeneratorDriver driver = CompileWorkload.NewDriver(trackSteps: true).RunGenerators(before);
        GeneratorRunResult result = driver.RunGenerators(after).GetRunResult().Results.Single();
        var outputs = result.TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(step => step.Outputs).ToArray();
        int rerun = outputs.Count(o => o.Reason is IncrementalStepRunReason.New or IncrementalStepRunReason.Modified);
        return $"// Edit in one method body of {CompileWorkload.Modules} modules: {rerun} of {outputs.Length} generator outputs re-ran " +
               $"({string.Join(", ", outputs.GroupBy(o => o.Reason).Select(g => $"{g.Key}: {g.Count()}"))}).";
    }
}
