using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace Nnx;

/// <summary>
/// A module's <see cref="ModuleDefinition"/> in a checkpoint's metadata (<see cref="Checkpoint.DefinitionKey"/>):
/// <c>{"type": "Ns.Block", "arguments": {"dModel": 768, "numHeads": 12, "dropoutRate": 0.1, ...}}</c>, a nested
/// definition (an optimizer's model) as a nested object. Loading compares the options and reports those that differ
/// (<see cref="CheckpointLoadResult.OptionDifferences"/>): a dropout rate or an epsilon changes what the module computes
/// although every tensor fits.
/// </summary>
internal static class DefinitionMetadata
{
    public static string Write(ModuleDefinition definition)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer)) WriteDefinition(json, definition);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The options whose values differ between the module's definition and the one in the file, as differences
    /// (nested definitions by dotted name: <c>model.numHeads</c>). Dimensions are left out: the tensors' shapes check them.
    /// </summary>
    /// <exception cref="CheckpointFormatException">The metadata entry is not a definition this library writes.</exception>
    public static List<StateDifference> Compare(ModuleDefinition module, string text, string path)
    {
        Dictionary<string, string> saved;
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            saved = Flatten(document.RootElement, "", path);
        }
        catch (JsonException e)
        {
            throw new CheckpointFormatException(path, $"metadata '{Checkpoint.DefinitionKey}' is not valid JSON: {e.Message}", e);
        }
        using JsonDocument mine = JsonDocument.Parse(Write(module));
        var differences = new List<StateDifference>();
        foreach (var (name, value) in Flatten(mine.RootElement, "", path))
            if (saved.TryGetValue(name, out string? found) && found != value)
                differences.Add(new StateDifference(name, StateDifferenceKind.Option, value, found));
        return differences;
    }

    private static Dictionary<string, string> Flatten(JsonElement definition, string prefix, string path)
    {
        if (definition.ValueKind != JsonValueKind.Object || !definition.TryGetProperty("arguments", out JsonElement arguments) || arguments.ValueKind != JsonValueKind.Object)
            throw new CheckpointFormatException(path, $"metadata '{Checkpoint.DefinitionKey}' must be an object with an \"arguments\" object.");
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty argument in arguments.EnumerateObject())
        {
            JsonElement value = argument.Value;
            if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("option", out JsonElement option))
                options[prefix + argument.Name] = option.GetRawText();
            else if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("definition", out JsonElement nested))
                foreach (var (name, text) in Flatten(nested, prefix + argument.Name + ".", path)) options[name] = text;
        }
        return options;
    }

    // Each argument is {"dimension": v}, {"option": v}, {"paramDtype": v} or {"definition": {...}}, so a reader knows
    // what it is without the module's type at hand.
    private static void WriteDefinition(Utf8JsonWriter json, ModuleDefinition definition)
    {
        json.WriteStartObject();
        json.WriteString("type", definition.ModuleType.FullName);
        json.WriteStartObject("arguments");
        foreach (ModuleArgument argument in definition.Arguments)
        {
            json.WriteStartObject(argument.Name);
            if (argument.Value is ModuleDefinition nested)
            {
                json.WritePropertyName("definition");
                WriteDefinition(json, nested);
            }
            else
            {
                json.WritePropertyName(argument.Kind switch
                {
                    ModuleArgumentKind.Dimension => "dimension",
                    ModuleArgumentKind.ParamDtype => "paramDtype",
                    _ => "option",
                });
                WriteValue(json, argument.Value);
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case bool b: json.WriteBooleanValue(b); break;
            case string or char or Enum: json.WriteStringValue(value.ToString()); break;
            case double d when !double.IsFinite(d): json.WriteStringValue(d.ToString(CultureInfo.InvariantCulture)); break;
            case float f when !float.IsFinite(f): json.WriteStringValue(f.ToString(CultureInfo.InvariantCulture)); break;
            case double d: json.WriteNumberValue(d); break;
            case float f: json.WriteNumberValue(f); break;
            case decimal m: json.WriteNumberValue(m); break;
            case sbyte or byte or short or ushort or int or uint or long: json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case ulong u: json.WriteNumberValue(u); break;
            case Array array:
                json.WriteStartArray();
                foreach (object? item in array) WriteValue(json, item);
                json.WriteEndArray();
                break;
            default: json.WriteStringValue(ModuleDefinition.Format(value)); break;
        }
    }
}
