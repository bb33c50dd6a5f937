using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Nnx.Runtime.Tests.StateTests;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.CheckpointTests;

/// <summary>Saving and loading module states and tensor dictionaries: bit-exact values, dtypes, ties, metadata.</summary>
public sealed class CheckpointRoundTripTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_module_round_trip_is_bit_exact_and_keeps_the_tie()
    {
        string path = _folder.File("lm.safetensors");
        using var saved = new TinyLm(start: 0);
        using var loaded = new TinyLm(start: 50);
        var table = loaded.Embed.Embedding;

        saved.SaveCheckpoint(path);
        CheckpointLoadResult result = loaded.LoadCheckpoint(path);

        Assert.Equal(saved.GetState().Keys, result.Loaded);
        Assert.Empty(result.Differences);
        foreach (StateVariable v in saved.GetState().Values)
            Assert.True(TestValues.BitEqual(v.Value, loaded.GetState()[v.Path].Value), v.Path);
        Assert.Same(table, loaded.Embed.Embedding);
        Assert.Same(loaded.Embed.Embedding, loaded.Head.Kernel);
        Assert.True(table.requires_grad);
    }

    [Fact]
    public void A_tied_weight_is_written_once_and_recorded_in_the_metadata()
    {
        string path = _folder.File("lm.safetensors");
        using var model = new TinyLm();

        model.SaveCheckpoint(path, new Dictionary<string, string> { ["epoch"] = "3" });

        var (_, header, _) = SafetensorsFiles.Parse(File.ReadAllBytes(path));
        using JsonDocument json = JsonDocument.Parse(header);
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.DoesNotContain("head.kernel", names);
        Assert.Contains("embed.embedding", names);
        JsonElement metadata = json.RootElement.GetProperty("__metadata__");
        Assert.Equal("pt", metadata.GetProperty("format").GetString());
        Assert.Equal("3", metadata.GetProperty("epoch").GetString());
        using JsonDocument aliases = JsonDocument.Parse(metadata.GetProperty("nnx.aliases").GetString()!);
        Assert.Equal("embed.embedding", aliases.RootElement.GetProperty("head.kernel").GetString());
        Assert.Single(aliases.RootElement.EnumerateObject());
    }

    [Fact]
    public void A_tied_checkpoint_fills_both_paths_of_an_untied_module()
    {
        string path = _folder.File("tied.safetensors");
        using var tied = new TinyLm(tied: true, start: 0);
        using var untied = new TinyLm(tied: false, start: 50);

        tied.SaveCheckpoint(path);
        untied.LoadCheckpoint(path);

        using Tensor expected = TestValues.Values(0, 5, 3);
        Assert.True(TestValues.BitEqual(untied.Head.Kernel, expected));
        Assert.True(TestValues.BitEqual(untied.Embed.Embedding, expected));
    }

    [Fact]
    public void An_untied_checkpoint_into_a_tied_module_reports_the_second_copy()
    {
        string path = _folder.File("untied.safetensors");
        using var untied = new TinyLm(tied: false);
        using var tied = new TinyLm(tied: true, start: 50);
        untied.SaveCheckpoint(path);
        var snapshot = TestValues.Snapshot(tied);

        var thrown = Assert.Throws<StateMismatchException>(() => tied.LoadCheckpoint(path));

        StateDifference difference = Assert.Single(thrown.Differences);
        Assert.Equal("head.kernel", difference.Path);
        Assert.Contains("the module ties it to 'embed.embedding'", difference.ToString());
        Assert.True(TestValues.Unchanged(tied, snapshot));
    }

    [Fact]
    public void The_generated_sample_module_round_trips()
    {
        string path = _folder.File("embed.safetensors");
        using var saved = new EmbedForward.MyEmbed(vocab: 7, dModel: 3, rngs: new Rngs(0));
        using var loaded = new EmbedForward.MyEmbed(vocab: 7, dModel: 3, rngs: new Rngs(1));

        saved.SaveCheckpoint(path);
        loaded.LoadCheckpoint(path);

        Assert.True(TestValues.BitEqual(saved.Embedding, loaded.Embedding));
    }

    [Fact]
    public void Every_supported_dtype_round_trips_bit_exactly()
    {
        string path = _folder.File("dtypes.safetensors");
        using var scope = torch.NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["f32"] = torch.tensor(new[] { float.NaN, -0.0f, float.Epsilon, float.MaxValue, float.NegativeInfinity }),
            ["f64"] = torch.tensor(new[] { double.NaN, -0.0, double.Epsilon, Math.PI }),
            ["f16"] = torch.tensor(new[] { 1.5f, -2f, 65504f, 0.000061035156f }).to(ScalarType.Float16),
            ["bf16"] = torch.tensor(new[] { 1f, -3.5f, 1e38f }).to(ScalarType.BFloat16),
            ["i64"] = torch.tensor(new[] { long.MinValue, long.MaxValue, -1L }),
            ["i32"] = torch.tensor(new[] { int.MinValue, int.MaxValue }),
            ["i16"] = torch.tensor(new short[] { short.MinValue, 7 }),
            ["i8"] = torch.tensor(new sbyte[] { sbyte.MinValue, -1 }),
            ["u8"] = torch.tensor(new byte[] { 0, 255 }),
            ["bool"] = torch.tensor(new[] { true, false, true }),
            ["scalar"] = torch.tensor(2.5f),
            ["empty"] = torch.zeros(0, 3),
            ["matrix"] = TestValues.Values(1, 2, 3, 4),
        };

        Checkpoint.SaveTensors(path, tensors);
        using CheckpointContents contents = Checkpoint.LoadTensors(path);

        Assert.Equal(tensors.Keys.OrderBy(k => k), contents.Tensors.Keys.OrderBy(k => k));
        foreach (var (name, tensor) in tensors) Assert.True(TestValues.BitEqual(tensor, contents.Tensors[name]), name);
    }

    [Fact]
    public void The_same_tensor_under_two_names_is_stored_once_and_loads_as_one_object()
    {
        string path = _folder.File("shared.safetensors");
        using Tensor shared = torch.ones(4, 2);
        using Tensor other = torch.zeros(3);

        Checkpoint.SaveTensors(path, new Dictionary<string, Tensor> { ["wte"] = shared, ["bias"] = other, ["lm_head"] = shared });
        using CheckpointContents contents = Checkpoint.LoadTensors(path);

        Assert.Equal("wte", contents.Aliases["lm_head"]);
        Assert.Same(contents.Tensors["wte"], contents.Tensors["lm_head"]);
        Assert.Equal(8 + (long)SafetensorsFiles.Parse(File.ReadAllBytes(path)).HeaderLength + 4 * 8 + 4 * 3, new FileInfo(path).Length);
    }

    [Fact]
    public void Overwriting_a_larger_file_leaves_no_trailing_bytes_and_no_temporary_file()
    {
        string path = _folder.File("w.safetensors");
        using Tensor big = torch.zeros(1000);
        using Tensor small = torch.ones(2);

        Checkpoint.SaveTensors(path, new Dictionary<string, Tensor> { ["w"] = big });
        Checkpoint.SaveTensors(path, new Dictionary<string, Tensor> { ["w"] = small });

        byte[] file = File.ReadAllBytes(path);
        var (n, _, data) = SafetensorsFiles.Parse(file);
        Assert.Equal(8 + (long)n + 8, file.Length);
        Assert.Equal(SafetensorsFiles.Floats(1, 1), data);
        Assert.Equal(new[] { path }, Directory.GetFiles(_folder.Root));
    }

    [Fact]
    public void Metadata_is_returned_and_reserved_keys_are_refused()
    {
        string path = _folder.File("m.safetensors");
        using var model = new Table(2, 2, 0);

        model.SaveCheckpoint(path, new Dictionary<string, string> { ["step"] = "12" });
        CheckpointLoadResult result = model.LoadCheckpoint(path);
        var thrown = Assert.Throws<ArgumentException>(() => model.SaveCheckpoint(path, new Dictionary<string, string> { ["nnx.mine"] = "x" }));

        Assert.Equal("12", result.Metadata["step"]);
        Assert.Contains("'nnx.mine' is reserved", thrown.Message);
    }

    [Fact]
    public void A_tensor_named_like_the_metadata_entry_is_refused()
    {
        using Tensor w = torch.ones(1);

        var thrown = Assert.Throws<ArgumentException>(() => Checkpoint.SaveTensors(_folder.File("x.safetensors"), new Dictionary<string, Tensor> { ["__metadata__"] = w }));

        Assert.Contains("not '__metadata__'", thrown.Message);
        Assert.Empty(Directory.GetFiles(_folder.Root));
    }

    [Fact]
    public void An_unsupported_dtype_is_refused_before_the_old_file_is_touched()
    {
        string path = _folder.File("c.safetensors");
        using Tensor good = torch.ones(2);
        using Tensor complex = torch.zeros(new long[] { 2 }, ScalarType.ComplexFloat32);
        Checkpoint.SaveTensors(path, new Dictionary<string, Tensor> { ["good"] = good });
        byte[] before = File.ReadAllBytes(path);

        var thrown = Assert.Throws<ArgumentException>(() => Checkpoint.SaveTensors(path, new Dictionary<string, Tensor> { ["z"] = complex }));

        Assert.Contains("'z' has dtype ComplexFloat32", thrown.Message);
        Assert.Contains("F32, F64, F16, BF16", thrown.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_folder.Root));
    }

    [Fact]
    public void Tensors_larger_than_one_chunk_are_written_and_read_in_pieces()
    {
        string path = _folder.File("chunks.safetensors");
        string reference = _folder.File("reference.safetensors");
        using Tensor values = TestValues.Values(3, 10);

        SafetensorsWriter.Write(path, [("v", values)], new Dictionary<string, string>(), chunkBytes: 12);
        SafetensorsWriter.Write(reference, [("v", values)], new Dictionary<string, string>());
        using var file = File.OpenHandle(path);
        SafetensorsHeader header = SafetensorsHeader.Read(file, path);
        using Tensor read = TensorBytes.Read(file, path, header.DataStart, header.Entries.Single(), chunkBytes: 12);

        Assert.Equal(File.ReadAllBytes(reference), File.ReadAllBytes(path));
        Assert.True(TestValues.BitEqual(values, read));
    }
}
