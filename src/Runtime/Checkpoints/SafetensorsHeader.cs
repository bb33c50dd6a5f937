using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Win32.SafeHandles;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>One tensor of a safetensors header; <see cref="Begin"/> and <see cref="End"/> are offsets into the data buffer.</summary>
internal sealed record SafetensorsEntry(string Name, ScalarType DType, long[] Shape, long Begin, long End)
{
    public VariableSpec Spec => new(Name, DType, Shape);
}

/// <summary>
/// A parsed and fully validated safetensors header. The format (huggingface/safetensors): an unsigned 64-bit
/// little-endian header length N, N bytes of UTF-8 JSON <c>{name: {dtype, shape, data_offsets: [begin, end]},
/// "__metadata__": {string: string}}</c> (space padding allowed), then the data buffer. Validation follows the
/// reference implementation: the tensors must tile the buffer exactly, without overlaps, holes or trailing bytes.
/// </summary>
internal sealed class SafetensorsHeader
{
    /// <summary>The reference implementation's limit (safetensors <c>MAX_HEADER_SIZE</c>).</summary>
    public const long MaxHeaderLength = 100_000_000;

    public const string MetadataKey = "__metadata__";

    private SafetensorsHeader(List<SafetensorsEntry> entries, Dictionary<string, string> metadata, long dataStart)
    {
        Entries = entries;
        Metadata = metadata;
        DataStart = dataStart;
    }

    /// <summary>Tensors in header order.</summary>
    public List<SafetensorsEntry> Entries { get; }

    public Dictionary<string, string> Metadata { get; }

    /// <summary>File offset of the data buffer (8 + N).</summary>
    public long DataStart { get; }

    /// <exception cref="CheckpointFormatException">Anything that is not a valid safetensors header for this file.</exception>
    public static SafetensorsHeader Read(SafeFileHandle file, string path)
    {
        long fileLength = RandomAccess.GetLength(file);
        if (fileLength < 8)
            throw new CheckpointFormatException(path, $"the file is {fileLength} bytes; it must start with an 8-byte header length (the file is truncated or empty).");
        Span<byte> lengthBytes = stackalloc byte[8];
        ReadExactly(file, lengthBytes, 0, path);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderLength)
            throw new CheckpointFormatException(path, $"the header length is {headerLength} bytes, over the format's limit of {MaxHeaderLength}.");
        if ((long)headerLength > fileLength - 8)
            throw new CheckpointFormatException(path, $"the header length is {headerLength} bytes, beyond the end of the file ({fileLength} bytes leave {fileLength - 8} after the length field); the file is truncated or not safetensors.");

