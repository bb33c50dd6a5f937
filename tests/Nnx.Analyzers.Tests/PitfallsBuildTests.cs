using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace Nnx.Analyzers.Tests;

/// <summary>
/// Builds samples/Pitfalls with the real <c>dotnet build</c> (generator and analyzers loaded by the compiler, as a user
/// gets them) and checks each NNX id is reported exactly at the lines marked <c>// expect: NNXnnnn</c>. Slow: one build.
/// </summary>
public class PitfallsBuildTests
{
    private static readonly Regex Expected = new(@"// expect: (NNX\d{4})", RegexOptions.CultureInvariant);
    private static readonly Regex Reported = new(@"^(?:.*[/\\])?(?<file>[^/\\(]+\.cs)\((?<line>\d+),\d+\): (?:error|warning) (?<id>NNX\d{4}):",
        RegexOptions.CultureInvariant | RegexOptions.Multiline);

    [Fact]
    public void Dotnet_build_reports_each_pitfall_at_its_line_and_nothing_else()
    {
        string project = RepositoryFiles.PathOf("samples/Pitfalls");
        var expected = new SortedSet<string>();
        foreach (string file in Directory.GetFiles(project, "*.cs"))
        {
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
                if (Expected.Match(lines[i]) is { Success: true } m) expected.Add($"{Path.GetFileName(file)}:{i + 1}: {m.Groups[1].Value}");
        }
        Assert.Equal(8, expected.Select(e => e[^7..]).Distinct().Count()); // every rule has its pitfall

        (int exitCode, string output) = Build(project);

        var reported = new SortedSet<string>(Reported.Matches(output).Select(m => $"{m.Groups["file"].Value}:{m.Groups["line"].Value}: {m.Groups["id"].Value}"));
        Assert.DoesNotContain("AD0001", output);
        Assert.Equal(expected, reported);
        Assert.NotEqual(0, exitCode); // the errors among them stop the build, as they would for a user
    }

    private static (int ExitCode, string Output) Build(string project)
    {
        var start = new ProcessStartInfo("dotnet", ["build", project, "--nologo", "-v", "quiet", "-clp:NoSummary"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}
