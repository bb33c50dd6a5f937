using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Generated;

/// <summary>Options (required and optional), shape arithmetic and a dropout child fed by a parent option.</summary>
public partial class HeadedBlock
{
    [Option] internal readonly int numHeads;
    [Option] internal readonly double dropoutRate = 0.1;
    [Param(Shape = "dModel, 3*dModel")] internal Parameter qkv;
    [Param(Shape = "numHeads, dModel/numHeads", Init = "ones")] internal Parameter headScale;
    [Sub(Options = "rate=dropoutRate")] internal Dropout drop;
}

/// <summary>An MLP whose widths come from an array option: a list of children of different sizes.</summary>
public partial class Mlp
{
    [Option] internal readonly long[] widths;
    [Sub(Count = "widths.Length - 1", Dims = "inFeatures=widths[i], outFeatures=widths[i+1]")] internal ModuleList<Linear> layers;

    public Tensor Forward(Tensor x)
    {
        foreach (Linear layer in layers) x = layer.Forward(x);
        return x;
    }
}

/// <summary>LoRA over a Linear: the base's variables and keys first, as NNX's super().__init__.</summary>
public partial class LoraLinear : Linear
{
    [Param(Shape = "inFeatures, rank", Init = "normal(0.01)")] internal Parameter loraA;
    [Param(Shape = "rank, outFeatures", Init = "zeros")] internal Parameter loraB;

    public new Tensor Forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        return base.Forward(x).add(x.matmul(loraA).matmul(loraB)).MoveToOuterDisposeScope();
    }
}

/// <summary>Flax's <c>baz.kernel = bar.kernel</c>: a sibling's parameter, stored once.</summary>
public partial class SharedPair
{
    [Sub(Dims = "inFeatures=n, outFeatures=n")] internal Linear bar;
    [Sub(Dims = "inFeatures=n, outFeatures=n", Tied = "kernel=bar.kernel")] internal Linear baz;

    public Tensor Forward(Tensor x) => baz.Forward(bar.Forward(x));
}

/// <summary>A projection then dropout: the dropout stream is module state.</summary>
public partial class Dropped
{
    [Sub(Dims = "inFeatures=n, outFeatures=n")] internal Linear proj;
    [Sub(Options = "rate=0.5")] internal Dropout drop;

    public Tensor Forward(Tensor x)
    {
        using Tensor projected = proj.Forward(x);
        return drop.Forward(projected);
    }
}

/// <summary>Parameters, options, a forked dropout stream and a list in one model (the data file's NNX model).</summary>
public partial class Mixed
{
    [Option] internal readonly double rate = 0.5;
    [Sub(Dims = "inFeatures=dIn, outFeatures=dModel")] internal Linear proj;
    [Sub(Options = "rate=rate")] internal Dropout drop;
    [Sub(Count = "2", Dims = "inFeatures=dModel, outFeatures=dModel", Options = "useBias=false")] internal ModuleList<Linear> blocks;
    [Param(Shape = "dModel", Init = "normal(0.02)")] internal Parameter scale;
    [Sub(Dims = "numEmbeddings=vocab, features=dModel")] internal Embed embed;
}

/// <summary>Conditional members: a bias and a child that exist only when an option says so.</summary>
public partial class Gated
{
    [Option] internal readonly bool useBias = true;
    [Option] internal readonly double rate = 0.0;
    [Param(Shape = "n")] internal Parameter weight;
    [Param(Shape = "n", Init = "zeros", When = "useBias")] internal Parameter? bias;
    [Sub(Options = "rate=rate", When = "rate > 0")] internal Dropout? drop;
}

/// <summary>A size with a default from another (NNX's <c>qkv_features or in_features</c>) and a multi-axis kernel.</summary>
public partial class Heads
{
    [Option] internal readonly int numHeads;
    [Option] internal readonly long? qkvFeatures = null;
    [Param(Shape = "inFeatures, numHeads, (qkvFeatures ?? inFeatures) / numHeads", Init = "lecun_normal(in_axis=0, out_axis=(1, 2))")] internal Parameter query;
}

/// <summary>A kernel whose leading axes come from an array option, as NNX's Conv <c>kernel_size + (in, out)</c>.</summary>
public partial class Window
{
    [Option] internal readonly long[] kernelSize;
    [Param(Shape = "..kernelSize, inFeatures, outFeatures")] internal Parameter kernel;
}
