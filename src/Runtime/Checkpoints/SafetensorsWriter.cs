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
/// the target, so readers see the old file or the new one, never a half-written or over-long one. What is replaced,
/// and with which permissions, is <see cref="SaveTarget"/>'s rule; temporary names are <see cref="TemporaryFiles"/>'.
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
        SaveTarget target = SaveTarget.Resolve(path);
        TemporaryFiles.DeleteStale(target.Path);
        string temporary = TemporaryFiles.NewNameFor(target.Path);
        FileStream stream = CreateTemporary(path, temporary, target);
        try
        {
            using (stream)
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
                if (target.Mode is { } mode && !OperatingSystem.IsWindows()) File.SetUnixFileMode(stream.SafeFileHandle, mode);
            }
            File.Move(temporary, target.Path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    // A file that replaces an existing one is created private and given the old file's mode once it is complete, so
    // the data of a 0600 checkpoint is never readable by others on the way; a new file gets the default permissions.
    private static FileStream CreateTemporary(string path, string temporary, SaveTarget target)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (target.Mode is not null && !OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        string folder = Path.GetDirectoryName(target.Path)!;
        try
        {
            return new FileStream(temporary, options);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"Cannot save to '{path}': no permission to create files in '{folder}' (a save writes a temporary file there, then renames it over the target).", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new DirectoryNotFoundException($"Cannot save to '{path}': the folder '{folder}' does not exist.", e);
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
