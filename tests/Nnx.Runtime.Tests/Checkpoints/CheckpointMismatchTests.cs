using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Linq;
using Nnx.Runtime.Tests.StateTests;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.CheckpointTests;

/// <summary>Checkpoints that are valid files but do not fit the module: every difference reported, strict or not.</summary>
public sealed class CheckpointMismatchTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A TinyLm checkpoint with one wrong shape, one missing path, one wrong dtype and one extra tensor.</summary>
    private string WriteDifferingCheckpoint()
    {
        string path = _folder.File("differs.safetensors");
        using var source = new TinyLm(start: 50);
        using var scope = torch.NewDisposeScope();
        Checkpoint.SaveTensors(path, new Dictionary<string, Tensor>
        {
            ["embed.embedding"] = torch.zeros(4, 3),
            ["blocks.0.kernel"] = source.Blocks[0].Kernel,
            ["blocks.0.bias"] = source.Blocks[0].Bias,
            ["blocks.1.kernel"] = source.Blocks[1].Kernel,
            ["head.bias"] = source.Head.Bias,
            ["steps"] = torch.tensor(3),
            ["extra"] = torch.zeros(2),
        });
        return path;
    }

    private static readonly string[] ExpectedDifferences =
    [
        "embed.embedding: expected float32[5, 3], found float32[4, 3]",
        "blocks.1.bias: missing (the module expects float32[3])",
        "steps: expected int64[], found int32[]",
        "extra: unexpected (float32[2]; the module has no such variable)",
    ];

    [Fact]
    public void A_strict_load_lists_every_difference_and_changes_nothing()
    {
        string path = WriteDifferingCheckpoint();
        using var model = new TinyLm(start: 0);
        var snapshot = TestValues.Snapshot(model);

        var thrown = Assert.Throws<StateMismatchException>(() => model.LoadCheckpoint(path));

        Assert.Equal(ExpectedDifferences, thrown.Differences.Select(d => d.ToString()).ToArray());
        Assert.StartsWith($"Checkpoint '{path}' does not fit TinyLm", thrown.Message);
        Assert.True(TestValues.Unchanged(model, snapshot));
    }

    [Fact]
    public void A_file_of_200000_strangers_and_a_megabyte_name_gets_a_message_of_a_few_lines()
    {
        // Empty tensors tile an empty data buffer, so a header of this many names is a valid file. Listed in full, the
        // message would take 14 MB (41 MB for the 600,000 of the report that found it).
        var header = new StringBuilder("{");
        header.Append('"').Append('n', 1 << 20).Append("\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}");
        for (int i = 0; i < 200_000; i++)
            header.Append(CultureInfo.InvariantCulture, $",\"t{i}\":{{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}");
        string path = _folder.File("strangers.safetensors");
        File.WriteAllBytes(path, SafetensorsFiles.Build(header.Append('}').ToString(), []));
        using var model = new Table(2, 2, start: 0);

        var thrown = Assert.Throws<StateMismatchException>(() => model.LoadCheckpoint(path));

        Assert.Equal(200_002, thrown.Differences.Count);
        Assert.True(thrown.Message.Length < 8000, $"{thrown.Message.Length} characters");
        Assert.Contains("(200002 differences; nothing was changed)", thrown.Message);
        Assert.Contains("... and 199982 more (all are in Differences)", thrown.Message);
        Assert.Contains($"  {new string('n', 300)}... ({(1 << 20) + 58} characters)", thrown.Message);
    }

    [Fact]
    public void A_non_strict_load_loads_what_fits_and_reports_the_rest()
    {
        string path = WriteDifferingCheckpoint();
        using var model = new TinyLm(start: 0);

        CheckpointLoadResult result = model.LoadCheckpoint(path, strict: false);

        Assert.Equal(new[] { "blocks.0.kernel", "blocks.0.bias", "blocks.1.kernel", "head.bias" }, result.Loaded);
        Assert.Equal(ExpectedDifferences, result.Differences.Select(d => d.ToString()).ToArray());
        using Tensor loadedKernel = TestValues.Values(60, 3, 3);
        using Tensor keptTable = TestValues.Values(0, 5, 3);
        using Tensor keptBias = TestValues.Values(120, 3);
        Assert.True(TestValues.BitEqual(model.Blocks[0].Kernel, loadedKernel));
        Assert.True(TestValues.BitEqual(model.Embed.Embedding, keptTable));
        Assert.True(TestValues.BitEqual(model.Blocks[1].Bias, keptBias));
        Assert.Equal(7L, model.Steps.item<long>());
    }
}
