using System;

namespace Nnx;

/// <summary>
/// A file is not a valid safetensors checkpoint: truncated, header length beyond the file, bad JSON or UTF-8, a
/// duplicate name, an unknown dtype, offsets that overlap, leave holes or run past the data, or a byte count that does
/// not match shape times dtype size. Thrown before any module variable is written, so the module is unchanged.
/// </summary>
public sealed class CheckpointFormatException : Exception
{
    /// <summary>Creates the exception; the message starts with the file path.</summary>
    public CheckpointFormatException(string filePath, string problem, Exception? innerException = null)
        : base($"{filePath}: not a valid safetensors file: {problem}", innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The file that was read.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it, without the path.</summary>
    public string Problem { get; }
}
