using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace Nnx.Package.Tests;

/// <summary>
/// What users install is the package, not this repository: pack it, build a fresh console project against it in a
/// folder outside the repository, and run it.
/// </summary>
public sealed class ConsumerTests(PackedPackage package) : IClassFixture<PackedPackage>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("nnx-consumer-").FullName;

    [PackageFact]
    public void A_planted_float_id_mistake_fails_the_build_with_NNX0001_and_the_fixed_program_prints_the_jax_numbers()
    {
        // The seed problem's #1 mistake: ids built from floats, as the Python harness passes them.
        string app = CreateConsumer(Program("torch.tensor(new float[] { 0, 1, 2 })"));

        var (plantedExit, plantedOutput) = DotnetProcess.Run(app, "build", "-c", "Release");

        Assert.NotEqual(0, plantedExit);
        Assert.True(plantedOutput.Contains("Program.cs(10,", StringComparison.Ordinal) && plantedOutput.Contains("error NNX0001", StringComparison.Ordinal), plantedOutput);

        // What the NNX0001 code fix writes for an array literal: integer elements.
        File.WriteAllText(Path.Combine(app, "Program.cs"), Program("torch.tensor(new long[] { 0, 1, 2 })"));
        var (buildExit, buildOutput) = DotnetProcess.Run(app, "build", "-c", "Release");
        Assert.True(buildExit == 0, buildOutput);
        var (runExit, runOutput) = DotnetProcess.Run(app, "run", "-c", "Release", "--no-build");

        Assert.True(runExit == 0, runOutput);
        // JAX reference (tests/Nnx.Runtime.Tests/Data/jax-vectors.json, embed_forward): seed 0, ids 0,1,2, vocab 4, d_model 3, as float32 bits.
        Assert.Equal(
            ["3f80838a", "bf6805b7", "bf3f8837", "bf95ef5a", "bf5f091d", "3f16be18", "3f395379", "bf8346cd", "3fd4b03a"],
            runOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    // The user's program; line 9 builds the ids, line 10 passes them to the lookup (where NNX0001 is reported).
    private static string Program(string ids) => $$"""
        using System;
        using System.Globalization;
        using Nnx;
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;

        using var model = new MyEmbed(vocab: 4, dModel: 3, rngs: new Rngs(0));
        Tensor ids = {{ids}};
        foreach (float v in model.Forward(ids).reshape(-1).data<float>().ToArray())
            Console.WriteLine(BitConverter.SingleToUInt32Bits(v).ToString("x8", CultureInfo.InvariantCulture));

        public partial class MyEmbed
        {
            [Param(Shape = "vocab,dModel", Init = "normal")]
            private Parameter embedding;

            public Tensor Forward(Tensor tokenIds) => Lookup.Rows(embedding, tokenIds);
        }
        """;

    [PackageFact]
    public void The_package_holds_runtime_generator_analyzers_and_build_files_and_depends_on_torchsharp_only()
    {
        string nupkg = Directory.GetFiles(package.Feed, "Nnx.Gen.*.nupkg").Single();

        using var zip = System.IO.Compression.ZipFile.OpenRead(nupkg);
        string[] entries = zip.Entries.Select(e => e.FullName).ToArray();
        using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        string manifest = nuspec.ReadToEnd();

        Assert.Contains("lib/net10.0/Nnx.Runtime.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/Nnx.Generators.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/Nnx.Analyzers.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/Nnx.CodeFixes.dll", entries);
        Assert.Contains("buildTransitive/Nnx.Gen.targets", entries);
        Assert.Contains("README.md", entries);
        Assert.Equal(["TorchSharp"], System.Text.RegularExpressions.Regex.Matches(manifest, "<dependency id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToArray());
        Assert.Contains("<license type=\"expression\">MIT</license>", manifest);
    }

    private string CreateConsumer(string program)
    {
        string app = Path.Combine(_root, "app");
        Directory.CreateDirectory(app);
        bool linuxX64 = OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64;
        string backend = linuxX64 ? "<PackageReference Include=\"libtorch-cpu-linux-x64\" Version=\"2.10.0\" />" : "<PackageReference Include=\"TorchSharp-cpu\" Version=\"0.107.0\" />";
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Nnx.Gen" Version="{package.Version}" />
                {backend}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="nnx-local" value="{package.Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), program);
        return app;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
