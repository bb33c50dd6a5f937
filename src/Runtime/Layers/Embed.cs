using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// Flax NNX's <c>nnx.Embed</c>: a <c>(numEmbeddings, features)</c> table of token vectors, written with the Nnx DSL.
/// <c>new Embed(5, 3, new Rngs(0))</c> holds exactly the numbers of <c>nnx.Embed(5, 3, rngs=nnx.Rngs(0))</c>.
/// </summary>
/// <remarks>
/// The generated constructor is <c>Embed(numEmbeddings, features, rngs, outOfRange = Throw, paddingId = null,
/// dtype = null, sparseGradient = false, paramDtype = null, embeddingInit = null)</c>; it draws one <c>rngs.Params()</c> key, as NNX does. The
/// default initializer is NNX's <c>variance_scaling(1.0, fan_in, normal, out_axis=0)</c>, i.e. <c>N(0, 1/features)</c>.
/// </remarks>
public partial class Embed
{
    /// <summary>What <see cref="Forward"/> does with an id outside <c>[0, NumEmbeddings)</c>: throw (the default), clamp as
    /// JAX's <c>x[ids]</c>, or give NaN rows as <c>jnp.take</c> (what <c>nnx.Embed</c> does).</summary>
    [Option] private readonly OutOfRange outOfRange = OutOfRange.Throw;

    /// <summary>An id whose row starts at zero and never receives a gradient, as PyTorch's <c>padding_idx</c>; negative
    /// values count from the end (<c>-1</c> is the last row).</summary>
    [Option] private readonly long? paddingId = null;

    /// <summary>The element type of <see cref="Forward"/>'s rows and <see cref="Attend"/>'s logits (NNX's <c>dtype</c>);
    /// by default that of the table, which keeps its <c>paramDtype</c>.</summary>
    [Option] private readonly ScalarType? dtype = null;

    /// <summary>Hand the table's gradient to <see cref="Optimizer"/> as rows instead of a dense <c>(NumEmbeddings, Features)</c>
    /// gradient (<see cref="Lookup.Rows(Tensor, Tensor, OutOfRange, bool)"/>'s <c>sparseGradient</c>, PyTorch's
    /// <c>sparse=True</c>). A tied table (<see cref="Attend"/> too) still trains correctly.</summary>
    [Option] private readonly bool sparseGradient = false;

    [Param(Shape = "numEmbeddings,features", Init = "variance_scaling(1.0, fan_in, normal, out_axis=0)")]
    private Parameter embedding;

    // The padding row as an index in [0, NumEmbeddings), or null.
    private long? _paddingRow;

    /// <summary>The table, <c>(NumEmbeddings, Features)</c> (<c>embed.embedding</c> in NNX).</summary>
    public Parameter Embedding => embedding;

    partial void OnInitialized()
    {
        if (paddingId is not long id) return;
        if (id < -NumEmbeddings || id >= NumEmbeddings)
            throw new ArgumentOutOfRangeException(nameof(paddingId), id,
                $"PaddingId {id} is outside [-{NumEmbeddings}, {NumEmbeddings}) for a table of {NumEmbeddings} rows; use a row index of the table.");
        _paddingRow = id < 0 ? id + NumEmbeddings : id;
        using var noGrad = torch.no_grad();
        using Tensor padding = embedding[_paddingRow.Value];
        padding.zero_();
    }

