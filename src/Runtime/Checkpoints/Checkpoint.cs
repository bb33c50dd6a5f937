using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// Safetensors checkpoints of module states and of plain tensor dictionaries, readable by PyTorch
/// (<c>safetensors.torch.load_file</c>), Flax (<c>safetensors.flax</c>) and Hugging Face.
/// </summary>
/// <remarks>
/// <para>Names are state paths (<c>"encoder.embedding"</c>). A tied tensor is written once, under its first path; the
/// other paths are recorded in the metadata entry <see cref="AliasesKey"/> as a JSON object <c>{alias: stored}</c>, so
/// nothing is written twice and both names load. The metadata also holds <c>"format": "pt"</c>, which Hugging Face
/// loaders require.</para>
/// <para>Saving is atomic (a temporary file in the target's folder, renamed over it), and replaces a file the way an
/// editor would: a symbolic link is followed and stays, the replaced file's permissions are kept (a 0600 checkpoint stays
/// private, also while it is written), a read-only file or anything but a regular file is refused, and the temporary
/// files of saves that were killed are removed by the next save to the same name. The new file belongs to the user
/// who saved it. Loading reads only regular files (a FIFO or a device is refused at once) and checks the whole header
/// first: a corrupt file raises <see cref="CheckpointFormatException"/>, a file that does not fit the module raises
/// <see cref="StateMismatchException"/> listing every differing path; either way the module is unchanged. Values are
/// copied bit for bit; dtypes are never converted.</para>
/// </remarks>
public static class Checkpoint
{
    /// <summary>The metadata entry that records tied names: a JSON object mapping each alias to its stored name.</summary>
    public const string AliasesKey = "nnx.aliases";

    /// <summary>
    /// The metadata entry that records the saved module's definition (type, dimensions and options) as JSON; loading
    /// compares the options with the module's.
    /// </summary>
    public const string DefinitionKey = "nnx.definition";

    /// <summary>The metadata entry Hugging Face loaders check; this library writes <c>"pt"</c>.</summary>
    public const string FormatKey = "format";

    private const string ReservedPrefix = "nnx.";

    /// <summary>Saves the module's whole state (see <see cref="ModuleState.GetState(IModule)"/>) to a safetensors file.</summary>
    /// <param name="module">The module; its tensors may be on any device.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="metadata">Extra <c>__metadata__</c> entries; keys starting with <c>nnx.</c> are reserved.</param>
    /// <exception cref="ArgumentException">A variable's dtype has no safetensors name, or a metadata key is reserved.</exception>
    /// <exception cref="UnauthorizedAccessException">The file is read-only, or its folder is not writable.</exception>
    /// <exception cref="IOException">The path names a directory, a FIFO, a device, or the write fails.</exception>
    public static void SaveCheckpoint(this IModule module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        State state = module.GetState();
        Write(path, state.Values.Select(v => (v.Path, v.Value)).ToList(), state.Aliases, metadata, DefinitionOf(module));
    }

    /// <summary>
    /// Loads a safetensors file into the module's own tensors, in place under <c>no_grad</c> (object identity and
    /// <c>requires_grad</c> kept). A file with tied names loads into a module that ties them or keeps them apart.
    /// </summary>
    /// <param name="module">The module to fill.</param>
    /// <param name="path">The file to read.</param>
    /// <param name="strict">
    /// When true (the default), any missing, unexpected or mismatched path is an error and nothing is loaded. When false,
    /// the paths that match are loaded and the rest is reported in <see cref="CheckpointLoadResult.Differences"/>.
    /// </param>
    /// <exception cref="CheckpointFormatException">The file is not valid safetensors; the module is unchanged.</exception>
    /// <exception cref="StateMismatchException">Strict, and the file does not fit the module; every difference is in
    /// <see cref="StateMismatchException.Differences"/> and the module is unchanged.</exception>
    /// <exception cref="InsufficientMemoryException">A tensor of the file is larger than the machine's memory.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static CheckpointLoadResult LoadCheckpoint(this IModule module, string path, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using SafeFileHandle file = OpenCheckpoint(path);
        SafetensorsHeader header = SafetensorsHeader.Read(file, path);
        Dictionary<string, string> aliases = ReadAliases(header, path);
        State target = module.GetState();
        StateMatch match = StateMatch.Compute(
            target.Values.Select(VariableSpec.Of).ToList(), target.Aliases, header.Entries.Select(e => e.Spec).ToList(), aliases);
        List<StateDifference> options = header.Metadata.TryGetValue(DefinitionKey, out string? saved) && DefinitionOf(module) is not null
            ? DefinitionMetadata.Compare(module.Definition, saved, path)
            : [];
        if (strict)
            match.ThrowIfDifferent(
                $"Checkpoint '{path}' does not fit {module.GetType().Name}; build the module with the checkpoint's dimensions, or load with strict: false to load the paths that fit");

