using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Layers;

/// <summary>A small convolutional classifier from <c>[Sub]</c> layers, as an NNX model holds <c>nnx.Conv</c> and <c>nnx.BatchNorm</c>.</summary>
public partial class TinyConvNet
{
    /// <summary>The convolution's window.</summary>
    [Option] private readonly long[] kernelSize;

    [Sub(Dims = "inFeatures=channels, outFeatures=hidden", Options = "kernelSize=kernelSize, padding=\"CIRCULAR\"")] internal Conv conv;
    [Sub(Dims = "numFeatures=hidden", Options = "momentum=0.9")] internal BatchNorm norm;
    [Sub(Dims = "inFeatures=hidden, outFeatures=classes")] internal Linear head;

    /// <summary>(batch, height, width, channels) images to (batch, classes) scores.</summary>
    public Tensor Forward(Tensor images)
    {
        using var scope = torch.NewDisposeScope();
        Tensor features = torch.nn.functional.relu(norm.Forward(conv.Forward(images)));
        return head.Forward(features.mean([1L, 2L])).MoveToOuterDisposeScope();
    }
}

/// <summary>Conv and BatchNorm as children of a generated module: keys, paths, training flags, state and training.</summary>
public class ConvNetTests
{
    private static TinyConvNet NewNet(long seed = 0) => new(kernelSize: [3, 3], channels: 2, hidden: 4, classes: 3, rngs: new Rngs(seed));

    private static Tensor Images() => torch.linspace(-1, 1, 2 * 5 * 5 * 2).reshape(2, 5, 5, 2).sin();

    [Fact]
    public void Children_draw_their_keys_in_declaration_order_as_in_NNX()
    {
        var rngs = new Rngs(0);
        using var net = new TinyConvNet(kernelSize: [3, 3], channels: 2, hidden: 4, classes: 3, rngs: rngs);
        using var conv = new Conv(2, 4, [3, 3], new Rngs(0));

        // conv kernel 0, conv bias 1, norm scale 2, norm bias 3, head kernel 4, head bias 5.
        Assert.Equal(6u, rngs.Count("params"));
        Assert.Equal(LayerData.Values(conv.Kernel), LayerData.Values(net.conv.Kernel));
        using Tensor kernel = Initializers.LecunNormal().Create(PrngKey.FromSeed(0).FoldIn(4), [4, 3]);
        Assert.Equal(LayerData.Values(kernel), LayerData.Values(net.head.Kernel));
        Assert.Equal("CIRCULAR", net.conv.Padding);
        Assert.Equal(0.9, net.norm.Momentum);
    }

    [Fact]
    public void Conv_and_BatchNorm_run_inside_torch_nn_Sequential_as_their_Forward()
    {
        using var conv = new Conv(2, 4, [3, 3], new Rngs(0));
        using var norm = new BatchNorm(4, new Rngs(1), useRunningAverage: true);
        using var sequential = torch.nn.Sequential(("conv", conv), ("norm", norm));
        using Tensor images = Images();

        using Tensor y = sequential.call(images);

        Assert.Equal(LayerData.Values(norm.Forward(conv.Forward(images))), LayerData.Values(y));
        Assert.Equal(new long[] { 2, 5, 5, 4 }, y.shape);
    }

    [Fact]
    public void State_paths_name_the_child_and_the_statistics_are_BatchStat()
    {
        using TinyConvNet net = NewNet();

        Assert.Equal(
            new[] { "conv.kernel", "conv.bias", "norm.mean", "norm.var", "norm.scale", "norm.bias", "head.kernel", "head.bias" },
            net.GetState().Keys);
        Assert.Equal(new[] { "norm.mean", "norm.var" }, net.GetState(StateFilter.BatchStat).Keys);
        Assert.DoesNotContain(net.named_parameters(), p => p.name.StartsWith("norm.mean") || p.name.StartsWith("norm.var"));
    }

    [Fact]
    public void The_parent_s_eval_and_train_switch_the_batch_statistics_as_NNX_s_do()
    {
        using TinyConvNet net = NewNet();
        using Tensor images = Images();

        net.eval();
        net.Forward(images).Dispose();
        float[] afterEval = LayerData.Values(net.norm.Mean);
        net.train();
        net.Forward(images).Dispose();

        Assert.Equal(new float[4], afterEval);
        Assert.DoesNotContain(0f, LayerData.Values(net.norm.Mean));
    }

    [Fact]
    public void Training_lowers_the_loss_and_a_checkpoint_or_a_clone_reproduces_the_trained_net_in_evaluation()
    {
        using var folder = new CheckpointTests.TempFolder();
        string path = folder.File("net.safetensors");
        using TinyConvNet net = NewNet();
        using TinyConvNet restored = NewNet(seed: 5);
        using Tensor images = Images();
        using Tensor labels = torch.tensor(new long[] { 0, 2 });
        var optimizer = torch.optim.Adam(net.parameters(), 0.05);
        float Loss()
        {
            using var scope = torch.NewDisposeScope();
            return torch.nn.functional.cross_entropy(net.Forward(images), labels).item<float>();
        }
        float before = Loss();

        for (int step = 0; step < 30; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            torch.nn.functional.cross_entropy(net.Forward(images), labels).backward();
            optimizer.step();
        }
        float after = Loss();
        net.eval();
        using Tensor expected = net.Forward(images);
        net.SaveCheckpoint(path);
        restored.LoadCheckpoint(path);
        restored.eval();
        using TinyConvNet clone = net.Clone();

        Assert.True(after < before / 2, $"loss {before} -> {after}");
        Assert.Equal(LayerData.Values(expected), LayerData.Values(restored.Forward(images)));
        Assert.Equal(LayerData.Values(expected), LayerData.Values(clone.Forward(images)));
        Assert.False(clone.norm.training);
    }
}
