using System;

namespace Nnx;

/// <summary>
/// A file is not a valid safetensors checkpoint: not a regular file (a FIFO, a device, a directory), truncated, header
/// length beyond the file, bad JSON or UTF-8, a string no UTF-8 can hold (an escaped lone surrogate), a duplicate name,
/// an unknown dtype, a shape whose size or strides overflow, offsets that overlap, leave holes or run past the data, or
/// a byte count that does not match shape times dtype size. Thrown before any module variable is written, so the module
/// is unchanged. Names from the file are cut short in the message, which stays a line or two long.
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
