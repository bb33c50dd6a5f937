using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// <see cref="Lookup.Rows(Tensor, Tensor, OutOfRange, bool)"/> with a sparse gradient: the rows are selected outside
/// autograd into a new leaf that requires grad, so <c>backward()</c> leaves the gradient of exactly those rows in the
/// leaf's <c>grad</c> and none in the table's. The leaf and its ids are recorded in the table's <see cref="RowGradients"/>.
/// </summary>
internal static class SparseRows
{
    /// <param name="table">The table, requiring grad.</param>
    /// <param name="ids">Checked ids.</param>
    /// <param name="vocab">The table's row count.</param>
    /// <param name="outOfRange">The policy for out-of-range ids, or <see cref="OutOfRange.Throw"/> when there are none.</param>
    public static Tensor Select(Tensor table, Tensor ids, long vocab, OutOfRange outOfRange)
    {
        using DisposeScope scope = torch.NewDisposeScope();
        var (read, outside) = outOfRange == OutOfRange.Throw ? (ids, null) : Lookup.Remap(ids, vocab, outOfRange);
        Tensor flat = read.dim() == 1 ? read : read.reshape(-1);
        Tensor leaf;
        using (torch.no_grad())
            leaf = table.index_select(0, flat);
        leaf.requires_grad_(true);
        RowGradients.For(table).Record(flat, leaf);
        Tensor rows = ids.dim() == 1 ? leaf : leaf.view(Lookup.OutputShape(ids, table));
        // Filling is differentiable: the filled rows pass no gradient back, as in the dense lookup.
        return (outside is null ? rows : Lookup.FillOutside(rows, outside)).MoveToOuterDisposeScope();
    }
}
