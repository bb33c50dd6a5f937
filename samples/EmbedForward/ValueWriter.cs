using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace EmbedForward;

/// <summary>
/// Streams float32 values to the output as text, one per line or as one JSON array, each in shortest round-trip form,
/// through a fixed buffer: memory does not depend on how many values are written.
/// </summary>
internal sealed class ValueWriter
{
    // The longest shortest-round-trip float32 ("-1.17549435E-38") plus a separator fits many times over.
    private const int Reserve = 32;

    // Values are read from a tensor in spans of at most this many, so a row of any width is read in pieces.
    private const long ChunkValues = 1 << 16;

    private readonly Stream _output;
    private readonly bool _json;
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _used;
    private bool _first = true;

    public ValueWriter(Stream output, bool json)
    {
        _output = output;
        _json = json;
        if (json) Append("["u8);
    }

    /// <summary>Writes every value of a contiguous float32 CPU tensor, in row-major order.</summary>
    /// <exception cref="OutputException">The output cannot be written (a full disk, a closed pipe).</exception>
    public void Write(Tensor values)
    {
        using Tensor flat = values.reshape(-1);
        long count = flat.numel();
        for (long start = 0; start < count; start += ChunkValues)
        {
            using Tensor chunk = flat.narrow(0, start, Math.Min(ChunkValues, count - start));
            foreach (float value in MemoryMarshal.Cast<byte, float>(chunk.bytes)) Write(value);
        }
    }

    /// <summary>Closes the JSON array and flushes everything to the output.</summary>
    /// <exception cref="OutputException">The output cannot be written.</exception>
    public void Finish()
    {
        if (_json) Append("]\n"u8);
        Flush();
        OutputException.Guard(_output.Flush);
    }

    private void Write(float value)
    {
        if (_used + Reserve > _buffer.Length) Flush();
        if (_json && !_first) Append(", "u8);
        _first = false;
        value.TryFormat(_buffer.AsSpan(_used), out int written, "R", CultureInfo.InvariantCulture);
        _used += written;
        if (!_json) _buffer[_used++] = (byte)'\n';
    }

    private void Append(ReadOnlySpan<byte> text)
    {
        if (_used + text.Length > _buffer.Length) Flush();
        text.CopyTo(_buffer.AsSpan(_used));
        _used += text.Length;
    }

    private void Flush()
    {
        OutputException.Guard(() => _output.Write(_buffer, 0, _used));
        _used = 0;
    }

}

/// <summary>Standard output could not be written; the message is the system's reason.</summary>
internal sealed class OutputException(string reason, Exception inner) : Exception(reason, inner)
{
    /// <summary>Runs a write, turning the exceptions of a failed write into an <see cref="OutputException"/>.</summary>
    public static void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A closed descriptor comes as UnauthorizedAccessException around an IOException that names the cause.
            throw new OutputException(e.InnerException?.Message ?? e.Message, e);
        }
    }
}
