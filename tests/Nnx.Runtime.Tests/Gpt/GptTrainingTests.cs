using System;
using System.IO;
using System.Linq;
using GptSample;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.GptTests;

/// <summary>Short, real training runs of the Gpt sample on a slice of its corpus.</summary>
public sealed class GptTrainingTests : IDisposable
{
    private static readonly Lazy<TokenCorpus> Slice = new(() => TokenCorpus.Load(TokenCorpus.DefaultPath, maxChars: 60_000, minTokens: 17));
    private readonly string _dir = Directory.CreateTempSubdirectory("nnx-gpt-").FullName;

    // Dropout on, so the runs below also prove that the dropout layers' own streams are reproduced and checkpointed.
    private static TrainingOptions Tiny(long seed = 0) => new()
    {
        Seed = seed, Batch = 4, Steps = 40, WarmupSteps = 4, LearningRate = 1e-2,
        Model = new ModelConfig(ModelConfig.Gpt2Vocab, Context: 16, Width: 32, Layers: 2, Heads: 2, DropoutRate: 0.1),
    };

    [Fact]
    public void Weight_decay_reaches_the_weight_matrices_and_no_bias_or_scale()
    {
        using var model = new ModelConfig(ModelConfig.Gpt2Vocab, Context: 16, Width: 32, Layers: 1, Heads: 2, DropoutRate: 0.0).Build(new Rngs(0));

        string[] decayed = model.GetState(StateFilter.Param & Trainer.DecayedWeights).Keys.ToArray();

        Assert.Equal(new[]
        {
            "tokens.embedding", "positions.embedding", "blocks.0.attn.query.kernel", "blocks.0.attn.key.kernel",
            "blocks.0.attn.value.kernel", "blocks.0.attn.out.kernel", "blocks.0.up.kernel", "blocks.0.down.kernel",
        }, decayed);
        // In NNX's layout the attention's biases are (heads, headDim) matrices; a rank rule would decay them.
        Assert.Equal(2, model.GetState(StateFilter.PathIs("blocks.0.attn.query.bias")).Values.Single().Shape.Length);
    }

    [Fact]
    public void Loss_falls_over_a_short_run()
    {
        using var trainer = new Trainer(Tiny(), Slice.Value);
        double before = trainer.Evaluate();

        for (int i = 0; i < 30; i++) trainer.TrainStep();
        double after = trainer.Evaluate();

        Assert.True(after < before - 1.0, $"validation loss went from {before:F3} to {after:F3}");
        Assert.True(trainer.TrainLosses.TakeLast(5).Average(p => p.Loss) < trainer.TrainLosses.Take(5).Average(p => p.Loss) - 1.0);
    }

    [Fact]
    public void The_same_seed_gives_the_same_loss_curve()
    {
        double[] first = Run(Tiny(seed: 5), 8);
        double[] second = Run(Tiny(seed: 5), 8);
        double[] other = Run(Tiny(seed: 6), 8);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void A_resumed_run_equals_the_uninterrupted_one_bit_for_bit()
    {
        string straightText;
        double[] straight;
        using (var uninterrupted = new Trainer(Tiny(), Slice.Value))
        {
            for (int i = 0; i < 12; i++) uninterrupted.TrainStep();
            straight = uninterrupted.TrainLosses.Select(p => p.Loss).ToArray();
            straightText = uninterrupted.Generate("And God said,", 8);
        }
        string checkpoint = Path.Combine(_dir, "half.safetensors");
        using (var firstHalf = new Trainer(Tiny(), Slice.Value))
        {
            for (int i = 0; i < 6; i++) firstHalf.TrainStep();
            firstHalf.SaveCheckpoint(checkpoint);
        }

        using var resumed = new Trainer(Tiny(), Slice.Value);
        resumed.Resume(checkpoint);
        for (int i = 0; i < 6; i++) resumed.TrainStep();

        Assert.Equal(12, resumed.Step);
        Assert.Equal(straight, resumed.TrainLosses.Select(p => p.Loss).ToArray());
        Assert.Equal(straightText, resumed.Generate("And God said,", 8));
    }

    [Fact]
    public void A_checkpoint_holds_the_model_its_dropout_streams_and_the_AdamW_state()
    {
        string checkpoint = Path.Combine(_dir, "one.safetensors");
        using (var trainer = new Trainer(Tiny(), Slice.Value))
        {
            for (int i = 0; i < 3; i++) trainer.TrainStep();
            trainer.SaveCheckpoint(checkpoint);
        }

        using CheckpointContents contents = Checkpoint.LoadTensors(checkpoint);

        Assert.Equal(3L, contents.Tensors["step"].item<long>());
        Assert.Contains("model.tokens.embedding", contents.Tensors.Keys);
        Assert.DoesNotContain(contents.Tensors.Keys, k => k.Contains("head"));
        Assert.True(contents.Tensors["opt_state.nu.blocks.1.attn.query.kernel"].abs().sum().item<float>() > 0);
        // Each training step runs every block's dropout twice (attention branch and MLP branch).
        Assert.Equal(6L, contents.Tensors["model.blocks.0.drop.rngs.count"].item<long>());
        Assert.Equal(3L, contents.Tensors["model.blocks.0.attn.rngs.count"].item<long>());
    }

    [Fact]
    public void A_checkpoint_of_another_size_is_refused_and_loads_nothing()
    {
        string checkpoint = Path.Combine(_dir, "wide.safetensors");
        using (var wide = new Trainer(Tiny() with { Model = Tiny().Model with { Width = 48 } }, Slice.Value))
            wide.SaveCheckpoint(checkpoint);
        using var narrow = new Trainer(Tiny(), Slice.Value);
        using Tensor before = narrow.Model.GetState().Values.First().Value.detach().clone();

        Assert.Throws<StateMismatchException>(() => narrow.Resume(checkpoint));

        Assert.True(narrow.Model.GetState().Values.First().Value.equal(before).all().item<bool>());
        Assert.Equal(0, narrow.Step);
    }

    private static double[] Run(TrainingOptions options, int steps)
    {
        using var trainer = new Trainer(options, Slice.Value);
        for (int i = 0; i < steps; i++) trainer.TrainStep();
        return trainer.TrainLosses.Select(p => p.Loss).ToArray();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
