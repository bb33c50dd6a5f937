using System;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.StateTests;

/// <summary>
/// Hand-written modules for the state and checkpoint tests: they register with TorchSharp and report their state
/// through <see cref="Module.VisitState"/> as generated modules do. Values are <c>start + 0.5 * i</c> in row-major
/// order, so every test knows them without running the code under test.
/// </summary>
internal static class TestValues
{
    public static Parameter Parameter(float start, params long[] shape)
    {
        using (torch.no_grad())
        {
            var p = new Parameter(Values(start, shape), requires_grad: true);
            p.DetachFromDisposeScope();
            return p;
        }
    }

    public static Tensor Values(float start, params long[] shape) =>
        torch.arange(shape.Aggregate(1L, (a, b) => a * b), ScalarType.Float32).mul_(0.5f).add_(start).reshape(shape);

    /// <summary>Same dtype, shape and bytes (bit-exact, so NaN payloads and -0.0 count).</summary>
    public static bool BitEqual(Tensor a, Tensor b)
    {
        if (a.dtype != b.dtype || !a.shape.SequenceEqual(b.shape)) return false;
        if (a.numel() == 0) return true;
        using var scope = torch.NewDisposeScope();
        return a.detach().cpu().contiguous().bytes.SequenceEqual(b.detach().cpu().contiguous().bytes);
    }

    /// <summary>A detached copy of every stored variable, to check later that a module was left unchanged.</summary>
    public static (string Path, Tensor Value)[] Snapshot(Module module) =>
        module.GetState().Values.Select(v => (v.Path, v.Value.detach().clone())).ToArray();

    public static bool Unchanged(Module module, (string Path, Tensor Value)[] snapshot)
    {
        State now = module.GetState();
        return now.Count == snapshot.Length && snapshot.All(s => TestValues.BitEqual(now[s.Path].Value, s.Value));
    }
}

/// <summary>A dense layer: <c>kernel</c> (in, out) and <c>bias</c> (out), or a kernel shared with another module.</summary>
internal sealed class Dense : Module
{
    private readonly float _start;

    public Dense(long inFeatures, long outFeatures, float start, Parameter? sharedKernel = null) : base(nameof(Dense))
    {
        (InFeatures, OutFeatures, _start) = (inFeatures, outFeatures, start);
        Kernel = sharedKernel ?? TestValues.Parameter(start, inFeatures, outFeatures);
        Bias = TestValues.Parameter(start + 100, outFeatures);
        register_parameter("kernel", Kernel);
        register_parameter("bias", Bias);
    }

    public long InFeatures { get; }
    public long OutFeatures { get; }
    public Parameter Kernel { get; }
    public Parameter Bias { get; }

    public override void VisitState(IStateVisitor visitor)
    {
        visitor.Variable("kernel", VariableKind.Param, Kernel);
        visitor.Variable("bias", VariableKind.Param, Bias);
    }

    // The copy starts from other values, so a test can tell copied values from fresh ones.
    public override ModuleDefinition Definition => new(typeof(Dense),
        [new("inFeatures", ModuleArgumentKind.Dimension, InFeatures), new("outFeatures", ModuleArgumentKind.Dimension, OutFeatures), new("start", ModuleArgumentKind.Option, _start - 1000)],
        static (a, _) => new Dense((long)a[0]!, (long)a[1]!, (float)a[2]!));
}

/// <summary>An embedding table, as <c>nnx.Embed</c>: one <c>embedding</c> parameter (vocab, dModel).</summary>
internal sealed class Table : Module
{
    public Table(long vocab, long dModel, float start) : base(nameof(Table))
    {
        Embedding = TestValues.Parameter(start, vocab, dModel);
        register_parameter("embedding", Embedding);
    }

    public Parameter Embedding { get; }

    public override void VisitState(IStateVisitor visitor) => visitor.Variable("embedding", VariableKind.Param, Embedding);

    public override ModuleDefinition Definition => new(typeof(Table),
        [new("vocab", ModuleArgumentKind.Dimension, Embedding.shape[0]), new("dModel", ModuleArgumentKind.Dimension, Embedding.shape[1])],
        static (a, _) => new Table((long)a[0]!, (long)a[1]!, -1000));
}

/// <summary>
/// A tiny language model: <c>embed</c>, a list <c>blocks.0</c>/<c>blocks.1</c>, a <c>head</c> whose kernel is the
/// embedding table itself when <paramref name="tied"/> (the NNX weight-tying pattern), and a <c>steps</c> counter
/// kept as a <see cref="VariableKind.BatchStat"/> int64 buffer.
/// </summary>
internal sealed class TinyLm : Module
{
    public TinyLm(long vocab = 5, long dModel = 3, bool tied = true, float start = 0) : base(nameof(TinyLm))
    {
        (Vocab, DModel, Tied, Start) = (vocab, dModel, tied, start);
        Embed = new Table(vocab, dModel, start);
        Blocks = [new Dense(dModel, dModel, start + 10), new Dense(dModel, dModel, start + 20)];
        Head = new Dense(vocab, dModel, start + 30, tied ? Embed.Embedding : null);
        Steps = torch.tensor(7L + (long)start).DetachFromDisposeScope();
        register_module("embed", Embed);
        register_module("block0", Blocks[0]);
        register_module("block1", Blocks[1]);
        register_module("head", Head);
        register_buffer("steps", Steps);
    }

    public long Vocab { get; }
    public long DModel { get; }
    public bool Tied { get; }
    public float Start { get; }
    public Table Embed { get; }
    public Dense[] Blocks { get; }
    public Dense Head { get; }
    public Tensor Steps { get; }

    public override void VisitState(IStateVisitor visitor)
    {
        visitor.Submodule("embed", Embed);
        for (int i = 0; i < Blocks.Length; i++) visitor.Submodule($"blocks.{i}", Blocks[i]);
        visitor.Submodule("head", Head);
        visitor.Variable("steps", VariableKind.BatchStat, Steps);
    }

    public override ModuleDefinition Definition => new(typeof(TinyLm),
        [new("vocab", ModuleArgumentKind.Dimension, Vocab), new("dModel", ModuleArgumentKind.Dimension, DModel),
         new("tied", ModuleArgumentKind.Option, Tied), new("start", ModuleArgumentKind.Option, Start - 1000)],
        static (a, _) => new TinyLm((long)a[0]!, (long)a[1]!, (bool)a[2]!, (float)a[3]!));
}

/// <summary>A module that registers with TorchSharp but does not override <see cref="IModule.VisitState"/>.</summary>
internal sealed class Unvisited : Module
{
    public Unvisited() : base(nameof(Unvisited))
    {
        register_parameter("weight", TestValues.Parameter(1, 2, 2));
        register_buffer("mean", torch.zeros(2).DetachFromDisposeScope());
        register_buffer("scratch", torch.ones(2).DetachFromDisposeScope(), persistent: false);
        register_module("inner", new Dense(2, 1, 5));
    }
}

/// <summary>A module whose <see cref="IModule.VisitState"/> reports the same name twice.</summary>
internal sealed class ReportsTwice : Module
{
    private readonly Parameter _w = TestValues.Parameter(0, 2);

    public ReportsTwice() : base(nameof(ReportsTwice)) => register_parameter("w", _w);

    public override void VisitState(IStateVisitor visitor)
    {
        visitor.Variable("w", VariableKind.Param, _w);
        visitor.Variable("w", VariableKind.Param, _w);
    }
}
