using System;
using System.Collections.Generic;
using System.IO;

namespace Nnx.Package.Tests;

/// <summary>
/// A fresh home folder for commands that write to <c>~</c> (a package folder, a project, NuGet's user settings), so a
/// test follows a README's commands without touching the real home. Its NuGet package cache links to every package of
/// the real cache except Nnx.Gen: TorchSharp and libtorch are not downloaded again, and Nnx.Gen is always the one the
/// test packed, never one a user packed earlier under the same version.
/// </summary>
internal sealed class IsolatedHome : IDisposable
{
    public IsolatedHome()
    {
        string realCache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        Directory.CreateDirectory(PackageCache);
        if (Directory.Exists(realCache))
            foreach (string package in Directory.GetDirectories(realCache))
                if (!string.Equals(Path.GetFileName(package), "nnx.gen", StringComparison.OrdinalIgnoreCase))
                    Directory.CreateSymbolicLink(Path.Combine(PackageCache, Path.GetFileName(package)), package);
    }

    /// <summary>The home folder.</summary>
    public string Root { get; } = Directory.CreateTempSubdirectory("nnx-home-").FullName;

    private string PackageCache => Path.Combine(Root, ".nuget", "packages");

    /// <summary>The variables that make it the home of a child process.</summary>
    public IReadOnlyDictionary<string, string> Variables => new Dictionary<string, string>
    {
        ["HOME"] = Root,
        ["NUGET_PACKAGES"] = PackageCache,
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
    };

    public void Dispose()
    {
        // The links first, one by one, so nothing can reach into the real cache.
        foreach (string entry in Directory.GetFileSystemEntries(PackageCache))
            if (new FileInfo(entry).LinkTarget is not null) File.Delete(entry);
        Directory.Delete(Root, recursive: true);
    }
}
