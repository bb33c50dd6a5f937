using System;
using System.Globalization;
using System.Linq;

namespace Nnx.Runtime.Tests.Crash;

/// <summary>How a case ended in the child process.</summary>
public enum ProbeKind
{
    /// <summary>The case returned; <see cref="ProbeOutcome.Result"/> describes the value.</summary>
    Returned,

    /// <summary>The case threw a .NET exception, which a user can catch.</summary>
    Threw,

    /// <summary>The process died in the case (native abort, exit 134, or segfault, exit 139): nothing to catch.</summary>
    Crashed,
}

/// <summary>One case's outcome, as <see cref="ChildProcessProbe"/> read it from the child's output.</summary>
/// <param name="Case">The method name.</param>
/// <param name="Kind">Returned, threw or crashed.</param>
/// <param name="Result">For <see cref="ProbeKind.Returned"/>: <c>"&lt;dtype&gt; [&lt;shape&gt;] v0,v1,..."</c> for a tensor.</param>
/// <param name="ExceptionType">For <see cref="ProbeKind.Threw"/>: the exception's full type name.</param>
/// <param name="Message">For <see cref="ProbeKind.Threw"/>: the exception's message.</param>
/// <param name="ExitCode">For <see cref="ProbeKind.Crashed"/>: the child's exit code.</param>
/// <param name="Stderr">For <see cref="ProbeKind.Crashed"/>: the child's standard error (libtorch's last words).</param>
public sealed record ProbeOutcome(string Case, ProbeKind Kind, string? Result = null, string? ExceptionType = null,
    string? Message = null, int? ExitCode = null, string? Stderr = null)
{
    /// <summary>The returned tensor's dtype name, e.g. <c>Float64</c>.</summary>
    public string Dtype => ResultPart(0);

    /// <summary>The returned tensor's shape.</summary>
    public long[] Shape
    {
        get
        {
            string dims = ResultPart(1).Trim('[', ']');
            return dims.Length == 0 ? [] : dims.Split(',').Select(long.Parse).ToArray();
        }
    }

    /// <summary>The returned tensor's first values (at most 256), as doubles.</summary>
    public double[] Values
    {
        get
        {
            string values = ResultPart(2);
            return values.Length == 0 ? [] : values.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        ProbeKind.Returned => $"{Case}: returned {Result}",
        ProbeKind.Threw => $"{Case}: threw {ExceptionType}: {Message}",
        _ => $"{Case}: crashed with exit code {ExitCode}; stderr: {Stderr}",
    };

    private string ResultPart(int index)
    {
        if (Kind != ProbeKind.Returned || Result is null)
            throw new InvalidOperationException($"{this} is not a returned tensor.");
        string[] parts = Result.Split(' ', 3);
        return parts.Length > index ? parts[index] : "";
    }
}
