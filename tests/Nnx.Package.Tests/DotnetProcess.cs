using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;

namespace Nnx.Package.Tests;

/// <summary>Runs the real <c>dotnet</c> CLI (or a shell script of such commands), as a user would, and captures what it prints.</summary>
internal static class DotnetProcess
{
    public static (int Exit, string Output) Run(string workingDirectory, params string[] args) =>
        Run("dotnet", workingDirectory, args, new Dictionary<string, string>());

    /// <summary>Runs <paramref name="script"/> with <c>bash -euo pipefail</c>, with extra environment variables.</summary>
    public static (int Exit, string Output) RunScript(string workingDirectory, string script, IReadOnlyDictionary<string, string> environment) =>
        Run("bash", workingDirectory, ["-euo", "pipefail", "-c", script], environment);

    private static (int Exit, string Output) Run(string fileName, string workingDirectory, string[] args, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args) start.ArgumentList.Add(a);
        // A test host's MSBuild settings must not leak into the user's build.
        foreach (string name in new[] { "MSBuildSDKsPath", "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "DOTNET_HOST_PATH", "VSTEST_HOST_DEBUG" })
            start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(15)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish in 15 minutes:\n{output}");
        }
        process.WaitForExit();
        return (process.ExitCode, output.ToString());
    }
}
