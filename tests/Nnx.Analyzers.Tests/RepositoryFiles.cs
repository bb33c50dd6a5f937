using System;
using System.IO;

namespace Nnx.Analyzers.Tests;

/// <summary>Finds files of this repository from the test's output folder.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    private static string FindRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Nnx.Gen.sln"))) return d.FullName;
        throw new InvalidOperationException($"No Nnx.Gen.sln above {AppContext.BaseDirectory}; run the tests from the repository.");
    }
}
