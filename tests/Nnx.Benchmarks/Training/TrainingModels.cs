using Nnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx.Benchmarks.Training;

/// <summary>The TinyLm sample's model (samples/TinyLm/CharModel.cs), generated from the same declarations.</summary>
public partial class GeneratedCharModel
{
    [Sub(Dims = "numEmbeddings=vocab, features=dModel")]
    private Nnx.Embed embed;

    [Param(Shape = "context,dModel,hidden", Init = "lecun_normal")]
    private Parameter mix;

    [Param(Shape = "hidden", Init = "zeros")]
    private Parameter mixBias;

    [Sub(Dims = "inFeatures=hidden, outFeatures=dModel")]
    private Nnx.Linear project;

    public Tensor Forward(Tensor contexts)
    {
        using var scope = torch.NewDisposeScope();
        long batch = contexts.shape[0];
        Tensor x = embed.Forward(contexts).reshape(batch, Context * DModel);
        Tensor h = torch.nn.functional.gelu(x.matmul(mix.reshape(Context * DModel, Hidden)) + mixBias);
        return embed.Attend(project.Forward(h)).MoveToOuterDisposeScope();
    }
}

/// <summary>The same model written by hand the usual TorchSharp way, with TorchSharp's default initialisation.</summary>
public sealed class HandWrittenCharModel : torch.nn.Module<Tensor, Tensor>
{
    private readonly long _context, _dModel, _hidden;
    private readonly Parameter table;
    private readonly Parameter mix;
    private readonly Parameter mixBias;
    private readonly TorchSharp.Modules.Linear project;

    public HandWrittenCharModel(long vocab, long dModel, long context, long hidden) : base(nameof(HandWrittenCharModel))
    {
        (_context, _dModel, _hidden) = (context, dModel, hidden);
        table = new Parameter(torch.randn(vocab, dModel));
        mix = new Parameter(torch.randn(context, dModel, hidden).mul_(1.0 / System.Math.Sqrt(context * dModel)));
        mixBias = new Parameter(torch.zeros(hidden));
        project = torch.nn.Linear(hidden, dModel);
        RegisterComponents();
    }

    public override Tensor forward(Tensor contexts)
    {
        using var scope = torch.NewDisposeScope();
        long batch = contexts.shape[0];
        Tensor x = table.index_select(0, contexts.reshape(-1)).reshape(batch, _context * _dModel);
        Tensor h = torch.nn.functional.gelu(x.matmul(mix.reshape(_context * _dModel, _hidden)) + mixBias);
        return project.forward(h).matmul(table.t()).MoveToOuterDisposeScope();
    }
}
