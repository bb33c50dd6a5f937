using System;
using System.IO;
using System.Linq;
using System.Text;
using Nnx.Runtime.Tests.StateTests;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.CheckpointTests;

/// <summary>
/// Corrupt files: each gives a <see cref="CheckpointFormatException"/> naming the file and the problem, and the module
/// it was loaded into keeps its values. Every file is built by hand around a valid 2x2 float32 <c>embedding</c>.
/// </summary>
public sealed class CorruptCheckpointTests : IDisposable
{
    private const string Valid = """{"embedding":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}""";
    private static readonly byte[] Data = SafetensorsFiles.Floats(1, 2, 3, 4);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, byte[], string> Files()
    {
        byte[] valid = SafetensorsFiles.Build(Valid, Data);
        byte[] notUtf8 = Encoding.UTF8.GetBytes(Valid.Replace("F32", "F\u00ff2", StringComparison.Ordinal));
        notUtf8[Array.IndexOf(notUtf8, (byte)0xC3)] = 0xFF;
        return new TheoryData<string, byte[], string>
        {
            { "empty file", [], "it must start with an 8-byte header length" },
            { "truncated length field", valid[..5], "the file is 5 bytes" },
            { "header length beyond the file", SafetensorsFiles.Build(Valid, Data, lengthField: (ulong)Valid.Length + 100), "beyond the end of the file" },
            { "header length over the limit", SafetensorsFiles.Build(Valid, Data, lengthField: 1UL << 40), "over the format's limit" },
            { "truncated data", valid[..^4], "ends beyond the data buffer, which has 12 bytes" },
            { "bad JSON", SafetensorsFiles.Build(Valid[..^2], Data), "not valid JSON" },
            { "header not an object", SafetensorsFiles.Build("[1, 2]", Data), "JSON object starting with '{'" },
            { "not UTF-8", SafetensorsFiles.Build(notUtf8, Data), "not valid UTF-8 (bad byte 0xFF" },
            {
                "duplicate names",
                SafetensorsFiles.Build("""{"embedding":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"embedding":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""", Data),
                "'embedding' appears twice"
            },
            { "unknown dtype", SafetensorsFiles.Build(Valid.Replace("F32", "F8_E4M3", StringComparison.Ordinal), Data), "dtype 'F8_E4M3', which is unknown or unsupported" },
            { "size not matching shape and dtype", SafetensorsFiles.Build(Valid.Replace("[0,16]", "[0,12]", StringComparison.Ordinal), Data[..12]), "16 bytes, but its data_offsets [0, 12] span 12 bytes" },
            {
                "overlapping offsets",
                SafetensorsFiles.Build("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"embedding":{"dtype":"F32","shape":[2,2],"data_offsets":[4,20]}}""", [.. Data, .. Data[..4]]),
                "tensors 'a' [0, 8] and 'embedding' [4, 20] overlap"
            },
            {
                "offsets out of bounds",
                SafetensorsFiles.Build("""{"embedding":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[2],"data_offsets":[16,24]}}""", Data),
                "tensor 'b' [16, 24] ends beyond the data buffer"
            },
            {
                "hole between tensors",
                SafetensorsFiles.Build("""{"embedding":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[1],"data_offsets":[20,24]}}""", [.. Data, .. Data[..8]]),
                "data bytes [16, 20) before tensor 'b' belong to no tensor"
            },
            { "trailing bytes", [.. valid, 0, 0, 0, 0], "4 bytes follow the last tensor" },
            { "negative dimension", SafetensorsFiles.Build(Valid.Replace("[2,2]", "[-2,2]", StringComparison.Ordinal), Data), "shape entry -2; expected a non-negative integer" },
            { "missing data_offsets", SafetensorsFiles.Build("""{"embedding":{"dtype":"F32","shape":[2,2]}}""", Data), "no 'data_offsets' array" },
            { "shape overflow", SafetensorsFiles.Build(Valid.Replace("[2,2]", "[4611686018427387904,4]", StringComparison.Ordinal), Data), "whose byte count or strides overflow 64 bits" },
            {
                // Zero bytes, but libtorch's strides would be 2^63 - 1 squared.
                "stride overflow behind a zero dimension",
                SafetensorsFiles.Build("""{"embedding":{"dtype":"F32","shape":[0,9223372036854775807,9223372036854775807],"data_offsets":[0,0]}}""", []),
                "has shape [0, 9223372036854775807, 9223372036854775807], whose byte count or strides overflow 64 bits"
            },
            { "lone surrogate in a name", SafetensorsFiles.Build(Valid.Replace("embedding", "\\ud800", StringComparison.Ordinal), Data), "the header holds a string that is not valid Unicode (an escaped lone surrogate" },
            { "lone surrogate in metadata", SafetensorsFiles.Build("""{"__metadata__":{"a":"x\udfffy"},""" + Valid[1..], Data), "the header holds a string that is not valid Unicode" },
            {
                "lone surrogate in an alias",
                SafetensorsFiles.Build("""{"__metadata__":{"nnx.aliases":"{\"\\ud800\":\"embedding\"}"},""" + Valid[1..], Data),
                "metadata 'nnx.aliases' holds a string that is not valid Unicode"
            },
            { "metadata value not a string", SafetensorsFiles.Build("""{"__metadata__":{"a":1},""" + Valid[1..], Data), "metadata 'a' must be a string" },
            {
                "alias to a missing tensor",
                SafetensorsFiles.Build("""{"__metadata__":{"nnx.aliases":"{\"head\":\"nope\"}"},""" + Valid[1..], Data),
                "ties 'head' to \"nope\", which is not a tensor in the file"
            },
        };
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void A_corrupt_file_is_reported_and_leaves_the_module_unchanged(string name, byte[] file, string problem)
    {
        string path = _folder.File(name.Replace(' ', '-') + ".safetensors");
        File.WriteAllBytes(path, file);
        using var module = new Table(2, 2, start: 50);
        var snapshot = TestValues.Snapshot(module);

        var thrown = Assert.Throws<CheckpointFormatException>(() => module.LoadCheckpoint(path));

        Assert.Contains(problem, thrown.Problem);
        Assert.Equal(path, thrown.FilePath);
        Assert.StartsWith(path, thrown.Message);
        Assert.True(TestValues.Unchanged(module, snapshot));
        Assert.Contains(problem, Assert.Throws<CheckpointFormatException>(() => Checkpoint.LoadTensors(path)).Problem);
    }

    [Fact]
    public void A_megabyte_name_is_cut_short_in_the_message()
    {
        string name = new('x', 1 << 20);
        string path = _folder.File("long-name.safetensors");
        File.WriteAllBytes(path, SafetensorsFiles.Build(Valid.Replace("embedding", name, StringComparison.Ordinal).Replace("F32", "F7", StringComparison.Ordinal), Data));

        var thrown = Assert.Throws<CheckpointFormatException>(() => Checkpoint.LoadTensors(path));

        Assert.True(thrown.Message.Length < 1000, $"{thrown.Message.Length} characters");
        Assert.Contains($"tensor '{new string('x', 120)}... (1048576 characters)' has dtype 'F7'", thrown.Message);
    }

    [Fact]
    public void A_bad_tensor_read_after_a_good_one_leaves_the_good_one_unwritten()
    {
        string path = _folder.File("bool.safetensors");
        string header = """{"embedding":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"mask":{"dtype":"BOOL","shape":[2],"data_offsets":[16,18]}}""";
        File.WriteAllBytes(path, SafetensorsFiles.Build(header, [.. Data, 1, 2]));
        using var module = new Masked();
        var snapshot = TestValues.Snapshot(module);

        var thrown = Assert.Throws<CheckpointFormatException>(() => module.LoadCheckpoint(path));

        Assert.Contains("tensor 'mask' is BOOL but element 1 holds byte 0x02", thrown.Message);
        Assert.True(TestValues.Unchanged(module, snapshot));
    }

    /// <summary>A table plus a boolean mask buffer, read in that order.</summary>
    private sealed class Masked : Module
    {
        private readonly Parameter _embedding = TestValues.Parameter(50, 2, 2);
        private readonly Tensor _mask = torch.tensor(new[] { true, false }).DetachFromDisposeScope();

        public Masked() : base(nameof(Masked))
        {
            register_parameter("embedding", _embedding);
            register_buffer("mask", _mask);
        }

        public override void VisitState(IStateVisitor visitor)
        {
            visitor.Variable("embedding", VariableKind.Param, _embedding);
            visitor.Variable("mask", VariableKind.BatchStat, _mask);
        }
    }
}
