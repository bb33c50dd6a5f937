using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace Nnx.Runtime.Tests.Crash;

/// <summary>
/// Runs public static parameterless methods ("cases") of a test class in a child process (the
/// <c>Nnx.CrashProbe</c> program), so a native abort shows up as a <see cref="ProbeKind.Crashed"/> outcome instead of
/// killing the test host.
/// </summary>
/// <remarks>
/// Several cases share one child to save the ~1 s a process with libtorch takes to start; when one crashes, the
/// cases after it run again in a fresh child, so every case gets its own outcome. Cases must not depend on each
/// other's side effects.
/// </remarks>
public static class ChildProcessProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>Runs <paramref name="cases"/> of <paramref name="type"/> and returns their outcomes by case name.</summary>
    public static IReadOnlyDictionary<string, ProbeOutcome> Run(Type type, params string[] cases)
    {
        var outcomes = new Dictionary<string, ProbeOutcome>();
        string[] remaining = cases;
        while (remaining.Length > 0)
        {
            var (exitCode, stdout, stderr) = Start(type, remaining);
            string? running = null;
            foreach (string line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] f = line.Split('\t').Select(Unescape).ToArray();
                switch (f[0])
                {
                    case "BEGIN": running = f[1]; break;
                    case "RETURNED": outcomes[f[1]] = new ProbeOutcome(f[1], ProbeKind.Returned, Result: f[2]); running = null; break;
                    case "THREW": outcomes[f[1]] = new ProbeOutcome(f[1], ProbeKind.Threw, ExceptionType: f[2], Message: f[3]); running = null; break;
                    default: throw new InvalidOperationException($"Unexpected probe output line '{line}'.");
                }
            }
            if (exitCode == 0 && running is null && remaining.All(outcomes.ContainsKey)) break;
            if (exitCode == 0 || running is null)
                throw new InvalidOperationException($"The probe failed outside any case (exit code {exitCode}): {stderr}");
            outcomes[running] = new ProbeOutcome(running, ProbeKind.Crashed, ExitCode: exitCode, Stderr: stderr.Trim());
            remaining = remaining.SkipWhile(c => c != running).Skip(1).ToArray();
        }
        return outcomes;
    }

    /// <summary>Runs one case of <paramref name="type"/> in its own child process.</summary>
    public static ProbeOutcome RunOne(Type type, string @case) => Run(type, @case)[@case];

    private static (int ExitCode, string Stdout, string Stderr) Start(Type type, string[] cases)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Nnx.CrashProbe.dll"));
        start.ArgumentList.Add(type.Assembly.Location);
        start.ArgumentList.Add(type.FullName!);
        foreach (string c in cases) start.ArgumentList.Add(c);
        // An abort is expected here: no crash dump or report, and one thread, as the machine is shared.
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        start.Environment["DOTNET_EnableCrashReport"] = "0";
        start.Environment["OMP_NUM_THREADS"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Nnx.CrashProbe did not finish {string.Join(", ", cases)} in {Timeout.TotalSeconds} s.");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Unescape(string field)
    {
        var text = new System.Text.StringBuilder(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] != '\\' || i + 1 == field.Length) { text.Append(field[i]); continue; }
            char next = field[++i];
            text.Append(next switch { 't' => '\t', 'n' => '\n', _ => next });
        }
        return text.ToString();
    }
}
