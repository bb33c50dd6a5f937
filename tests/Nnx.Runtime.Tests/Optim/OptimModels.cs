using Nnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Optim;

/// <summary>
/// Tokens to class scores: a lookup table, then a projection. Declared with the DSL, so <c>Clone</c> and <c>Merge</c>
/// can rebuild it; the lookup is dense or sparse per call, so one seed gives two models to train side by side.
/// </summary>
public partial class Tagger
{
    [Param(Shape = "vocab,dModel", Init = "normal(0.5)")]
    private Parameter table;

    [Param(Shape = "dModel,classes", Init = "lecun_normal")]
    private Parameter kernel;

    [Param(Shape = "classes", Init = "zeros")]
    private Parameter bias;

    public Parameter Table => table;

    public Parameter Kernel => kernel;

    public Parameter Bias => bias;

    public Tensor Forward(Tensor ids, bool sparse = false, OutOfRange outOfRange = OutOfRange.Throw)
    {
        using var scope = torch.NewDisposeScope();
        return global::Nnx.Lookup.Rows(table, ids, outOfRange, sparse).matmul(kernel).add(bias).MoveToOuterDisposeScope();
    }
}

/// <summary>A language model whose output head is its input table (<c>table.t()</c>), so the table gets both row and dense gradients.</summary>
public partial class TiedLm
{
    [Param(Shape = "vocab,dModel", Init = "normal(0.5)")]
    private Parameter table;

    [Param(Shape = "dModel", Init = "ones")]
    private Parameter scale;

    public Parameter Table => table;

    public Tensor Forward(Tensor ids, bool sparse = false)
    {
        using var scope = torch.NewDisposeScope();
        Tensor h = torch.tanh(global::Nnx.Lookup.Rows(table, ids, sparseGradient: sparse).mul(scale));
        return h.matmul(table.t()).MoveToOuterDisposeScope();
    }
}
