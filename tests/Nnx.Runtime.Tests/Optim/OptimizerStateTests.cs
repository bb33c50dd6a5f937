using System;
using System.IO;
using System.Linq;
using Nnx.Runtime.Tests.StateTests;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Optim;

/// <summary>The optimizer's state is NNX state of kind OptState: paths, filters, checkpoints, clones, resumes.</summary>
public sealed class OptimizerStateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nnx-optim-").FullName;

    [Fact]
    public void The_state_holds_the_model_the_step_count_and_the_moments_by_path_and_kind()
    {
        using var model = new Tagger(vocab: 6, dModel: 3, classes: 2, rngs: new Rngs(0));
        using var optimizer = new Optimizer(model, UpdateRule.Adam(1e-3));

        State state = optimizer.GetState();

        Assert.Equal(
            ["model.table", "model.kernel", "model.bias", "step",
             "opt_state.mu.table", "opt_state.mu.kernel", "opt_state.mu.bias",
             "opt_state.nu.table", "opt_state.nu.kernel", "opt_state.nu.bias"],
            state.Keys);
        Assert.Equal(["step", "opt_state.mu.table", "opt_state.mu.kernel", "opt_state.mu.bias", "opt_state.nu.table", "opt_state.nu.kernel", "opt_state.nu.bias"],
            optimizer.GetState(StateFilter.OptState).Keys);
        Assert.Equal(["model.table", "model.kernel", "model.bias"], optimizer.GetState(VariableKind.Param).Keys);
        Assert.Equal(ScalarType.Int64, state["step"].DType);
        Assert.Equal(model.Table.shape, state["opt_state.nu.table"].Shape);
        Assert.Equal(["step", "opt_state.trace.table", "opt_state.trace.kernel", "opt_state.trace.bias"],
            new Optimizer(model, UpdateRule.Sgd(0.1, momentum: 0.9)).GetState(VariableKind.OptState).Keys);
        Assert.Equal(["step"], new Optimizer(model, UpdateRule.Sgd(0.1)).GetState(VariableKind.OptState).Keys);
    }

    [Fact]
    public void A_run_resumed_from_a_checkpoint_continues_bit_for_bit()
    {
        string path = Path.Combine(_dir, "half.safetensors");
        using var straight = new Tagger(vocab: 20, dModel: 6, classes: 4, rngs: new Rngs(1));
        using var straightOptimizer = new Optimizer(straight, UpdateRule.AdamW(0.02).ClipByGlobalNorm(1.0));
        for (int step = 0; step < 6; step++) Train(straight, straightOptimizer, step);
        straightOptimizer.SaveCheckpoint(path);
        for (int step = 6; step < 12; step++) Train(straight, straightOptimizer, step);

        using var resumed = new Tagger(vocab: 20, dModel: 6, classes: 4, rngs: new Rngs(99));
        using var resumedOptimizer = new Optimizer(resumed, UpdateRule.AdamW(0.02).ClipByGlobalNorm(1.0));
        resumedOptimizer.LoadCheckpoint(path);
        Assert.Equal(6, resumedOptimizer.StepCount);
        for (int step = 6; step < 12; step++) Train(resumed, resumedOptimizer, step);

        AssertBitEqual(straightOptimizer, resumedOptimizer);
        Assert.Equal(12, resumedOptimizer.StepCount);
    }

    [Fact]
    public void A_checkpoint_keeps_optimizer_state_under_its_own_names_beside_the_model()
    {
        string path = Path.Combine(_dir, "state.safetensors");
        using var model = new Tagger(vocab: 5, dModel: 2, classes: 2, rngs: new Rngs(0));
        using var optimizer = new Optimizer(model, UpdateRule.Adam(0.1));
        Train(model, optimizer, 0);

        optimizer.SaveCheckpoint(path);
        CheckpointContents contents = Checkpoint.LoadTensors(path);

        Assert.Equal(1L, contents.Tensors["step"].item<long>());
        Assert.True(TestValues.BitEqual(optimizer.GetState()["opt_state.nu.kernel"].Value, contents.Tensors["opt_state.nu.kernel"]));
        Assert.True(TestValues.BitEqual(model.Kernel, contents.Tensors["model.kernel"]));
        foreach (Tensor t in contents.Tensors.Values) t.Dispose();
    }

    [Fact]
    public void A_clone_copies_model_and_moments_and_then_trains_independently_of_the_original()
    {
        using var model = new Tagger(vocab: 10, dModel: 5, classes: 3, rngs: new Rngs(2));
        using var optimizer = new Optimizer(model, UpdateRule.Adam(0.05));
        for (int step = 0; step < 3; step++) Train(model, optimizer, step);

        using Optimizer copy = optimizer.Clone();
        var cloneSnapshot = TestValues.Snapshot(copy);
        for (int step = 3; step < 6; step++) Train(model, optimizer, step);

        Assert.NotSame(model, copy.Model);
        Assert.Equal(3, copy.StepCount);
        Assert.True(TestValues.Unchanged(copy, cloneSnapshot));
        Assert.True(((Tagger)copy.Model).Table.requires_grad);
        for (int step = 3; step < 6; step++) Train((Tagger)copy.Model, copy, step);
        AssertBitEqual(optimizer, copy);
    }

    [Fact]
    public void Update_from_a_state_writes_model_and_optimizer_state_in_place()
    {
        using var source = new Tagger(vocab: 6, dModel: 3, classes: 2, rngs: new Rngs(4));
        using var sourceOptimizer = new Optimizer(source, UpdateRule.Adam(0.1));
        Train(source, sourceOptimizer, 0);
        using var target = new Tagger(vocab: 6, dModel: 3, classes: 2, rngs: new Rngs(5));
        using var targetOptimizer = new Optimizer(target, UpdateRule.Adam(0.1));
        Tensor mu = targetOptimizer.GetState()["opt_state.mu.kernel"].Value;

        targetOptimizer.Update(sourceOptimizer.GetState(VariableKind.OptState));

        Assert.Equal(1, targetOptimizer.StepCount);
        Assert.Same(mu, targetOptimizer.GetState()["opt_state.mu.kernel"].Value);
        Assert.True(TestValues.BitEqual(sourceOptimizer.GetState()["opt_state.mu.kernel"].Value, mu));
        Assert.False(TestValues.BitEqual(source.Kernel, target.Kernel));
    }

    [Fact]
    public void After_the_model_moves_to_float64_the_moments_follow_and_training_goes_on()
    {
        using var model = new Tagger(vocab: 6, dModel: 3, classes: 2, rngs: new Rngs(0));
        using var optimizer = new Optimizer(model, UpdateRule.Adam(0.1));
        Train(model, optimizer, 0);

        model.to(ScalarType.Float64);
        using Tensor input = torch.tensor(new long[] { 1, 2 });
        using (Tensor loss = model.Forward(input).sum()) loss.backward();
        optimizer.Step();

        Assert.Equal(ScalarType.Float64, optimizer.GetState()["opt_state.nu.table"].DType);
        Assert.Equal(2, optimizer.StepCount);
        Assert.Same(model.Table, optimizer.GetState()["model.table"].Value);
    }

    [Fact]
    public void Disposing_the_optimizer_leaves_the_model_usable()
    {
        using var model = new Tagger(vocab: 6, dModel: 3, classes: 2, rngs: new Rngs(0));
        var optimizer = new Optimizer(model, UpdateRule.Adam(0.1));

        optimizer.Dispose();

        Assert.False(model.Table.IsInvalid);
        Assert.Throws<ObjectDisposedException>(() => optimizer.Step());
    }

    private static void Train(Tagger model, Optimizer optimizer, int step)
    {
        var random = new System.Random(step);
        long vocab = model.Table.size(0), classes = model.Bias.size(0);
        optimizer.ZeroGrad();
        using Tensor ids = torch.tensor(Enumerable.Range(0, 16).Select(_ => (long)random.Next((int)vocab)).ToArray());
        using Tensor targets = torch.tensor(Enumerable.Range(0, 16).Select(_ => (long)random.Next((int)classes)).ToArray());
        using (Tensor logits = model.Forward(ids, sparse: step % 2 == 0))
        using (Tensor loss = torch.nn.functional.cross_entropy(logits, targets))
            loss.backward();
        optimizer.Step();
    }

    private static void AssertBitEqual(Optimizer expected, Optimizer actual)
    {
        State a = expected.GetState(), b = actual.GetState();
        Assert.Equal(a.Keys, b.Keys);
        foreach (string path in a.Keys) Assert.True(TestValues.BitEqual(a[path].Value, b[path].Value), $"{path} differs");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