        var entries = header.Entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
        var read = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            // Everything is read before anything is written, so a read error leaves the module as it was.
            foreach (var (_, source) in match.Pairs)
                if (!read.ContainsKey(source)) read.Add(source, TensorBytes.Read(file, path, header.DataStart, entries[source]));
            match.CopyInto(target, source => read[source]);
        }
        finally
        {
            foreach (Tensor tensor in read.Values) tensor.Dispose();
        }
        return new CheckpointLoadResult(match.Pairs.Select(p => p.Target).ToList(), match.Differences, options, header.Metadata);
    }

    /// <summary>
    /// Saves named tensors to a safetensors file. The same tensor object under several names is written once and the
    /// other names recorded as aliases, as for module states.
    /// </summary>
    /// <exception cref="ArgumentException">A tensor is null or disposed, its dtype has no safetensors name, or a metadata key is reserved.</exception>
    /// <exception cref="UnauthorizedAccessException">The file is read-only, or its folder is not writable.</exception>
    /// <exception cref="IOException">The path names a directory, a FIFO, a device, or the write fails.</exception>
    public static void SaveTensors(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var stored = new List<(string, Tensor)>();
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        var firstName = new Dictionary<IntPtr, string>();
        foreach (var (name, tensor) in tensors)
        {
            if (string.IsNullOrEmpty(name) || name == SafetensorsHeader.MetadataKey)
                throw new ArgumentException($"A tensor is named '{name}'; names must be non-empty and not '{SafetensorsHeader.MetadataKey}'.", nameof(tensors));
            if (tensor is null || tensor.IsInvalid) throw new ArgumentException($"Tensor '{name}' is null or disposed.", nameof(tensors));
            if (firstName.TryGetValue(tensor.Handle, out string? first)) aliases.Add(name, first);
            else
            {
                firstName.Add(tensor.Handle, name);
                stored.Add((name, tensor));
            }
        }
        Write(path, stored, aliases, metadata);
    }

    /// <summary>Reads every tensor of a safetensors file onto the CPU, with its metadata and aliases.</summary>
    /// <exception cref="CheckpointFormatException">The file is not valid safetensors, or not a regular file.</exception>
    /// <exception cref="InsufficientMemoryException">A tensor of the file is larger than the machine's memory.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static CheckpointContents LoadTensors(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using SafeFileHandle file = OpenCheckpoint(path);
        SafetensorsHeader header = SafetensorsHeader.Read(file, path);
        Dictionary<string, string> aliases = ReadAliases(header, path);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (SafetensorsEntry entry in header.Entries) tensors.Add(entry.Name, TensorBytes.Read(file, path, header.DataStart, entry));
        }
        catch
        {
            foreach (Tensor tensor in tensors.Values) tensor.Dispose();
            throw;
        }
        foreach (var (alias, stored) in aliases) tensors.Add(alias, tensors[stored]);
        return new CheckpointContents(tensors, aliases, header.Metadata);
    }

    // Only regular files: a FIFO would make the load wait forever for a writer, a device would feed it endless bytes.
    private static SafeFileHandle OpenCheckpoint(string path)
    {
        var (handle, type) = FileTypes.OpenForReading(path);
        if (type == FileType.Regular) return handle;
        handle.Dispose();
        throw new CheckpointFormatException(path, $"it is {FileTypes.Describe(type)}; checkpoints are read from regular files.");
    }

    // A hand-written module without a definition is saved without one.
    private static string? DefinitionOf(IModule module)
    {
        try
        {
            return DefinitionMetadata.Write(module.Definition);
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    private static void Write(string path, List<(string, Tensor)> stored, IReadOnlyDictionary<string, string> aliases, IReadOnlyDictionary<string, string>? userMetadata, string? definition = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [FormatKey] = "pt" };
        foreach (var (key, value) in userMetadata ?? new Dictionary<string, string>())
        {
            if (key.StartsWith(ReservedPrefix, StringComparison.Ordinal))
                throw new ArgumentException($"Metadata key '{key}' is reserved (keys starting with '{ReservedPrefix}' are written by Nnx); rename it.", nameof(userMetadata));
            metadata[key] = value ?? throw new ArgumentException($"Metadata '{key}' is null; safetensors metadata values are strings.", nameof(userMetadata));
        }
        if (aliases.Count > 0) metadata[AliasesKey] = AliasesJson(aliases);
        if (definition is not null) metadata[DefinitionKey] = definition;
        SafetensorsWriter.Write(path, stored, metadata);
    }

    private static string AliasesJson(IReadOnlyDictionary<string, string> aliases)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (alias, stored) in aliases) json.WriteString(alias, stored);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static Dictionary<string, string> ReadAliases(SafetensorsHeader header, string path)
    {
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!header.Metadata.TryGetValue(AliasesKey, out string? text)) return aliases;
        var names = header.Entries.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new CheckpointFormatException(path, $"metadata '{AliasesKey}' must be a JSON object {{alias: stored name}}.");
            foreach (JsonProperty alias in document.RootElement.EnumerateObject())
            {
                string? stored = alias.Value.ValueKind == JsonValueKind.String ? alias.Value.GetString() : null;
                if (stored is null || !names.Contains(stored))
                    throw new CheckpointFormatException(path, $"metadata '{AliasesKey}' ties {HeaderText.Quote(alias.Name)} to {HeaderText.Raw(alias.Value)}, which is not a tensor in the file.");
                if (names.Contains(alias.Name))
                    throw new CheckpointFormatException(path, $"metadata '{AliasesKey}' ties {HeaderText.Quote(alias.Name)}, which is also stored as a tensor.");
                if (!aliases.TryAdd(alias.Name, stored))
                    throw new CheckpointFormatException(path, $"metadata '{AliasesKey}' lists {HeaderText.Quote(alias.Name)} twice.");
            }
        }
        catch (JsonException e)
        {
            throw new CheckpointFormatException(path, $"metadata '{AliasesKey}' is not valid JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new CheckpointFormatException(path, $"metadata '{AliasesKey}' holds {HeaderText.InvalidString}", e);
        }
        return aliases;
    }
}
