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
/// The generated constructor is <c>Embed(numEmbeddings, features, rngs, paramDtype = null, embeddingInit = null)</c>;
/// it draws one <c>rngs.Params()</c> key, as NNX does. The default initializer is NNX's
/// <c>variance_scaling(1.0, fan_in, normal, out_axis=0)</c>, i.e. <c>N(0, 1/features)</c>. Options that are not
/// dimensions are set with an object initializer: <c>new Embed(v, d, rngs) { OutOfRange = OutOfRange.Fill, PaddingId = 0 }</c>.
/// </remarks>
public partial class Embed
{
    [Param(Shape = "numEmbeddings,features", Init = "variance_scaling(1.0, fan_in, normal, out_axis=0)")]
    private Parameter embedding;

    private long? _paddingId;

    /// <summary>The table, <c>(NumEmbeddings, Features)</c> (<c>embed.embedding</c> in NNX).</summary>
    public Parameter Embedding => embedding;

    /// <summary>What <see cref="Forward"/> does with an id outside <c>[0, NumEmbeddings)</c>: throw (the default),
    /// clamp as JAX's <c>x[ids]</c>, or give NaN rows as <c>jnp.take</c> (what <c>nnx.Embed</c> does).</summary>
    public OutOfRange OutOfRange { get; set; } = OutOfRange.Throw;

    /// <summary>
    /// The element type of <see cref="Forward"/>'s rows and <see cref="Attend"/>'s logits (<c>dtype</c> in NNX); by
    /// default that of the table. The table itself keeps its <c>paramDtype</c>.
    /// </summary>
    public ScalarType? Dtype { get => _dtype; init => _dtype = value; }

    private ScalarType? _dtype;

    /// <summary>
    /// Hand the table's gradient to <see cref="Optimizer"/> as rows instead of a dense <c>(NumEmbeddings, Features)</c>
    /// gradient (<see cref="Lookup.Rows(Tensor, Tensor, OutOfRange, bool)"/>'s <c>sparseGradient</c>, PyTorch's
    /// <c>sparse=True</c>). A tied table (<see cref="Attend"/> too) still trains correctly.
    /// </summary>
    public bool SparseGradient { get => _sparseGradient; init => _sparseGradient = value; }

    private bool _sparseGradient;

    /// <summary>
    /// An id whose row is zeroed now and never receives a gradient, as PyTorch's <c>padding_idx</c>: its rows in
    /// <see cref="Forward"/> are cut from the autograd graph, so optimizers leave the row as it is. Negative values
    /// count from the end (<c>-1</c> is the last row). Set it in the object initializer.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The id is not in <c>[-NumEmbeddings, NumEmbeddings)</c>.</exception>
    public long? PaddingId
    {
        get => _paddingId;
        init
        {
            _paddingId = value is long id ? CheckPaddingId(id) : null;
            if (_paddingId is long row)
            {
                using var noGrad = torch.no_grad();
                using Tensor padding = embedding[row];
                padding.zero_();
            }
        }
    }

