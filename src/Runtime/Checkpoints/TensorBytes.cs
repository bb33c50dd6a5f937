using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// Moves a tensor's raw little-endian bytes between a file and a contiguous CPU tensor, in chunks, because a span
/// cannot cover more than 2 GiB and an embedding table can.
/// </summary>
internal static class TensorBytes
{
    public const int DefaultChunkBytes = 1 << 30;

    /// <summary>A new CPU tensor with the entry's dtype and shape, filled from the file.</summary>
    /// <exception cref="CheckpointFormatException">The file ends early, or a BOOL tensor holds a byte other than 0 or 1.</exception>
    public static Tensor Read(SafeFileHandle file, string path, long dataStart, SafetensorsEntry entry, int chunkBytes = DefaultChunkBytes)
    {
        CheckLittleEndian();
        Tensor tensor = Allocate(path, entry);
        try
        {
            long offset = dataStart + entry.Begin;
            ForEachChunk(tensor, chunkBytes, bytes =>
            {
                SafetensorsHeader.ReadExactly(file, bytes, offset, path);
                if (entry.DType == ScalarType.Bool) CheckBooleans(bytes, entry, offset - dataStart - entry.Begin, path);
                offset += bytes.Length;
            });
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    // A tensor larger than the machine's memory is refused before libtorch is asked, which would fail with a page of
    // native stack frames, or, where memory is overcommitted, succeed and be killed while the bytes are read.
    private static Tensor Allocate(string path, SafetensorsEntry entry)
    {
        long bytes = entry.End - entry.Begin;
        long memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        string what = $"tensor {HeaderText.Quote(entry.Name)} ({StateFormat.DTypeName(entry.DType)}{HeaderText.Shape(entry.Shape)}, {ByteCount.Format(bytes)})";
        if (bytes > memory)
            throw new InsufficientMemoryException($"{path}: {what} is larger than this machine's {ByteCount.Format(memory)} of memory.");
        try
        {
            return torch.empty(entry.Shape, entry.DType);
        }
        catch (ExternalException e)
        {
            throw new InsufficientMemoryException($"{path}: {what} could not be allocated: {NativeError.FirstLine(e.Message)}", e);
        }
    }

    /// <summary>Writes a contiguous CPU tensor's bytes to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, Tensor tensor, int chunkBytes = DefaultChunkBytes)
    {
        CheckLittleEndian();
        ForEachChunk(tensor, chunkBytes, bytes => stream.Write(bytes));
    }

    private delegate void ChunkAction(Span<byte> bytes);

    private static void ForEachChunk(Tensor tensor, int chunkBytes, ChunkAction action)
    {
        long count = tensor.numel();
        if (count == 0) return;
        long elementSize = tensor.element_size();
        long perChunk = Math.Max(1, chunkBytes / elementSize);
        using Tensor flat = tensor.reshape(count);
        for (long start = 0; start < count; start += perChunk)
        {
            using Tensor chunk = flat.narrow(0, start, Math.Min(perChunk, count - start));
            action(chunk.bytes);
        }
    }

    private static void CheckBooleans(Span<byte> bytes, SafetensorsEntry entry, long firstByte, string path)
    {
        int bad = bytes.IndexOfAnyExcept((byte)0, (byte)1);
        if (bad >= 0)
            throw new CheckpointFormatException(path, $"tensor '{entry.Name}' is BOOL but element {firstByte + bad} holds byte 0x{bytes[bad]:X2}; BOOL bytes must be 0 or 1.");
    }

    private static void CheckLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Safetensors data is little-endian; this reader runs only on little-endian machines.");
    }
}
