using System;
using System.IO;
using System.Linq;
using Nnx.Runtime.Tests.Generated;

namespace Nnx.Runtime.Tests.Checkpoints;

/// <summary>A checkpoint records the module's definition, so a load reports options that differ although the shapes fit.</summary>
public class CheckpointDefinitionTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"nnx-definition-{Guid.NewGuid():N}.safetensors");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void The_metadata_holds_the_type_dimensions_and_options()
    {
        using var pair = new TemperedPair(3, new Rngs(0));

        pair.SaveCheckpoint(_path);
        CheckpointContents contents = Checkpoint.LoadTensors(_path);

        Assert.Equal(
            "{\"type\":\"Nnx.Runtime.Tests.Generated.TemperedPair\",\"arguments\":{\"n\":{\"dimension\":3},\"paramDtype\":{\"paramDtype\":null}}}",
            contents.Metadata[Checkpoint.DefinitionKey]);
        foreach (var tensor in contents.Tensors.Values) tensor.Dispose();
    }

    [Fact]
    public void A_load_reports_the_options_the_checkpoint_was_saved_with_when_they_differ()
    {
        using var saved = new Tempered(3, new Rngs(0), temperature: 0.5);
        saved.SaveCheckpoint(_path);
        using var other = new Tempered(3, new Rngs(1), temperature: 2.0);

        CheckpointLoadResult result = other.LoadCheckpoint(_path);

        Assert.True(other.logits.equal(saved.logits).all().item<bool>(), "other options do not stop the values (fine-tuning is legitimate)");
        StateDifference difference = Assert.Single(result.OptionDifferences);
        Assert.Equal(StateDifferenceKind.Option, difference.Kind);
        Assert.Equal("option temperature: the module has 2, the source was saved with 0.5", difference.ToString());
        Assert.Empty(result.Differences);
    }

    [Fact]
    public void A_load_into_a_module_of_the_same_options_reports_none()
    {
        using var saved = new Tempered(3, new Rngs(0), temperature: 0.5);
        saved.SaveCheckpoint(_path);
        using var same = new Tempered(3, new Rngs(1), temperature: 0.5);

        Assert.Empty(same.LoadCheckpoint(_path).OptionDifferences);
    }

    [Fact]
    public void An_optimizer_s_checkpoint_compares_the_options_of_its_model()
    {
        using var model = new Tempered(3, new Rngs(0), temperature: 0.5);
        using var optimizer = new Optimizer(model, UpdateRule.Sgd(0.1));
        optimizer.SaveCheckpoint(_path);
        using var otherModel = new Tempered(3, new Rngs(0));
        using var otherOptimizer = new Optimizer(otherModel, UpdateRule.Sgd(0.1));

        CheckpointLoadResult result = otherOptimizer.LoadCheckpoint(_path);

        Assert.Equal("model.temperature", Assert.Single(result.OptionDifferences).Path);
    }
}
