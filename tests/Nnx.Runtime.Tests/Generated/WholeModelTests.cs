using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Generated;

/// <summary>Whole models as declarations: options, arithmetic, lists of different sizes, inheritance, ties, dropout as state.</summary>
public class WholeModelTests
{
    [Fact]
    public void Options_are_constructor_arguments_required_before_rngs_optional_after_and_read_only_properties()
    {
        ConstructorInfo ctor = typeof(HeadedBlock).GetConstructors().Single();
        using var block = new HeadedBlock(numHeads: 4, dModel: 16, rngs: new Rngs(0));

        Assert.Equal(["numHeads", "dModel", "rngs", "dropoutRate", "paramDtype", "qkvInit", "headScaleInit"], ctor.GetParameters().Select(p => p.Name!).ToArray());
        Assert.Equal(0.1, ctor.GetParameters()[3].DefaultValue);
        Assert.Equal(4, block.NumHeads);
        Assert.Equal(0.1, block.DropoutRate);
        Assert.False(typeof(HeadedBlock).GetProperty(nameof(HeadedBlock.NumHeads))!.CanWrite);
        Assert.Equal(new long[] { 16, 48 }, block.qkv.shape);
        Assert.Equal(new long[] { 4, 4 }, block.headScale.shape);
        Assert.Equal(0.1, block.drop.Rate);
    }

    [Fact]
    public void A_division_that_is_not_exact_is_a_constructor_error_naming_both_values()
    {
        var e = Assert.Throws<ArgumentException>(() => new HeadedBlock(numHeads: 3, dModel: 16, rngs: new Rngs(0)));

        Assert.Contains("HeadedBlock: Shape of 'headScale'", e.Message);
        Assert.Contains("dModel (16) is not divisible by numHeads (3)", e.Message);
    }

