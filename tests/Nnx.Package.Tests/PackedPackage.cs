using System;
using System.IO;
using System.Linq;

namespace Nnx.Package.Tests;

/// <summary>
/// Packs Nnx.Gen once per test run, under a unique version so the package cache never serves a stale build.
/// A copy of the sources is packed, so packing never races with the builds of the solution under test.
/// </summary>
public sealed class PackedPackage : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("nnx-package-").FullName;
    private readonly Lazy<string> _feed;

    public PackedPackage()
    {
        Version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        // Packed on first use, so a run where every package test is skipped packs nothing.
        _feed = new Lazy<string>(Pack);
    }

    /// <summary>The folder holding the packed .nupkg, used as a local NuGet source.</summary>
    public string Feed => _feed.Value;

    /// <summary>The unique version packed for this run.</summary>
    public string Version { get; }

    private string Pack()
    {
        string copy = CopySources(Path.Combine(_root, "src-copy"));
        string feed = Path.Combine(_root, "feed");
        var (exit, output) = DotnetProcess.Run(copy, "pack", "src/Runtime/Nnx.Runtime.csproj", "-c", "Release", "-o", feed, $"-p:Version={Version}");
        if (exit != 0) throw new InvalidOperationException($"dotnet pack failed:\n{output}");
        return feed;
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string extracted = Path.Combine(cache, "nnx.gen", Version);
        if (Directory.Exists(extracted)) Directory.Delete(extracted, recursive: true);
    }

    /// <summary>
    /// Copies what packing needs (src and the repository's build files) into <paramref name="copy"/>, without build
    /// outputs, so a pack there never races with the builds of the solution under test. Returns the copy's root.
    /// </summary>
    public static string CopySources(string copy)
    {
        string repo = RepositoryRoot();
        CopyTree(Path.Combine(repo, "src"), Path.Combine(copy, "src"));
        foreach (string file in new[] { "Directory.Build.props", "Directory.Build.targets", "global.json", "LICENSE" })
            File.Copy(Path.Combine(repo, file), Path.Combine(copy, file));
        return copy;
    }

    private static void CopyTree(string from, string to)
    {
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj")) continue;
            string target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>The folder of Nnx.Gen.sln above the test's own folder.</summary>
    public static string RepositoryRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "Nnx.Gen.sln"))) return dir;
        throw new InvalidOperationException("Nnx.Gen.sln not found above the test's folder.");
    }
}
