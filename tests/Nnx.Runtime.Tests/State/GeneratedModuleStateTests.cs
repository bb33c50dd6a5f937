using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Nnx.Runtime.Tests.CheckpointTests;
using Nnx.Runtime.Tests.Generated;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.StateTests;

/// <summary>
/// The state API and checkpoints on modules the generator wrote (<see cref="Generated.TinyLm"/>: an embedding, a list
/// of blocks with running means, a scale and a head tied to the embedding), checked through their forward pass.
/// </summary>
public sealed class GeneratedModuleStateTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    // Merge and Clone tests use seed 3: NewLike draws from new Rngs(0), so matching values prove they were copied.
    private static Generated.TinyLm NewModel(int seed) => new(nTokens: 11, dModel: 4, depth: 2, hidden: 6, rngs: new Rngs(seed));

    private static Tensor Ids() => torch.tensor(new long[] { 1, 5, 10, 0 });

    [Fact]
    public void The_state_follows_declaration_order_with_running_means_and_the_tied_head_stored_once()
    {
        using var model = NewModel(3);

        State state = model.GetState();

        string[] block = ["up", "bias", "down", "runningMean"];
        string[] expected = new[] { "embed.embedding" }
            .Concat(Enumerable.Range(0, 2).SelectMany(i => block.Select(p => $"blocks.{i}.{p}"))).Append("finalScale").ToArray();
        Assert.Equal(expected, state.Keys.ToArray());
        Assert.Equal(new Dictionary<string, string> { ["head"] = "embed.embedding" }, state.Aliases);
        Assert.Equal(new[] { "blocks.0.runningMean", "blocks.1.runningMean" }, model.GetState(VariableKind.BatchStat).Keys.ToArray());
        Assert.Contains("\n  head: tied to embed.embedding", state.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Split_and_merge_give_a_model_with_the_same_outputs_and_one_tied_table()
    {
        using var model = NewModel(3);
        var (graphDef, states) = model.Split(VariableKind.Param, VariableKind.BatchStat);

        using var merged = (Generated.TinyLm)graphDef.Merge(states);
        using Tensor ids = Ids();
        using Tensor expected = model.Forward(ids);
        using Tensor actual = merged.Forward(ids);

        Assert.Same(merged.embed.embedding, merged.head);
        Assert.NotSame(model.embed.embedding, merged.embed.embedding);
        Assert.True(TestValues.BitEqual(expected, actual));
    }

    [Fact]
    public void A_graph_definition_still_merges_after_its_module_is_disposed()
    {
        var model = NewModel(3);
        var (graphDef, states) = model.Split();
        using Tensor table = model.embed.embedding.detach().clone();
        var snapshot = new State([new StateVariable("embed.embedding", VariableKind.Param, table)]);
        State rest = states[0].Filter(!StateFilter.PathIs("embed.embedding"));
        using var restValues = new DisposableState(rest);
        model.Dispose();

        using var merged = (Generated.TinyLm)graphDef.Merge(snapshot, restValues.State);

        Assert.True(TestValues.BitEqual(table, merged.head));
        Assert.Contains("embed.embedding: Param float32[11, 4]", graphDef.ToString());
    }

    /// <summary>Detached copies of a state's tensors, so the state outlives its module.</summary>
    private sealed class DisposableState(State live) : IDisposable
    {
        public State State { get; } = new(live.Values.Select(v => v with { Value = v.Value.detach().clone() }), live.Aliases);

        public void Dispose()
        {
            foreach (StateVariable v in State.Values) v.Value.Dispose();
        }
    }

    [Fact]
    public void A_clone_trains_apart_from_the_original()
    {
        using var model = NewModel(3);
        using var copy = model.Clone();
        using Tensor before = model.embed.embedding.detach().clone();
        using var sgd = torch.optim.SGD(copy.parameters(), 0.5);
        using Tensor ids = Ids();

        using (Tensor loss = copy.Forward(ids).square().sum()) loss.backward();
        sgd.step();

        Assert.Same(copy.embed.embedding, copy.head);
        Assert.False(TestValues.BitEqual(before, copy.embed.embedding));
        Assert.True(TestValues.BitEqual(before, model.embed.embedding));
    }

    [Fact]
    public void Update_with_running_means_copies_only_the_statistics()
    {
        using var trained = NewModel(0);
        using var fresh = NewModel(0);
        using Tensor ids = Ids();
        using (trained.Forward(ids)) { }

        fresh.Update(trained.GetState(VariableKind.BatchStat));

        Assert.False(fresh.blocks[0].runningMean.abs().sum().item<float>() == 0f);
        Assert.True(TestValues.BitEqual(trained.blocks[1].runningMean, fresh.blocks[1].runningMean));
    }

    [Fact]
    public void A_checkpoint_round_trip_restores_the_outputs_and_stores_the_tied_head_once()
    {
        string path = _folder.File("tinylm.safetensors");
        using var saved = NewModel(0);
        using var loaded = NewModel(1);
        using Tensor ids = Ids();
        using Tensor expected = saved.Forward(ids);

        saved.SaveCheckpoint(path);
        loaded.LoadCheckpoint(path);
        using Tensor actual = loaded.Forward(ids);

        Assert.True(TestValues.BitEqual(expected, actual));
        Assert.Same(loaded.embed.embedding, loaded.head);
        using CheckpointContents contents = Checkpoint.LoadTensors(path);
        Assert.Equal("embed.embedding", contents.Aliases["head"]);
        Assert.Equal(10, contents.Tensors.Count - contents.Aliases.Count);
        // 168 float32 values once: table 11x4, two blocks of up 4x6, bias 6, down 6x4, running mean 6, and the scale 4.
        Assert.Equal(8 + (long)SafetensorsFiles.Parse(File.ReadAllBytes(path)).HeaderLength + 4 * 168, new FileInfo(path).Length);
    }
}