    [Fact]
    public void A_computed_size_below_one_is_a_constructor_error_naming_the_expression()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new HeadedBlock(numHeads: -2, dModel: 16, rngs: new Rngs(0)));

        Assert.Contains("HeadedBlock: Shape of 'headScale': numHeads is -2; a size must be at least 1", e.Message);
    }

    [Fact]
    public void A_list_takes_each_element_s_sizes_from_an_array_option()
    {
        using var mlp = new Mlp(widths: [1, 2, 3], rngs: new Rngs(0));
        State state = mlp.GetState();

        Assert.Equal(["layers.0.kernel", "layers.0.bias", "layers.1.kernel", "layers.1.bias"], state.Keys.ToArray());
        Assert.Equal(new long[] { 1, 2 }, state["layers.0.kernel"].Shape);
        Assert.Equal(new long[] { 2, 3 }, state["layers.1.kernel"].Shape);
        using Tensor y = mlp.Forward(torch.ones(5, 1));
        Assert.Equal(new long[] { 5, 3 }, y.shape);
    }

    [Fact]
    public void A_list_whose_count_is_below_one_or_an_index_past_the_array_is_a_clear_error()
    {
        var tooShort = Assert.Throws<ArgumentOutOfRangeException>(() => new Mlp(widths: [4], rngs: new Rngs(0)));
        var missing = Assert.Throws<ArgumentNullException>(() => new Mlp(widths: null!, rngs: new Rngs(0)));

        Assert.Contains("Mlp: Count of 'layers': widths.Length - 1 is 0; a size must be at least 1", tooShort.Message);
        Assert.Contains("option 'widths' is null", missing.Message);
    }

    [Fact]
    public void A_derived_module_draws_its_base_s_keys_first_as_nnx_super_init()
    {
        using var lora = new LoraLinear(8, 4, rank: 2, rngs: new Rngs(0));
        using var plain = new Linear(8, 4, new Rngs(0));

        Assert.True(lora.Kernel.equal(plain.Kernel).all().item<bool>(), "the base's kernel comes first, from params key 0");
        Assert.Equal(["kernel", "bias", "loraA", "loraB"], lora.GetState().Keys.ToArray());
        Assert.Equal(new long[] { 8, 2 }, lora.loraA.shape);
        Assert.Equal(8, lora.InFeatures);
        Assert.IsAssignableFrom<Linear>(lora);
    }

    [Fact]
    public void A_derived_module_s_forward_is_what_call_and_clone_run()
    {
        using var lora = new LoraLinear(3, 2, rank: 1, rngs: new Rngs(0));
        using (torch.no_grad()) lora.loraB.fill_(1f);
        using Tensor x = torch.ones(1, 3);

        using Tensor called = lora.call(x);
        using Tensor viaLinear = lora.Forward(x);
        using Tensor baseOnly = ((Linear)lora).Forward(x);
        using LoraLinear copy = lora.Clone();
        using Tensor cloned = copy.call(x);

        Assert.True(called.equal(viaLinear).all().item<bool>());
        Assert.False(called.equal(baseOnly).all().item<bool>(), "call() runs the LoRA forward, not the base's");
        Assert.True(cloned.equal(called).all().item<bool>());
        Assert.Equal(1L, copy.Definition["rank"]);
    }

    [Fact]
    public void A_sibling_tie_is_one_object_stored_once_moved_once_and_kept_by_clone()
    {
        using var pair = new SharedPair(3, new Rngs(0));
        State state = pair.GetState();

        Assert.Same(pair.bar.Kernel, pair.baz.Kernel);
        Assert.Equal(["bar.kernel", "bar.bias", "baz.bias"], state.Keys.ToArray());
        Assert.Equal("bar.kernel", state.Aliases["baz.kernel"]);
        Assert.Equal(3, pair.parameters().Count());

        pair.to(ScalarType.Float64);
        Assert.Same(pair.bar.Kernel, pair.baz.Kernel);
        Assert.Equal(ScalarType.Float64, pair.baz.Kernel.dtype);

        using SharedPair copy = pair.Clone();
        Assert.Same(copy.bar.Kernel, copy.baz.Kernel);
        Assert.True(copy.bar.Kernel.equal(pair.bar.Kernel).all().item<bool>());
    }

    [Fact]
    public void A_dropout_child_shows_its_stream_as_state_and_follows_the_parent_s_eval()
    {
        using var model = new Dropped(4, new Rngs(0));
        State state = model.GetState();
        using Tensor x = torch.ones(2, 4);

        Assert.Equal(VariableKind.RngKey, state["drop.rngs.key"].Kind);
        Assert.Equal(VariableKind.RngCount, state["drop.rngs.count"].Kind);
        Assert.Equal(["drop.rngs.key", "drop.rngs.count"], model.GetState(StateFilter.RngState).Keys.ToArray());
        model.eval();
        using Tensor evaluated = model.Forward(x);
        using Tensor projected = model.proj.Forward(x);
        Assert.True(evaluated.equal(projected).all().item<bool>(), "eval() reaches the dropout child");
        Assert.Equal(0u, model.drop.Stream.Count);
    }

    [Fact]
    public void A_clone_in_training_mode_continues_the_dropout_stream_and_keeps_flags()
    {
        using var model = new Dropped(4, new Rngs(0));
        using Tensor x = torch.ones(2, 4);
        using Tensor first = model.Forward(x);
        model.proj.eval();

        using Dropped copy = model.Clone();
        using Tensor fromOriginal = model.Forward(x);
        using Tensor fromCopy = copy.Forward(x);

        Assert.True(fromCopy.equal(fromOriginal).all().item<bool>(), "the copy draws the original's next mask");
        Assert.False(fromOriginal.equal(first).all().item<bool>(), "the stream moved on");
        Assert.False(copy.proj.training);
        Assert.True(copy.drop.training);
    }

    [Fact]
    public void A_checkpoint_carries_the_dropout_stream_so_a_resumed_run_draws_the_same_masks()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nnx-dropout-{Guid.NewGuid():N}.safetensors");
        try
        {
            using var model = new Dropped(4, new Rngs(0));
            using Tensor x = torch.ones(2, 4);
            using (model.Forward(x)) { }
            model.SaveCheckpoint(path);
            using Tensor next = model.Forward(x);

            using var resumed = new Dropped(4, new Rngs(99));
            resumed.LoadCheckpoint(path);
            using Tensor resumedNext = resumed.Forward(x);

            Assert.True(resumedNext.equal(next).all().item<bool>());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Parameters_options_dropout_and_lists_draw_nnx_keys_in_nnx_order()
    {
        using JsonDocument data = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "mixed-model.json")));
        JsonElement root = data.RootElement;
        var rngs = new Rngs(7);
        using var model = new Mixed(dIn: 3, dModel: 4, vocab: 5, rngs: rngs);
        State state = model.GetState();

        foreach (string path in new[] { "proj.kernel", "blocks.0.kernel", "blocks.1.kernel", "scale", "embed.embedding" })
            Assert.Equal(JaxVectors.FloatsFromBits(root.GetProperty(path)), state[path].Value.data<float>().ToArray());
        Assert.Equal(root.GetProperty("params_count").GetUInt32(), rngs.Count("params"));
        Assert.False(state.ContainsKey("blocks.0.bias"));

        using Tensor ones = torch.ones(2, 4);
        using Tensor dropped = model.drop.Forward(ones);
        bool[] mask = dropped.ne(0f).data<bool>().ToArray();
        Assert.Equal(root.GetProperty("dropout_mask").EnumerateArray().Select(e => e.GetBoolean()), mask);
    }

    [Fact]
    public void A_member_that_exists_only_when_an_option_says_so_draws_no_key_otherwise()
    {
        var rngs = new Rngs(0);
        using var plain = new Gated(3, rngs, useBias: false);
        using var full = new Gated(3, new Rngs(0), rate: 0.25);

        Assert.Equal(["weight"], plain.GetState().Keys.ToArray());
        Assert.Null(plain.bias);
        Assert.Null(plain.drop);
        Assert.Equal(1u, rngs.Count("params"));
        Assert.Equal(["weight", "bias", "drop.rngs.key", "drop.rngs.count"], full.GetState().Keys.ToArray());
        Assert.Equal(0.25, full.drop!.Rate);
    }

    [Fact]
    public void A_module_with_a_tensor_forward_goes_into_sequential_and_call_runs_hooks()
    {
        var rngs = new Rngs(0);
        using var first = new Linear(4, 3, rngs);
        using var second = new Mlp(widths: [3, 2], rngs: rngs);
        using var sequential = torch.nn.Sequential(("first", first), ("second", second));
        int calls = 0;
        first.register_forward_hook((module, input, output) => { calls++; return output; });
        using Tensor x = torch.ones(5, 4);

        using Tensor y = sequential.call(x);
        using Tensor byHand = second.Forward(first.Forward(x));

        Assert.True(y.equal(byHand).all().item<bool>());
        Assert.Equal(1, calls);
        Assert.Equal(["first.kernel", "first.bias", "second.layers.0.kernel", "second.layers.0.bias"], sequential.named_parameters().Select(p => p.name).ToArray());
    }

    [Fact]
    public void A_size_can_default_to_another_and_a_multi_axis_kernel_draws_as_its_flat_matrix()
    {
        using var implicitWidth = new Heads(numHeads: 2, inFeatures: 8, rngs: new Rngs(0));
        using var explicitWidth = new Heads(numHeads: 2, inFeatures: 8, rngs: new Rngs(0), qkvFeatures: 6);
        using Tensor flat = Initializers.LecunNormal().Create(new Rngs(0).Params(), [8, 8]);

        Assert.Equal(new long[] { 8, 2, 4 }, implicitWidth.query.shape);
        Assert.Equal(new long[] { 8, 2, 3 }, explicitWidth.query.shape);
        // LinearGeneral draws its kernel as the flat (in, heads * headDim) matrix and reshapes it: the same numbers.
        Assert.True(implicitWidth.query.reshape(8, 8).equal(flat).all().item<bool>());
    }

    [Fact]
    public void An_array_option_spreads_into_a_shape_and_each_element_is_checked()
    {
        using var one = new Window(kernelSize: [3], inFeatures: 2, outFeatures: 4, rngs: new Rngs(0));
        using var two = new Window(kernelSize: [3, 5], inFeatures: 2, outFeatures: 4, rngs: new Rngs(0));
        var bad = Assert.Throws<ArgumentOutOfRangeException>(() => new Window(kernelSize: [3, 0], inFeatures: 2, outFeatures: 4, rngs: new Rngs(0)));

        Assert.Equal(new long[] { 3, 2, 4 }, one.kernel.shape);
        Assert.Equal(new long[] { 3, 5, 2, 4 }, two.kernel.shape);
        Assert.Contains("Window: Shape of 'kernel': kernelSize[1] is 0; a size must be at least 1", bad.Message);
    }
}
