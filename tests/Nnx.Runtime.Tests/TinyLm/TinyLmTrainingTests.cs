using System;
using System.IO;
using System.Linq;
using TinyLmSample;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Training;

/// <summary>Short, real training runs of the TinyLm sample on a slice of its corpus.</summary>
public sealed class TinyLmTrainingTests : IDisposable
{
    private static readonly Lazy<Corpus> Slice = new(() => Corpus.Load(Corpus.DefaultPath, maxChars: 60_000));
    private readonly string _dir = Directory.CreateTempSubdirectory("nnx-tinylm-").FullName;

    private static TrainingOptions Small(long seed = 0) => new()
    {
        Seed = seed, Batch = 32, Context = 8, DModel = 16, Hidden = 32, LearningRate = 1e-2, Steps = 40,
    };

    [Fact]
    public void Loss_decreases_over_a_short_run()
    {
        using var trainer = new Trainer(Small(), Slice.Value);
        double before = trainer.Evaluate();

        for (int i = 0; i < 60; i++) trainer.TrainStep();
        double after = trainer.Evaluate();

        Assert.True(after < before - 0.3, $"validation loss went from {before:F3} to {after:F3}");
        Assert.True(trainer.TrainLosses.TakeLast(10).Average(p => p.Loss) < trainer.TrainLosses.Take(5).Average(p => p.Loss));
    }

    [Fact]
    public void The_same_seed_gives_the_same_loss_curve()
    {
        double[] first = Run(Small(seed: 5), 12);
        double[] second = Run(Small(seed: 5), 12);
        double[] other = Run(Small(seed: 6), 12);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void A_resumed_run_reproduces_the_uninterrupted_loss_curve()
    {
        double[] straight = Run(Small(), 20);
        string checkpoint = Path.Combine(_dir, "half.safetensors");
        using (var firstHalf = new Trainer(Small(), Slice.Value))
        {
            for (int i = 0; i < 10; i++) firstHalf.TrainStep();
            firstHalf.SaveCheckpoint(checkpoint);
        }

        using var resumed = new Trainer(Small(), Slice.Value);
        resumed.Resume(checkpoint);
        for (int i = 0; i < 10; i++) resumed.TrainStep();

        Assert.Equal(20, resumed.Step);
        Assert.Equal(straight, resumed.TrainLosses.Select(p => p.Loss).ToArray());
    }

    [Fact]
    public void A_checkpoint_is_one_file_holding_the_model_and_the_Adam_state()
    {
        string checkpoint = Path.Combine(_dir, "one.safetensors");
        using (var trainer = new Trainer(Small(), Slice.Value))
        {
            for (int i = 0; i < 3; i++) trainer.TrainStep();
            trainer.SaveCheckpoint(checkpoint);
        }

        Nnx.CheckpointContents contents = Nnx.Checkpoint.LoadTensors(checkpoint);

        Assert.Equal([checkpoint], Directory.GetFiles(_dir));
        Assert.Equal(3L, contents.Tensors["step"].item<long>());
        Assert.Contains("model.embed.embedding", contents.Tensors.Keys);
        Assert.Contains("opt_state.mu.embed.embedding", contents.Tensors.Keys);
        Assert.Contains("opt_state.nu.project.kernel", contents.Tensors.Keys);
        Assert.True(contents.Tensors["opt_state.nu.mix"].abs().sum().item<float>() > 0);
        foreach (Tensor t in contents.Tensors.Values) t.Dispose();
    }

    [Fact]
    public void One_sgd_step_through_the_lookup_changes_only_the_rows_of_ids_in_the_batch()
    {
        using var trainer = new Trainer(Small(), Slice.Value);
        Nnx.Embed embed = trainer.Model.Embed;
        using Tensor before = embed.Embedding.detach().clone();
        long[] ids = [5, 9, 9, 17];
        using var sgd = torch.optim.SGD([embed.Embedding], 0.5);

        using (Tensor loss = embed.Forward(torch.tensor(ids)).pow(2).sum())
            loss.backward();
        sgd.step();

        using Tensor changed = (embed.Embedding.detach() != before).any(1);
        bool[] rows = changed.data<bool>().ToArray();
        Assert.Equal(ids.Distinct().Order().ToArray(), Enumerable.Range(0, rows.Length).Where(r => rows[r]).Select(r => (long)r).ToArray());
    }

    [Fact]
    public void A_corrupt_checkpoint_is_refused_and_the_model_is_left_as_it_was()
    {
        string checkpoint = Path.Combine(_dir, "good.safetensors");
        using (var trainer = new Trainer(Small(), Slice.Value))
        {
            trainer.TrainStep();
            trainer.SaveCheckpoint(checkpoint);
        }
        byte[] bytes = File.ReadAllBytes(checkpoint);
        string corrupt = Path.Combine(_dir, "corrupt.safetensors");
        File.WriteAllBytes(corrupt, bytes[..(bytes.Length / 2)]);
        using var fresh = new Trainer(Small(seed: 9), Slice.Value);
        using Tensor before = fresh.Model.Embed.Embedding.detach().clone();

        var e = Assert.Throws<CheckpointFormatException>(() => fresh.Resume(corrupt));

        Assert.Contains("corrupt.safetensors", e.Message);
        Assert.True(fresh.Model.Embed.Embedding.detach().equal(before).all().item<bool>());
        Assert.Equal(0, fresh.Step);
    }

    [Fact]
    public void A_checkpoint_of_another_model_size_lists_the_differences_and_loads_nothing()
    {
        string checkpoint = Path.Combine(_dir, "wide.safetensors");
        using (var wide = new Trainer(Small() with { Hidden = 48 }, Slice.Value))
            wide.SaveCheckpoint(checkpoint);
        using var narrow = new Trainer(Small(), Slice.Value);
        using Tensor before = narrow.Model.Embed.Embedding.detach().clone();

        var e = Assert.Throws<StateMismatchException>(() => narrow.Resume(checkpoint));

        Assert.Contains("mixBias", e.Message);
        Assert.True(narrow.Model.Embed.Embedding.detach().equal(before).all().item<bool>());
    }

    private static double[] Run(TrainingOptions options, int steps)
    {
        using var trainer = new Trainer(options, Slice.Value);
        for (int i = 0; i < steps; i++) trainer.TrainStep();
        return trainer.TrainLosses.Select(p => p.Loss).ToArray();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
