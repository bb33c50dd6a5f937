using System;

namespace Nnx.Runtime.Tests;

/// <summary>A test of Linux behaviour (FIFOs, file modes, <c>/dev/full</c>, the kernel's file types); skipped elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "Linux behaviour.";
    }
}
