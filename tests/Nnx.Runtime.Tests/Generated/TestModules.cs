using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Generated;

/// <summary>Two parameters of one vector size, for key-order tests.</summary>
public partial class Pair
{
    [Param(Shape = "n")] internal Parameter x;
    [Param(Shape = "n")] internal Parameter y;
}

/// <summary>A submodule declared between two parameters: keys must be drawn a, inner.x, inner.y, c.</summary>
public partial class Sandwich
{
    [Param(Shape = "n")] internal Parameter a;
    [Sub] internal Pair inner;
    [Param(Shape = "n")] internal Parameter c;
}

/// <summary>The token table of <see cref="TinyLm"/>.</summary>
public partial class Embedder
{
    [Param(Shape = "vocab,dModel", Init = "normal")] internal Parameter embedding;

    /// <summary>(T,) ids to (T, dModel) rows.</summary>
    public Tensor Forward(Tensor ids) => embedding.index_select(0, ids);
}

/// <summary>A residual MLP block with a running mean of its hidden activations (non-trainable state).</summary>
public partial class Block
{
    [Param(Shape = "dModel,hidden", Init = "normal(0.1)")] internal Parameter up;
    [Param(Shape = "hidden", Init = "zeros")] internal Parameter bias;
    [Param(Shape = "hidden,dModel", Init = "normal(0.1)")] internal Parameter down;
    [BatchStat(Shape = "hidden")] internal Tensor runningMean;

    /// <summary>(T, dModel) to (T, dModel).</summary>
    public Tensor Forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        Tensor h = torch.nn.functional.relu(x.matmul(up) + bias);
        if (training)
        {
            using (torch.no_grad())
                runningMean.mul_(0.9f).add_(h.mean([0]).mul(0.1f));
        }
        return (x + h.matmul(down)).MoveToOuterDisposeScope();
    }
}

/// <summary>The three-level model, pure declarations: embedding, a list of blocks, and an output head tied to the embedding.</summary>
public partial class TinyLm
{
    [Sub(Dims = "vocab=nTokens")] internal Embedder embed;
    [Sub(Count = "depth")] internal ModuleList<Block> blocks;
    [Param(Shape = "dModel", Init = "ones")] internal Parameter finalScale;
    [Tied("embed.embedding")] internal Parameter head;

    /// <summary>(T,) ids to (T, nTokens) logits.</summary>
    public Tensor Forward(Tensor ids)
    {
        using var scope = torch.NewDisposeScope();
        Tensor x = embed.Forward(ids);
        foreach (Block block in blocks) x = block.Forward(x);
        return (x * finalScale).matmul(head.t()).MoveToOuterDisposeScope();
    }
}

/// <summary>Own and child streams: the child draws from "dropout", the parent from "params".</summary>
public partial class Noisy
{
    [Param(Shape = "n", Rng = "dropout")] internal Parameter noise;
}

/// <summary>Uses a second stream through a submodule, and a float64 parameter by attribute.</summary>
public partial class StreamsParent
{
    [Param(Shape = "n", Init = "ones", Dtype = ScalarType.Float64)] internal Parameter wide;
    [Sub] internal Noisy noisy;
}

/// <summary>A user constructor chaining to the generated one, and the initialization hook.</summary>
public partial class Chained
{
    [Param(Shape = "n", Init = "constant(0.5)")] internal Parameter w;

    /// <summary>Fixed size 3.</summary>
    public Chained(Rngs rngs) : this(3, rngs) { }

    /// <summary>Set by <see cref="OnInitialized"/>: the hook ran after the parameter existed.</summary>
    public bool HookSawParameter { get; private set; }

    partial void OnInitialized() => HookSawParameter = w is not null && w.numel() == N;
}

/// <summary>A child with a deterministic initializer (the float64 random initializers are not there yet).</summary>
public partial class ConstChild
{
    [Param(Shape = "n", Init = "zeros")] internal Parameter shift;
    [BatchStat(Shape = "n", Init = "constant(2)")] internal Tensor count;
}

/// <summary>A parent of <see cref="ConstChild"/>, for <c>paramDtype</c>.</summary>
public partial class ConstParent
{
    [Param(Shape = "n", Init = "ones")] internal Parameter scale;
    [Sub] internal ConstChild child;
}

/// <summary>Built-in layers as submodules, for settings that must survive Clone and Merge.</summary>
public partial class TextEncoder
{
    [Sub(Dims = "numEmbeddings=vocab, features=dModel")] internal Embed embed;
    [Sub(Dims = "numFeatures=dModel")] internal LayerNorm norm;
}

/// <summary>A user module with a setting of its own: an option, carried to copies with no code.</summary>
public partial class Tempered
{
    /// <summary>Divides the logits; not a variable, so only the module's definition carries it.</summary>
    [Option] internal readonly double temperature = 1.0;

    [Param(Shape = "n")] internal Parameter logits;
}

/// <summary>Holds a <see cref="Tempered"/>, so its settings must be copied below the root.</summary>
public partial class TemperedPair
{
    [Sub(Options = "temperature=0.5")] internal Tempered first;
    [Sub(Options = "temperature=2.0")] internal Tempered second;
}
