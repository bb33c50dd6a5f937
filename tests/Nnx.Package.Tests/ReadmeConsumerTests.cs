using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace Nnx.Package.Tests;

/// <summary>
/// README.md's "Use Nnx.Gen in your project", done as written: its command blocks run in a shell, in a copy of the
/// repository and a fresh home folder, and its Program.cs is the one the new project gets.
/// </summary>
public sealed class ReadmeConsumerTests : IDisposable
{
    private const string Section = "Use Nnx.Gen in your project";
    private readonly IsolatedHome _home = new();
    private readonly string _copy = Directory.CreateTempSubdirectory("nnx-readme-").FullName;

    public void Dispose()
    {
        _home.Dispose();
        Directory.Delete(_copy, recursive: true);
    }

    [PackageFact(LinuxX64Only = true)]
    public void The_readme_commands_run_MyEmbed_with_the_jax_numbers_and_without_a_backend_the_build_warns()
    {
        ReadmeSection readme = ReadmeSection.Read(Section);
        string[] shell = readme.Code("bash");
        string[] csharp = readme.Code("csharp");
        Assert.Equal(2, shell.Length);
        Assert.Single(csharp);
        string repository = PackedPackage.CopySources(_copy);

        var (setupExit, setupOutput) = DotnetProcess.RunScript(repository, shell[0], _home.Variables);
        Assert.True(setupExit == 0, setupOutput);
        string app = Path.Combine(_home.Root, "MyApp");
        File.WriteAllText(Path.Combine(app, "Program.cs"), csharp[0]);
        var (runExit, runOutput) = DotnetProcess.RunScript(app, shell[1], _home.Variables);

        Assert.True(runExit == 0, runOutput);
        Assert.DoesNotContain("warning", runOutput, StringComparison.OrdinalIgnoreCase);
        // JAX reference (tests/Nnx.Runtime.Tests/Data/jax-vectors.json, embed_forward): seed 0, ids 0,1,2, vocab 4, d_model 3, shortest round-trip float32 text.
        string[] lines = runOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["1.0040143", "-0.9063372", "-0.7481722", "-1.1713669", "-0.8712328", "0.5888381", "0.72392994", "-1.0255982", "1.661628"], lines[^9..]);

        // What the section says happens without a backend package.
        var (removeExit, removeOutput) = DotnetProcess.RunScript(app, "dotnet remove package libtorch-cpu-linux-x64", _home.Variables);
        Assert.True(removeExit == 0, removeOutput);
        var (buildExit, buildOutput) = DotnetProcess.RunScript(app, "dotnet build", _home.Variables);

        Assert.True(buildExit == 0, buildOutput);
        Assert.Contains("warning NNX1001: No libtorch backend package is referenced", buildOutput);
        Assert.Contains("dotnet add package libtorch-cpu-linux-x64 --version 2.10.0", buildOutput);
    }

    [PackageFact]
    public void Only_the_library_is_packable_so_packing_the_solution_gives_one_package()
    {
        string repository = PackedPackage.RepositoryRoot();
        var (listExit, list) = DotnetProcess.Run(repository, "sln", "Nnx.Gen.sln", "list");
        Assert.True(listExit == 0, list);
        string[] projects = list.Split('\n', StringSplitOptions.TrimEntries).Where(l => l.EndsWith(".csproj", StringComparison.Ordinal)).ToArray();

        string[] packable = projects.Where(project =>
        {
            var (exit, value) = DotnetProcess.Run(repository, "msbuild", project, "-getProperty:IsPackable");
            Assert.True(exit == 0, value);
            return value.Trim() != "false";
        }).Select(p => p.Replace('\\', '/')).ToArray();

        Assert.True(projects.Length >= 10, list);
        Assert.Equal(["src/Runtime/Nnx.Runtime.csproj"], packable);
    }

    [Fact]
    public void The_backend_versions_the_build_warning_names_are_those_the_repository_builds_with()
    {
        string repository = PackedPackage.RepositoryRoot();
        string props = File.ReadAllText(Path.Combine(repository, "Directory.Build.props"));
        string targets = File.ReadAllText(Path.Combine(repository, "src", "Runtime", "buildTransitive", "Nnx.Gen.targets"));
        string Property(string name) => Regex.Match(props, $"<{name}>([^<]+)</{name}>").Groups[1].Value;

        Assert.Contains($"libtorch-cpu-linux-x64 --version {Property("LibTorchVersion")}", targets);
        Assert.Contains($"TorchSharp-cpu --version {Property("TorchSharpVersion")}", targets);
        Assert.Contains($"dotnet add package Nnx.Gen --version {Property("Version")}", File.ReadAllText(Path.Combine(repository, "README.md")));
    }
}
