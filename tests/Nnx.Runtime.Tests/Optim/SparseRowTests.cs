using System;
using System.Linq;
using Nnx.Runtime.Tests.StateTests;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Optim;

/// <summary>
/// Sparse lookups hand the optimizer row gradients instead of a dense table gradient. Dense-exact mode must train
/// exactly as the dense gradient does; lazy mode leaves untouched rows alone, as documented; a tied table falls back.
/// </summary>
public class SparseRowTests
{
    public static TheoryData<string> Rules => new() { "adam", "adamw-clipped", "momentum", "sgd" };

    private static UpdateRule Rule(string name) => name switch
    {
        "adam" => UpdateRule.Adam(0.02),
        "adamw-clipped" => UpdateRule.AdamW(0.02, weightDecay: 0.3).ClipByGlobalNorm(0.8),
        "momentum" => UpdateRule.Sgd(0.05, momentum: 0.9, nesterov: true),
        _ => UpdateRule.Sgd(0.05),
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Dense_exact_rows_train_bit_for_bit_as_the_dense_gradient_over_40_steps(string rule)
    {
        // Width 11: rows end in a scalar tail. Ids come from [0, 24) of 40 rows, with repeats in every batch.
        using var dense = new Tagger(vocab: 40, dModel: 11, classes: 5, rngs: new Rngs(3));
        using var sparse = new Tagger(vocab: 40, dModel: 11, classes: 5, rngs: new Rngs(3));
        using var denseOptimizer = new Optimizer(dense, Rule(rule));
        using var sparseOptimizer = new Optimizer(sparse, Rule(rule), rowUpdate: RowUpdate.DenseExact);
        var random = new System.Random(9);

        for (int step = 0; step < 40; step++)
        {
            long[] ids = Enumerable.Range(0, 48).Select(_ => (long)random.Next(24)).ToArray();
            long[] targets = Enumerable.Range(0, 48).Select(_ => (long)random.Next(5)).ToArray();
            TrainStep(dense, denseOptimizer, ids, targets, sparse: false);
            TrainStep(sparse, sparseOptimizer, ids, targets, sparse: true);
            Assert.Null(sparse.Table.grad);
        }

        AssertSameState(denseOptimizer, sparseOptimizer);
    }

    [Fact]
    public void Lazy_rows_move_only_when_touched_and_keep_stale_moments_otherwise()
    {
        using var dense = new Tagger(vocab: 8, dModel: 4, classes: 3, rngs: new Rngs(1));
        using var lazy = new Tagger(vocab: 8, dModel: 4, classes: 3, rngs: new Rngs(1));
        using var denseOptimizer = new Optimizer(dense, UpdateRule.Adam(0.05));
        using var lazyOptimizer = new Optimizer(lazy, UpdateRule.Adam(0.05), rowUpdate: RowUpdate.Lazy);
        using Tensor initial = lazy.Table.detach().clone();
        long[] targets = [0, 1];

        // Step 1 touches rows 1 and 2; steps 2 to 5 touch row 2 only. Row 5 is never touched.
        TrainStep(dense, denseOptimizer, [1, 2], targets, sparse: false);
        TrainStep(lazy, lazyOptimizer, [1, 2], targets, sparse: true);
        using Tensor row1AfterStep1 = lazy.Table[1].detach().clone();
        using Tensor row1MomentAfterStep1 = Mu(lazyOptimizer)[1].clone();
        for (int step = 0; step < 4; step++)
        {
            TrainStep(dense, denseOptimizer, [2, 2], targets, sparse: false);
            TrainStep(lazy, lazyOptimizer, [2, 2], targets, sparse: true);
        }

        // Row 1: frozen with its step-1 moment in lazy mode; dense Adam kept moving it on momentum alone.
        Assert.True(TestValues.BitEqual(row1AfterStep1, lazy.Table[1]));
        Assert.True(TestValues.BitEqual(row1MomentAfterStep1, Mu(lazyOptimizer)[1]));
        Assert.False(TestValues.BitEqual(lazy.Table[1], dense.Table[1]));
        Assert.False(TestValues.BitEqual(Mu(lazyOptimizer)[1], Mu(denseOptimizer)[1]));
        // Row 5, never touched: unmoved in both modes. Row 2, touched every step: the same in both modes.
        Assert.True(TestValues.BitEqual(initial[5], lazy.Table[5]));
        Assert.True(TestValues.BitEqual(initial[5], dense.Table[5]));
        Assert.True(TestValues.BitEqual(dense.Table[2], lazy.Table[2]));
        Assert.True(TestValues.BitEqual(Mu(denseOptimizer)[2], Mu(lazyOptimizer)[2]));
    }

    [Fact]
    public void For_plain_SGD_lazy_rows_equal_dense_training()
    {
        using var dense = new Tagger(vocab: 16, dModel: 9, classes: 3, rngs: new Rngs(6));
        using var lazy = new Tagger(vocab: 16, dModel: 9, classes: 3, rngs: new Rngs(6));
        using var denseOptimizer = new Optimizer(dense, UpdateRule.Sgd(0.1));
        using var lazyOptimizer = new Optimizer(lazy, UpdateRule.Sgd(0.1), rowUpdate: RowUpdate.Lazy);
        var random = new System.Random(2);
        for (int step = 0; step < 10; step++)
        {
            long[] ids = Enumerable.Range(0, 12).Select(_ => (long)random.Next(10)).ToArray();
            long[] targets = ids.Select(i => i % 3).ToArray();
            TrainStep(dense, denseOptimizer, ids, targets, sparse: false);
            TrainStep(lazy, lazyOptimizer, ids, targets, sparse: true);
        }
        AssertSameState(denseOptimizer, lazyOptimizer);
    }

    [Fact]
    public void A_tied_table_gets_its_rows_added_to_the_dense_gradient_and_trains_as_dense()
    {
        using var dense = new TiedLm(vocab: 20, dModel: 6, rngs: new Rngs(5));
        using var sparse = new TiedLm(vocab: 20, dModel: 6, rngs: new Rngs(5));
        using var denseOptimizer = new Optimizer(dense, UpdateRule.Adam(0.01));
        using var sparseOptimizer = new Optimizer(sparse, UpdateRule.Adam(0.01));
        var random = new System.Random(4);
        for (int step = 0; step < 15; step++)
        {
            long[] ids = Enumerable.Range(0, 16).Select(_ => (long)random.Next(20)).ToArray();
            using Tensor targets = torch.tensor(ids.Select(i => (i + 1) % 20).ToArray());
            foreach (var (model, optimizer, isSparse) in new[] { (dense, denseOptimizer, false), (sparse, sparseOptimizer, true) })
            {
                optimizer.ZeroGrad();
                using Tensor input = torch.tensor(ids);
                using Tensor loss = torch.nn.functional.cross_entropy(model.Forward(input, isSparse), targets);
                loss.backward();
                Assert.NotNull(model.Table.grad);
                optimizer.Step();
            }
            Assert.Equal(0, RowGradients.Of(sparse.Table)!.LookupCount);
        }
        OptimizerFormulaTests.AssertClose(OptimizerFormulaTests.Values(dense.Table), OptimizerFormulaTests.Values(sparse.Table), 1e-5);
    }

    [Fact]
    public void Embed_with_sparse_gradients_and_a_padding_id_trains_bit_for_bit_as_the_dense_Embed()
    {
        using var dense = new Embed(30, 8, new Rngs(2), paddingId: 0);
        using var sparse = new Embed(30, 8, new Rngs(2), paddingId: 0, sparseGradient: true);
        using var denseOptimizer = new Optimizer(dense, UpdateRule.Adam(0.05));
        using var sparseOptimizer = new Optimizer(sparse, UpdateRule.Adam(0.05));
        var random = new System.Random(7);
        for (int step = 0; step < 12; step++)
        {
            long[] ids = Enumerable.Range(0, 24).Select(_ => (long)random.Next(12)).ToArray();
            foreach (var (embed, optimizer) in new[] { (dense, denseOptimizer), (sparse, sparseOptimizer) })
            {
                optimizer.ZeroGrad();
                using Tensor input = torch.tensor(ids, 4, 6);
                using Tensor loss = embed.Forward(input).sub(0.3f).square().sum();
                loss.backward();
                optimizer.Step();
            }
        }
        AssertSameState(denseOptimizer, sparseOptimizer);
        Assert.All(OptimizerFormulaTests.Values(sparse.Embedding[0]), v => Assert.Equal(0, v));
    }

    [Fact]
    public void Two_backward_passes_before_a_step_accumulate_rows_as_the_dense_gradient_accumulates()
    {
        using var dense = new Tagger(vocab: 12, dModel: 5, classes: 3, rngs: new Rngs(8));
        using var sparse = new Tagger(vocab: 12, dModel: 5, classes: 3, rngs: new Rngs(8));
        using var denseOptimizer = new Optimizer(dense, UpdateRule.Adam(0.05));
        using var sparseOptimizer = new Optimizer(sparse, UpdateRule.Adam(0.05));
        long[][] batches = [[1, 3, 3, 7], [3, 5, 1, 1]];
        using Tensor start = dense.Table.detach().clone();

        foreach (var (model, optimizer, isSparse) in new[] { (dense, denseOptimizer, false), (sparse, sparseOptimizer, true) })
        {
            optimizer.ZeroGrad();
            foreach (long[] batch in batches)
            {
                using Tensor ids = torch.tensor(batch);
                using Tensor loss = model.Forward(ids, isSparse).square().sum();
                loss.backward();
            }
            optimizer.Step();
        }

        Assert.Equal(0, RowGradients.Of(sparse.Table)!.LookupCount);
        OptimizerFormulaTests.AssertClose(OptimizerFormulaTests.Values(dense.Table), OptimizerFormulaTests.Values(sparse.Table), 1e-6);
        Assert.False(TestValues.BitEqual(start, dense.Table));
    }

    [Fact]
    public void ZeroGrad_forgets_recorded_row_gradients()
    {
        using var model = new Tagger(vocab: 6, dModel: 3, classes: 2, rngs: new Rngs(0));
        using var optimizer = new Optimizer(model, UpdateRule.Adam(0.1));
        using Tensor before = model.Table.detach().clone();
        using Tensor ids = torch.tensor(new long[] { 1, 2 });
        using (Tensor loss = model.Forward(ids, sparse: true).sum()) loss.backward();
        Assert.Equal(1, RowGradients.Of(model.Table)!.LookupCount);

        optimizer.ZeroGrad();
        optimizer.Step();

        Assert.Equal(0, RowGradients.Of(model.Table)!.LookupCount);
        Assert.True(TestValues.BitEqual(before, model.Table));
        Assert.Equal(1, optimizer.StepCount);
    }

    [Theory]
    [InlineData(OutOfRange.JaxClamp)]
    [InlineData(OutOfRange.Fill)]
    public void Row_gradients_of_remapped_ids_add_up_to_the_dense_gradient(OutOfRange policy)
    {
        using Tensor table = torch.randn(7, 3, generator: new torch.Generator(1)).requires_grad_(true);
        using Tensor ids = torch.tensor(new long[] { -1, 3, 9, -9, 3, 0 }, 2, 3);
        using Tensor weights = torch.randn(2, 3, 3, generator: new torch.Generator(2));

        using (Tensor loss = global::Nnx.Lookup.Rows(table, ids, policy).nan_to_num().mul(weights).sum()) loss.backward();
        using Tensor denseGradient = table.grad!.clone();
        table.grad = null;
        using (Tensor loss = global::Nnx.Lookup.Rows(table, ids, policy, sparseGradient: true).nan_to_num().mul(weights).sum()) loss.backward();

        Assert.Null(table.grad);
        using Tensor fromRows = RowGradients.Of(table)!.ToDense();
        Assert.True(TestValues.BitEqual(denseGradient, fromRows));
        RowGradients.Of(table)!.Clear();
    }

    [Fact]
    public void A_sparse_lookup_without_gradient_recording_or_of_a_frozen_table_records_nothing()
    {
        using Tensor table = torch.randn(5, 2).requires_grad_(true);
        using Tensor frozen = torch.randn(5, 2);
        using Tensor ids = torch.tensor(new long[] { 1, 2 });

        using (torch.no_grad())
        using (Tensor rows = global::Nnx.Lookup.Rows(table, ids, sparseGradient: true)) { }
        using (Tensor rows = global::Nnx.Lookup.Rows(frozen, ids, sparseGradient: true)) { }

        Assert.Null(RowGradients.Of(table));
        Assert.Null(RowGradients.Of(frozen));
    }

    [Fact]
    public void Ids_changed_after_a_sparse_lookup_are_refused_at_the_step_and_nothing_is_updated()
    {
        using var model = new Tagger(vocab: 6, dModel: 3, classes: 2, rngs: new Rngs(0));
        using var optimizer = new Optimizer(model, UpdateRule.Adam(0.1));
        using Tensor ids = torch.tensor(new long[] { 1, 4 });
        using (Tensor loss = model.Forward(ids, sparse: true).sum()) loss.backward();
        var before = TestValues.Snapshot(optimizer);

        ids[1] = torch.tensor(60L);

        var e = Assert.Throws<InvalidOperationException>(() => optimizer.Step());
        Assert.Contains("id 60", e.Message);
        Assert.True(TestValues.Unchanged(optimizer, before));
    }

    private static void TrainStep(Tagger model, Optimizer optimizer, long[] ids, long[] targets, bool sparse)
    {
        optimizer.ZeroGrad();
        using Tensor input = torch.tensor(ids);
        using Tensor target = torch.tensor(targets);
        using (Tensor logits = model.Forward(input, sparse))
        using (Tensor loss = torch.nn.functional.cross_entropy(logits, target))
            loss.backward();
        optimizer.Step();
    }

    private static Tensor Mu(Optimizer optimizer) => optimizer.GetState()["opt_state.mu.table"].Value;

    private static void AssertSameState(Optimizer expected, Optimizer actual)
    {
        State a = expected.GetState(), b = actual.GetState();
        Assert.Equal(a.Keys, b.Keys);
        foreach (string path in a.Keys)
            Assert.True(TestValues.BitEqual(a[path].Value, b[path].Value), $"{path} differs");
    }
}