        var json = new byte[headerLength];
        ReadExactly(file, json, 8, path);
        long dataStart = 8 + (long)headerLength;
        return Parse(json, path, dataLength: fileLength - dataStart, dataStart);
    }

    private static SafetensorsHeader Parse(byte[] json, string path, long dataLength, long dataStart)
    {
        if (!Utf8.IsValid(json))
        {
            Utf8.ToUtf16(json, new char[json.Length], out int validBytes, out _, replaceInvalidSequences: false);
            throw new CheckpointFormatException(path, $"the header is not valid UTF-8 (bad byte 0x{json[validBytes]:X2} at header offset {validBytes}).");
        }
        if (json.Length == 0 || json[0] != (byte)'{')
            throw new CheckpointFormatException(path, "the header must be a JSON object starting with '{'.");

        JsonDocument document;
        try { document = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new CheckpointFormatException(path, $"the header is not valid JSON: {e.Message}", e); }

        using (document)
        {
            try { return Read(document, path, dataLength, dataStart); }
            catch (InvalidOperationException e) { throw new CheckpointFormatException(path, "the header holds " + HeaderText.InvalidString, e); }
        }
    }

    private static SafetensorsHeader Read(JsonDocument document, string path, long dataLength, long dataStart)
    {
        var entries = new List<SafetensorsEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty property in document.RootElement.EnumerateObject())
        {
            if (!names.Add(property.Name))
                throw new CheckpointFormatException(path, $"{HeaderText.Quote(property.Name)} appears twice in the header; names must be unique.");
            if (property.Name == MetadataKey) ReadMetadata(property.Value, metadata, path);
            else entries.Add(ReadEntry(property.Name, property.Value, path));
        }
        CheckTiling(entries, dataLength, path);
        return new SafetensorsHeader(entries, metadata, dataStart);
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new CheckpointFormatException(path, $"'{MetadataKey}' must be an object of strings, found {value.ValueKind}.");
        foreach (JsonProperty item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new CheckpointFormatException(path, $"metadata {HeaderText.Quote(item.Name)} must be a string, found {item.Value.ValueKind}.");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw new CheckpointFormatException(path, $"metadata {HeaderText.Quote(item.Name)} appears twice.");
        }
    }

    private static SafetensorsEntry ReadEntry(string name, JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new CheckpointFormatException(path, $"tensor {HeaderText.Quote(name)} must be an object with dtype, shape and data_offsets, found {value.ValueKind}.");
        if (!value.TryGetProperty("dtype", out JsonElement dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw new CheckpointFormatException(path, $"tensor {HeaderText.Quote(name)} has no string 'dtype'.");
        string dtypeName = dtypeElement.GetString()!;
        if (!SafetensorsDType.TryParse(dtypeName, out ScalarType dtype))
            throw new CheckpointFormatException(path, $"tensor {HeaderText.Quote(name)} has dtype {HeaderText.Quote(dtypeName)}, which is unknown or unsupported (supported: {SafetensorsDType.Supported}).");
        long[] shape = ReadIntegers(name, value, "shape", path);
        long[] offsets = ReadIntegers(name, value, "data_offsets", path);
        if (offsets.Length != 2 || offsets[0] > offsets[1])
            throw new CheckpointFormatException(path, $"tensor {HeaderText.Quote(name)} has data_offsets [{string.Join(", ", offsets)}]; expected [begin, end] with begin <= end.");

        long bytes = SafetensorsDType.SizeOf(dtype);
        long strideBytes = bytes;
        try
        {
            foreach (long dim in shape)
            {
                bytes = checked(bytes * dim);
                // libtorch's strides multiply the dimensions other than 0 even when one is 0, so they must fit as well.
                strideBytes = checked(strideBytes * Math.Max(dim, 1));
            }
        }
        catch (OverflowException)
        {
            throw new CheckpointFormatException(path, $"tensor {HeaderText.Quote(name)} has shape {HeaderText.Shape(shape)}, whose byte count or strides overflow 64 bits.");
        }
        if (bytes != offsets[1] - offsets[0])
            throw new CheckpointFormatException(path,
                $"tensor {HeaderText.Quote(name)} is {dtypeName}{HeaderText.Shape(shape)}, {bytes} bytes, but its data_offsets [{offsets[0]}, {offsets[1]}] span {offsets[1] - offsets[0]} bytes.");
        return new SafetensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] ReadIntegers(string name, JsonElement value, string field, string path)
    {
        if (!value.TryGetProperty(field, out JsonElement array) || array.ValueKind != JsonValueKind.Array)
            throw new CheckpointFormatException(path, $"tensor {HeaderText.Quote(name)} has no '{field}' array.");
        var numbers = new long[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long number) || number < 0)
                throw new CheckpointFormatException(path, $"tensor {HeaderText.Quote(name)} has {field} entry {HeaderText.Raw(item)}; expected a non-negative integer.");
            numbers[i++] = number;
        }
        return numbers;
    }

    /// <summary>The tensors, sorted by offset, must cover the data buffer exactly once.</summary>
    private static void CheckTiling(List<SafetensorsEntry> entries, long dataLength, string path)
    {
        long covered = 0;
        SafetensorsEntry? previous = null;
        foreach (SafetensorsEntry entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin < covered)
                throw new CheckpointFormatException(path, $"tensors {HeaderText.Quote(previous!.Name)} {Range(previous)} and {HeaderText.Quote(entry.Name)} {Range(entry)} overlap.");
            if (entry.Begin > covered)
                throw new CheckpointFormatException(path,
                    $"data bytes [{covered}, {entry.Begin}) before tensor {HeaderText.Quote(entry.Name)} belong to no tensor; the format allows no holes.");
            if (entry.End > dataLength)
                throw new CheckpointFormatException(path,
                    $"tensor {HeaderText.Quote(entry.Name)} {Range(entry)} ends beyond the data buffer, which has {dataLength} bytes (the file is truncated or the offsets are out of bounds).");
            covered = entry.End;
            previous = entry;
        }
        if (covered < dataLength)
            throw new CheckpointFormatException(path,
                $"{dataLength - covered} bytes follow the last tensor (data ends at {covered} of {dataLength}); the format allows no trailing data (was the file overwritten without truncation?).");
    }

    private static string Range(SafetensorsEntry e) => string.Create(CultureInfo.InvariantCulture, $"[{e.Begin}, {e.End}]");

    internal static void ReadExactly(SafeFileHandle file, Span<byte> buffer, long offset, string path)
    {
        while (buffer.Length > 0)
        {
            int read = RandomAccess.Read(file, buffer, offset);
            if (read == 0) throw new CheckpointFormatException(path, $"the file ends at byte {offset} while more data was expected (it was truncated while being read).");
            buffer = buffer[read..];
            offset += read;
        }
    }
}
