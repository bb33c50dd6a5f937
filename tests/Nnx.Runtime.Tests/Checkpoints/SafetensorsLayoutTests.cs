using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Nnx.Runtime.Tests.StateTests;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.CheckpointTests;

/// <summary>
/// Interoperability with the safetensors format as written down, checked both ways without the code under test on the
/// other side: our file is taken apart by hand, and a file put together by hand is read back.
/// </summary>
public sealed class SafetensorsLayoutTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Our_file_has_the_documented_layout_with_aligned_padded_data()
    {
        string path = _folder.File("layout.safetensors");
        using Tensor mask = torch.tensor(new byte[] { 1, 2, 3 });
        using Tensor weights = torch.tensor(new[] { 1.5f, -2f });
        using Tensor ids = torch.tensor(new[] { 5L, -6L, long.MaxValue });
        using Tensor half = torch.tensor(new[] { 1f }).to(ScalarType.Float16);

        Checkpoint.SaveTensors(path, new Dictionary<string, Tensor> { ["mask"] = mask, ["w"] = weights, ["ids"] = ids, ["h"] = half });

        byte[] file = File.ReadAllBytes(path);
        var (n, header, data) = SafetensorsFiles.Parse(file);
        Assert.Equal(0UL, (8 + n) % 8);
        Assert.StartsWith("{", header);
        Assert.Matches("^[^ ]*} *$", header);
        using JsonDocument json = JsonDocument.Parse(header);
        JsonElement root = json.RootElement;
        // Largest elements first keeps every tensor aligned to its element size: i64, f32, f16, u8.
        Assert.Equal("[0,24]", root.GetProperty("ids").GetProperty("data_offsets").GetRawText());
        Assert.Equal("[24,32]", root.GetProperty("w").GetProperty("data_offsets").GetRawText());
        Assert.Equal("[32,34]", root.GetProperty("h").GetProperty("data_offsets").GetRawText());
        Assert.Equal("[34,37]", root.GetProperty("mask").GetProperty("data_offsets").GetRawText());
        Assert.Equal("\"I64\"", root.GetProperty("ids").GetProperty("dtype").GetRawText());
        Assert.Equal("\"F16\"", root.GetProperty("h").GetProperty("dtype").GetRawText());
        Assert.Equal("\"U8\"", root.GetProperty("mask").GetProperty("dtype").GetRawText());
        Assert.Equal("[3]", root.GetProperty("ids").GetProperty("shape").GetRawText());
        Assert.Equal("pt", root.GetProperty("__metadata__").GetProperty("format").GetString());
        byte[] expected = [
            .. SafetensorsFiles.Longs(5, -6, long.MaxValue),
            .. SafetensorsFiles.Floats(1.5f, -2f),
            0x00, 0x3C, // float16 1.0 is 0x3C00, little-endian
            1, 2, 3];
        Assert.Equal(expected, data);
    }

    [Fact]
    public void A_file_built_by_hand_from_the_format_description_reads_back()
    {
        string path = _folder.File("hand.safetensors");
        // Entries listed out of offset order, extra whitespace and trailing space padding: all allowed by the format.
        string header = """
            { "b": {"dtype": "I64", "shape": [3], "data_offsets": [16, 40]},
              "__metadata__": {"format": "pt", "source": "hand"},
              "embedding": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]} }
            """ + "      ";
        byte[] data = [.. SafetensorsFiles.Floats(0.25f, -1f, 3f, float.NaN), .. SafetensorsFiles.Longs(-1, 0, 1L << 40)];
        File.WriteAllBytes(path, SafetensorsFiles.Build(header, data));

        using CheckpointContents contents = Checkpoint.LoadTensors(path);

        Tensor embedding = contents.Tensors["embedding"];
        Assert.Equal(ScalarType.Float32, embedding.dtype);
        Assert.Equal(new long[] { 2, 2 }, embedding.shape);
        Assert.Equal(new[] { 0.25f, -1f, 3f }, embedding.flatten().data<float>().ToArray()[..3]);
        Assert.True(float.IsNaN(embedding[1, 1].item<float>()));
        Assert.Equal(new[] { -1L, 0, 1L << 40 }, contents.Tensors["b"].data<long>().ToArray());
        Assert.Equal("hand", contents.Metadata["source"]);
        Assert.Empty(contents.Aliases);
    }

    [Fact]
    public void A_hand_built_file_loads_into_a_module_by_path()
    {
        string path = _folder.File("table.safetensors");
        string header = """{"embedding":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}""";
        File.WriteAllBytes(path, SafetensorsFiles.Build(header, SafetensorsFiles.Floats(1, 2, 3, 4)));
        using var module = new Table(2, 2, start: 50);

        module.LoadCheckpoint(path);

        Assert.Equal(new[] { 1f, 2, 3, 4 }, module.Embedding.data<float>().ToArray());
        Assert.True(module.Embedding.requires_grad);
    }

    [Fact]
    public void The_header_length_is_read_as_unsigned_little_endian()
    {
        string path = _folder.File("le.safetensors");
        using Tensor w = torch.ones(1);
        Checkpoint.SaveTensors(path, new Dictionary<string, Tensor> { ["w"] = w });
        byte[] file = File.ReadAllBytes(path);

        long fromBytes = 0;
        for (int i = 7; i >= 0; i--) fromBytes = (fromBytes << 8) | file[i];

        Assert.Equal(file.Length - 8 - 4, fromBytes);
        Assert.Equal((ulong)fromBytes, BinaryPrimitives.ReadUInt64LittleEndian(file));
    }
}