    /// <summary>
    /// An embedding holding a copy of <paramref name="matrix"/>, as PyTorch's <c>Embedding.from_pretrained</c>: frozen
    /// (<c>requires_grad = false</c>) unless <paramref name="freeze"/> is false. No random key is drawn for the table.
    /// </summary>
    /// <param name="matrix">The table, <c>(numEmbeddings, features)</c>, floating point; it is copied, not shared.</param>
    /// <param name="freeze">Whether optimizers leave the table alone.</param>
    /// <param name="paddingId">As the <c>paddingId</c> option, except that the pretrained row is kept, not zeroed (as PyTorch).</param>
    /// <param name="outOfRange">As the <c>outOfRange</c> option.</param>
    /// <exception cref="ArgumentException">The matrix is not two-dimensional with both sizes at least 1, or not floating point.</exception>
    public static Embed FromPretrained(Tensor matrix, bool freeze = true, long? paddingId = null, OutOfRange outOfRange = OutOfRange.Throw)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.dim() != 2 || matrix.size(0) < 1 || matrix.size(1) < 1)
            throw new ArgumentException(
                $"Embed.FromPretrained needs a (numEmbeddings, features) matrix with both sizes at least 1; got shape [{string.Join(", ", matrix.shape)}]. " +
                "Reshape it to two dimensions, one row per token.", nameof(matrix));
        if (!matrix.is_floating_point())
            throw new ArgumentException(
                $"Embed.FromPretrained needs a floating-point matrix; got {matrix.dtype}. Convert it first, e.g. matrix.to(ScalarType.Float32).", nameof(matrix));
        var embed = new Embed(matrix.size(0), matrix.size(1), new Rngs(0), outOfRange: outOfRange, paddingId: paddingId,
            paramDtype: matrix.dtype, embeddingInit: Initializers.Zeros());
        using (torch.no_grad())
        {
            embed.embedding.copy_(matrix);
        }
        embed.embedding.requires_grad = !freeze;
        return embed;
    }

    /// <summary>
    /// The rows of <paramref name="ids"/>: shape <c>ids.shape + [Features]</c> for Int32/Int64 ids of any rank
    /// (<c>nnx.Embed.__call__</c>). Out-of-range ids follow <see cref="OutOfRange"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The ids are not integers, or an id is out of range under <see cref="OutOfRange.Throw"/>
    /// (the message names the first bad id, its position and the vocabulary size).</exception>
    public Tensor Forward(Tensor ids)
    {
        Tensor rows = Lookup.Rows(embedding, ids, OutOfRange, SparseGradient);
        if (_paddingRow is long row)
        {
            using Tensor all = rows;
            rows = CutPaddingGradient(all, ids, row, NumEmbeddings, OutOfRange);
        }
        return ToComputeDtype(rows);
    }

    /// <summary>
    /// <c>query @ embeddingᵀ</c>: logits <c>(..., NumEmbeddings)</c> for queries <c>(..., Features)</c>, the output
    /// head of a model whose input and output embeddings are tied (<c>nnx.Embed.attend</c>). Computed in
    /// <see cref="Dtype"/>, by default the table's, as NNX: a float64 query with a float32 table gives float32 logits.
    /// </summary>
    /// <exception cref="ArgumentException">The query is a scalar, its last dimension is not <see cref="Features"/>, or it is
    /// on another device than the table.</exception>
    public Tensor Attend(Tensor query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.dim() == 0 || query.size(-1) != Features)
            throw new ArgumentException(
                $"Embed.Attend needs queries of shape (..., {Features}); got [{string.Join(", ", query.shape)}]. " +
                "The last dimension must equal the embedding width (features).", nameof(query));
        using var scope = torch.NewDisposeScope();
        // NNX sets the layer's dtype to the table's when none is given, so attend computes in it: a float64 query
        // meets a float32 table in float32.
        Tensor?[] promoted = Promotion.PromoteDtype([query, embedding], Dtype ?? embedding.dtype);
        return promoted[0]!.matmul(promoted[1]!.t()).MoveToOuterDisposeScope();
    }

    private Tensor ToComputeDtype(Tensor rows)
    {
        if (Dtype is not ScalarType dtype || rows.dtype == dtype) return rows;
        using (rows) return rows.to(dtype);
    }

    // A padding id's rows keep their value but leave the graph, so the table's gradient row stays zero
    // (TorchSharp 0.107 has no tensor gradient hooks to zero it afterwards). Under JaxClamp and Fill the rows that
    // read the padding row are found as the lookup finds them: wrapped, clamped, or any id of a one-row table.
    private static Tensor CutPaddingGradient(Tensor rows, Tensor ids, long row, long vocab, OutOfRange outOfRange)
    {
        using var scope = torch.NewDisposeScope();
        Tensor read = outOfRange == OutOfRange.Throw ? ids : Lookup.RowsRead(ids, vocab, outOfRange);
        Tensor isPadding = read.eq(row).unsqueeze(-1);
        return torch.where(isPadding, rows.detach(), rows).MoveToOuterDisposeScope();
    }
}