    /// <summary>
    /// An embedding holding a copy of <paramref name="matrix"/>, as PyTorch's <c>Embedding.from_pretrained</c>: frozen
    /// (<c>requires_grad = false</c>) unless <paramref name="freeze"/> is false. No random key is drawn for the table.
    /// </summary>
    /// <param name="matrix">The table, <c>(numEmbeddings, features)</c>, floating point; it is copied, not shared.</param>
    /// <param name="freeze">Whether optimizers leave the table alone.</param>
    /// <param name="paddingId">As <see cref="PaddingId"/>, except that the pretrained row is kept, not zeroed (as PyTorch).</param>
    /// <exception cref="ArgumentException">The matrix is not two-dimensional with both sizes at least 1, or not floating point.</exception>
    public static Embed FromPretrained(Tensor matrix, bool freeze = true, long? paddingId = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.dim() != 2 || matrix.size(0) < 1 || matrix.size(1) < 1)
            throw new ArgumentException(
                $"Embed.FromPretrained needs a (numEmbeddings, features) matrix with both sizes at least 1; got shape [{string.Join(", ", matrix.shape)}]. " +
                "Reshape it to two dimensions, one row per token.", nameof(matrix));
        if (!matrix.is_floating_point())
            throw new ArgumentException(
                $"Embed.FromPretrained needs a floating-point matrix; got {matrix.dtype}. Convert it first, e.g. matrix.to(ScalarType.Float32).", nameof(matrix));
        var embed = new Embed(matrix.size(0), matrix.size(1), new Rngs(0), matrix.dtype, Initializers.Zeros());
        using (torch.no_grad())
        {
            embed.embedding.copy_(matrix);
        }
        embed.embedding.requires_grad = !freeze;
        if (paddingId is long id) embed._paddingId = embed.CheckPaddingId(id);
        return embed;
    }

    /// <inheritdoc/>
    protected override void CopySettingsTo(Module copy)
    {
        base.CopySettingsTo(copy);
        var embed = (Embed)copy;
        embed.OutOfRange = OutOfRange;
        embed._dtype = _dtype;
        embed._paddingId = _paddingId;   // the row itself comes with the copied table
        embed._sparseGradient = _sparseGradient;
    }

    /// <summary>
    /// The rows of <paramref name="ids"/>: shape <c>ids.shape + [Features]</c> for Int32/Int64 ids of any rank
    /// (<c>nnx.Embed.__call__</c>). Out-of-range ids follow <see cref="OutOfRange"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The ids are not integers, or an id is out of range under <see cref="OutOfRange.Throw"/>
    /// (the message names the first bad id, its position and the vocabulary size).</exception>
    public Tensor Forward(Tensor ids)
    {
        Tensor rows = Lookup.Rows(embedding, ids, OutOfRange, _sparseGradient);
        if (_paddingId is long row)
        {
            using Tensor all = rows;
            rows = CutPaddingGradient(all, ids, row, NumEmbeddings);
        }
        return ToComputeDtype(rows);
    }

    /// <summary>
    /// <c>query @ embeddingᵀ</c>: logits <c>(..., NumEmbeddings)</c> for queries <c>(..., Features)</c>, the output
    /// head of a model whose input and output embeddings are tied (<c>nnx.Embed.attend</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The query is a scalar or its last dimension is not <see cref="Features"/>.</exception>
    public Tensor Attend(Tensor query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.dim() == 0 || query.size(-1) != Features)
            throw new ArgumentException(
                $"Embed.Attend needs queries of shape (..., {Features}); got [{string.Join(", ", query.shape)}]. " +
                "The last dimension must equal the embedding width (features).", nameof(query));
        ScalarType dtype = Dtype ?? torch.promote_types(query.dtype, embedding.dtype);
        using var scope = torch.NewDisposeScope();
        Tensor q = query.dtype == dtype ? query : query.to(dtype);
        Tensor table = embedding.dtype == dtype ? embedding : embedding.to(dtype);
        return q.matmul(table.t()).MoveToOuterDisposeScope();
    }

    private Tensor ToComputeDtype(Tensor rows)
    {
        if (Dtype is not ScalarType dtype || rows.dtype == dtype) return rows;
        using (rows) return rows.to(dtype);
    }

    // A padding id's rows keep their value but leave the graph, so the table's gradient row stays zero
    // (TorchSharp 0.107 has no tensor gradient hooks to zero it afterwards).
    // Under JaxClamp and Fill a negative id wraps once, so row - vocab reads the padding row too.
    private static Tensor CutPaddingGradient(Tensor rows, Tensor ids, long row, long vocab)
    {
        using var scope = torch.NewDisposeScope();
        Tensor isPadding = ids.eq(row).logical_or(ids.eq(row - vocab)).unsqueeze(-1);
        return torch.where(isPadding, rows.detach(), rows).MoveToOuterDisposeScope();
    }

    private long CheckPaddingId(long id)
    {
        if (id < -NumEmbeddings || id >= NumEmbeddings)
            throw new ArgumentOutOfRangeException(nameof(PaddingId), id,
                $"PaddingId {id} is outside [-{NumEmbeddings}, {NumEmbeddings}) for a table of {NumEmbeddings} rows; use a row index of the table.");
        return id < 0 ? id + NumEmbeddings : id;
    }
}
