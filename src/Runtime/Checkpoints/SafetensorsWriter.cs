using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// Writes a safetensors file atomically: to a temporary file in the same folder, flushed to disk, then renamed over
/// the target, so readers see the old file or the new one, never a half-written or over-long one.
/// </summary>
/// <remarks>
/// As the reference writer does, the header is padded with spaces so the data starts at a multiple of 8 bytes, and
/// tensors are laid out by element size, largest first (stable), so every tensor starts at a multiple of its element
/// size and can be mapped in place.
/// </remarks>
internal static class SafetensorsWriter
{
    public static void Write(string path, IReadOnlyList<(string Name, Tensor Value)> tensors, IReadOnlyDictionary<string, string> metadata, int chunkBytes = TensorBytes.DefaultChunkBytes)
    {
        foreach (var (name, value) in tensors)
            if (SafetensorsDType.NameOf(value.dtype) is null)
                throw new ArgumentException($"'{name}' has dtype {value.dtype}, which safetensors files here cannot hold (supported: {SafetensorsDType.Supported}); convert it first.", nameof(tensors));

        var ordered = tensors.OrderByDescending(t => SafetensorsDType.SizeOf(t.Value.dtype)).ToList();
        byte[] header = Header(ordered, metadata);
        string fullPath = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Span<byte> length = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
                stream.Write(length);
                stream.Write(header);
                foreach (var (_, value) in ordered)
                {
                    using var scope = torch.NewDisposeScope();
                    TensorBytes.Write(stream, value.detach().cpu().contiguous(), chunkBytes);
                }
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static byte[] Header(List<(string Name, Tensor Value)> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata.Count > 0)
            {
                json.WriteStartObject(SafetensorsHeader.MetadataKey);
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, value) in tensors)
            {
                long end = offset + value.numel() * SafetensorsDType.SizeOf(value.dtype);
                json.WriteStartObject(name);
                json.WriteString("dtype", SafetensorsDType.NameOf(value.dtype));
                json.WriteStartArray("shape");
                foreach (long dim in value.shape) json.WriteNumberValue(dim);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(end);
                json.WriteEndArray();
                json.WriteEndObject();
                offset = end;
            }
            json.WriteEndObject();
        }
        int padding = (8 - buffer.WrittenCount % 8) % 8;
        buffer.GetSpan(padding)[..padding].Fill((byte)' ');
        buffer.Advance(padding);
        return buffer.WrittenSpan.ToArray();
    }
}
