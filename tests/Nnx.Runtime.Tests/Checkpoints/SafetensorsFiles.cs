using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;

namespace Nnx.Runtime.Tests.CheckpointTests;

/// <summary>
/// Builds safetensors files byte by byte from the format description (huggingface/safetensors README): an unsigned
/// 64-bit little-endian header length N, N bytes of UTF-8 JSON, then the data buffer. Independent of the writer under test.
/// </summary>
internal static class SafetensorsFiles
{
    public static byte[] Build(string headerJson, byte[] data, ulong? lengthField = null) =>
        Build(Encoding.UTF8.GetBytes(headerJson), data, lengthField);

    public static byte[] Build(byte[] header, byte[] data, ulong? lengthField = null)
    {
        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, lengthField ?? (ulong)header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        return file;
    }

    public static byte[] Floats(params float[] values) => values.SelectMany(v =>
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, v);
        return bytes;
    }).ToArray();

    public static byte[] Longs(params long[] values) => values.SelectMany(v =>
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, v);
        return bytes;
    }).ToArray();

    /// <summary>Splits a file into its header length, header text and data buffer.</summary>
    public static (ulong HeaderLength, string Header, byte[] Data) Parse(byte[] file)
    {
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(file);
        string header = Encoding.UTF8.GetString(file, 8, (int)n);
        return (n, header, file[(8 + (int)n)..]);
    }
}

/// <summary>A fresh temporary folder per test, removed afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "nnx-checkpoint-tests-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => Path.Combine(Root, name);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
