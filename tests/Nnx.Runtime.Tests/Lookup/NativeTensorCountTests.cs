using Nnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Lookup;

/// <summary>A generated module whose Forward is the library lookup, as a generated embedding module's is.</summary>
public partial class LookupEmbed
{
    [Param(Shape = "vocab,dModel", Init = "normal")]
    private Parameter embedding;

    /// <summary>The embedding table, (vocab, dModel).</summary>
    public Parameter Embedding => embedding;

    /// <summary>Rows of the table for ids of any rank.</summary>
    public Tensor Forward(Tensor ids, OutOfRange outOfRange = OutOfRange.Throw) => Nnx.Lookup.Rows(embedding, ids, outOfRange);
}

/// <summary>Tensor.TotalCount is process-wide, so nothing else may create tensors while this runs.</summary>
[CollectionDefinition(nameof(NativeTensorCount), DisableParallelization = true)]
public sealed class NativeTensorCount;

/// <summary>Forwards inside dispose scopes leave no native tensors behind.</summary>
[Collection(nameof(NativeTensorCount))]
public class NativeTensorCountTests
{
    [Fact]
    public void Ten_thousand_forwards_in_dispose_scopes_leave_the_native_tensor_count_steady()
    {
        using var model = new LookupEmbed(vocab: 100, dModel: 8, rngs: new Rngs(0));
        using Tensor ids1 = torch.randint(0, 100, new long[] { 16 }, ScalarType.Int64);
        using Tensor ids2 = torch.randint(0, 100, new long[] { 2, 8 }, ScalarType.Int32);
        using Tensor idsBad = torch.tensor(new long[] { 3, 150, -1 });
        using Tensor output = torch.empty(2, 8, 8);
        Forwards(model, ids1, ids2, idsBad, output, 10);
        // Finalise what earlier tests left to the GC, so that only this test's tensors move the count.
        System.GC.Collect();
        System.GC.WaitForPendingFinalizers();
        long before = torch.Tensor.TotalCount;

        Forwards(model, ids1, ids2, idsBad, output, 10_000);

        Assert.Equal(before, torch.Tensor.TotalCount);
    }

    // Every path: rank 1, reshaped rank 2, both JAX policies, and the reused output.
    private static void Forwards(LookupEmbed model, Tensor ids1, Tensor ids2, Tensor idsBad, Tensor output, int count)
    {
        for (int i = 0; i < count; i++)
        {
            using DisposeScope scope = torch.NewDisposeScope();
            OutOfRange policy = (i % 3) switch { 0 => OutOfRange.JaxClamp, 1 => OutOfRange.Fill, _ => OutOfRange.Throw };
            model.Forward(ids1);
            model.Forward(ids2);
            if (policy != OutOfRange.Throw) model.Forward(idsBad, policy);
            using (torch.no_grad()) Nnx.Lookup.RowsInto(model.Embedding, ids2, output);
        }
    }
}
