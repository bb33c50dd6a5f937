using System;
using System.Runtime.InteropServices;

namespace Nnx.Package.Tests;

/// <summary>
/// A test that packs Nnx.Gen and builds a consumer project: minutes of work, so it runs in CI (<c>CI=true</c>, as
/// <c>.ci/run</c> sets) or when <c>NNX_PACKAGE_TESTS=1</c>, and is reported as skipped in a plain local run.
/// </summary>
public sealed class PackageFactAttribute : FactAttribute
{
    public PackageFactAttribute()
    {
        bool wanted = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            || Environment.GetEnvironmentVariable("NNX_PACKAGE_TESTS") == "1";
        if (!wanted) Skip = "Packs the NuGet package and builds a consumer (minutes): runs in CI or with NNX_PACKAGE_TESTS=1.";
    }

    /// <summary>For commands written for Linux x64 (its libtorch backend package): skipped on other systems.</summary>
    public bool LinuxX64Only
    {
        get => _linuxX64Only;
        set
        {
            _linuxX64Only = value;
            if (value && Skip is null && !(OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64))
                Skip = "The commands install the Linux x64 backend.";
        }
    }

    private bool _linuxX64Only;
}
