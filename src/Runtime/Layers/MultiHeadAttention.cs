using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// Flax NNX's <c>nnx.MultiHeadAttention</c>: query, key and value projections to <c>(heads, headDim)</c>, optional
/// LayerNorms on the query and key heads, <see cref="Attention.DotProductAttention"/>, and an output projection,
/// written with the Nnx DSL. Self-attention with one input, cross-attention with two.
/// </summary>
/// <remarks>
/// <para>The generated constructor is <c>MultiHeadAttention(numHeads, inFeatures, rngs, qkvFeatures = null,
/// outFeatures = null, dropoutRate = 0.0, useBias = true, inKvFeatures = null, numKvHeads = null, normalizeQk = false,
/// broadcastDropout = true, deterministic = false, keepRngs = true, dtype = null, attentionKernel = Auto, paramDtype =
/// null)</c>. It builds, in NNX's order, <c>query</c>, <c>key</c>, <c>value</c> (<see cref="LinearToHeads"/>), with
/// <c>normalizeQk</c> <c>query_ln</c> and <c>key_ln</c> (<c>LayerNorm(headDim, useBias: false)</c>), <c>out</c>
/// (<see cref="LinearFromHeads"/>), and, with dropout and <c>keepRngs</c>, a fork of the <c>dropout</c> stream: the
/// same keys, kernels and state paths as <c>nnx.MultiHeadAttention(..., rngs=nnx.Rngs(seed))</c>.
/// <c>headDim = qkvFeatures / numHeads</c>, which must divide exactly.</para>
/// <para>Fewer key/value heads (<c>numKvHeads</c>) than query heads is grouped-query attention, as NNX's
/// <c>num_kv_heads</c>. <c>attentionKernel</c> plays the part of NNX's <c>attention_fn</c>: by default libtorch's fused
/// <c>scaled_dot_product_attention</c> runs whenever no dropout is drawn. NNX's <c>decode</c> (the autoregressive
/// cache) and <c>sow_weights</c> are not offered.</para>
/// <para><b>Deterministic</b>, as in <see cref="Dropout"/>: <c>eval()</c> turns attention dropout off, <c>train()</c> (the
/// default) turns it on, and the <c>deterministic</c> argument of <see cref="Forward"/> wins over both.</para>
/// </remarks>
public partial class MultiHeadAttention
{
    /// <summary>The number of query heads (NNX's <c>num_heads</c>); must divide the query/key/value width.</summary>
    [Option] private readonly int numHeads;

    /// <summary>The width of the query, key and value projections together (NNX's <c>qkv_features</c>); by default <c>inFeatures</c>.</summary>
    [Option] private readonly long? qkvFeatures = null;

    /// <summary>The width of the output (NNX's <c>out_features</c>); by default <c>inFeatures</c>.</summary>
    [Option] private readonly long? outFeatures = null;

    /// <summary>The probability of dropping an attention weight in training (NNX's <c>dropout_rate</c>), in [0, 1).</summary>
    [Option] private readonly double dropoutRate = 0.0;

    /// <summary>Whether the four projections add a bias (NNX's <c>use_bias</c>).</summary>
    [Option] private readonly bool useBias = true;

    /// <summary>The width of the key/value inputs in cross-attention (NNX's <c>in_kv_features</c>); by default <c>inFeatures</c>.</summary>
    [Option] private readonly long? inKvFeatures = null;

    /// <summary>The number of key/value heads (NNX's <c>num_kv_heads</c>), dividing <c>numHeads</c>; by default <c>numHeads</c>.</summary>
    [Option] private readonly int? numKvHeads = null;

    /// <summary>LayerNorms on the query and key heads before the product (NNX's <c>normalize_qk</c>).</summary>
    [Option] private readonly bool normalizeQk = false;

    /// <summary>One dropout mask for every batch element and head (NNX's <c>broadcast_dropout</c>).</summary>
    [Option] private readonly bool broadcastDropout = true;

    /// <summary>Start in eval mode (no dropout) instead of training mode.</summary>
    [Option] private readonly bool deterministic = false;

    /// <summary>Keep a fork of the <c>dropout</c> stream for dropout keys (NNX's <c>keep_rngs</c>); otherwise pass <c>rngs</c> to <see cref="Forward"/>.</summary>
    [Option] private readonly bool keepRngs = true;

    /// <summary>The computation's dtype (NNX's <c>dtype</c>); by default the promotion of the inputs' and the parameters'.</summary>
    [Option] private readonly ScalarType? dtype = null;

    /// <summary>How the attention itself is computed; see <see cref="Nnx.AttentionKernel"/>.</summary>
    [Option] private readonly AttentionKernel attentionKernel = AttentionKernel.Auto;

    [Sub(Dims = "heads=numHeads, headDim=(qkvFeatures ?? inFeatures)/numHeads", Options = "useBias=useBias, dtype=dtype")]
    private LinearToHeads query;

    [Sub(Dims = "inFeatures=inKvFeatures ?? inFeatures, heads=numKvHeads ?? numHeads, headDim=(qkvFeatures ?? inFeatures)/numHeads", Options = "useBias=useBias, dtype=dtype")]
    private LinearToHeads key;

    [Sub(Dims = "inFeatures=inKvFeatures ?? inFeatures, heads=numKvHeads ?? numHeads, headDim=(qkvFeatures ?? inFeatures)/numHeads", Options = "useBias=useBias, dtype=dtype")]
    private LinearToHeads value;

    // Named as NNX's attributes, so that state paths and checkpoints read query_ln/scale as in Flax.
    [Sub(Dims = "numFeatures=(qkvFeatures ?? inFeatures)/numHeads", Options = "useBias=false, dtype=dtype", When = "normalizeQk")]
    private LayerNorm? query_ln;

    [Sub(Dims = "numFeatures=(qkvFeatures ?? inFeatures)/numHeads", Options = "useBias=false, dtype=dtype", When = "normalizeQk")]
    private LayerNorm? key_ln;

    [Sub(Dims = "heads=numHeads, headDim=(qkvFeatures ?? inFeatures)/numHeads, outFeatures=outFeatures ?? inFeatures", Options = "useBias=useBias, dtype=dtype")]
    private LinearFromHeads @out;

    [Fork("dropout", When = "dropoutRate > 0 && keepRngs")]
    private RngStream? rngs;

    /// <summary>The query projection, <c>(InFeatures, NumHeads, HeadDim)</c>.</summary>
    public LinearToHeads Query => query;

    /// <summary>The key projection, <c>(InKvFeatures, NumKvHeads, HeadDim)</c>.</summary>
    public LinearToHeads Key => key;

    /// <summary>The value projection, <c>(InKvFeatures, NumKvHeads, HeadDim)</c>.</summary>
    public LinearToHeads Value => value;

    /// <summary>The output projection, <c>(NumHeads, HeadDim, OutFeatures)</c>.</summary>
    public LinearFromHeads Out => @out;

    /// <summary>The LayerNorm on the query heads, or null without <see cref="NormalizeQk"/>.</summary>
    public LayerNorm? QueryLn => query_ln;

    /// <summary>The LayerNorm on the key heads, or null without <see cref="NormalizeQk"/>.</summary>
    public LayerNorm? KeyLn => key_ln;

    /// <summary>The module's own dropout stream (NNX's <c>rngs</c> attribute), or null without dropout or <see cref="KeepRngs"/>.</summary>
    public RngStream? Stream => rngs;

    /// <summary>The width of one head, <c>qkvFeatures / numHeads</c>.</summary>
    public long HeadDim => query.HeadDim;

    /// <summary>Whether <see cref="Forward"/> skips dropout: <c>!training</c>. Setting it calls <c>train(!value)</c>.</summary>
    public bool Deterministic
    {
        get => !training;
        set => train(!value);
    }

    partial void OnInitialized()
    {
        if (!(dropoutRate >= 0.0 && dropoutRate < 1.0))
            throw new ArgumentOutOfRangeException(nameof(dropoutRate), dropoutRate,
                $"MultiHeadAttention dropoutRate {dropoutRate} must be in [0, 1); NNX's dropout divides by 1 - rate.");
        if (key.Heads < 1 || numHeads % key.Heads != 0)
            throw new ArgumentException(
                $"MultiHeadAttention numKvHeads ({key.Heads}) must divide numHeads ({numHeads}): each key/value head serves numHeads / numKvHeads query heads.",
                nameof(numKvHeads));
        if (deterministic) eval();
    }

    /// <summary>
    /// NNX's <c>__call__</c>: attention of <paramref name="inputsQ"/> <c>(batch..., qLength, InFeatures)</c> over
    /// <paramref name="inputsK"/> and <paramref name="inputsV"/> <c>(batch..., kvLength, InKvFeatures)</c>, both
    /// <paramref name="inputsQ"/> by default (self-attention). The result is <c>(batch..., qLength, OutFeatures)</c>.
    /// </summary>
    /// <param name="inputsQ">The queries' input.</param>
    /// <param name="inputsK">The keys' input; by default <paramref name="inputsQ"/>.</param>
    /// <param name="inputsV">The values' input; by default <paramref name="inputsK"/>.</param>
    /// <param name="mask">Attend where true (or non-zero); broadcastable to <c>(batch..., NumHeads, qLength, kvLength)</c>,
    /// as <c>AttentionMasks.MakeAttentionMask</c> or <c>MakeCausalMask</c> build it.</param>
    /// <param name="isCausal">Query <c>i</c> attends keys <c>0..i</c> only, combined with <paramref name="mask"/>; without a
    /// mask the fused kernel skips the masked half.</param>
    /// <param name="deterministic">Overrides <see cref="Deterministic"/> for this call.</param>
    /// <param name="rngs">Draw this call's dropout key from its <c>dropout</c> stream instead of the module's own.</param>
    /// <exception cref="ArgumentException">An input has fewer than two dimensions or the wrong width, the batch
    /// dimensions differ, <paramref name="inputsV"/> comes without <paramref name="inputsK"/>, the mask does not
    /// broadcast, or dropout is on and there is no stream to draw from.</exception>
    public Tensor Forward(Tensor inputsQ, Tensor? inputsK = null, Tensor? inputsV = null, Tensor? mask = null,
        bool isCausal = false, bool? deterministic = null, Rngs? rngs = null)
    {
        ArgumentNullException.ThrowIfNull(inputsQ);
        if (inputsK is null && inputsV is not null)
            throw new ArgumentException("MultiHeadAttention: inputsK cannot be null when inputsV is given; pass both for cross-attention.", nameof(inputsK));
        inputsK ??= inputsQ;
        inputsV ??= inputsK;
        CheckInput(inputsQ, query.InFeatures, nameof(inputsQ));
        if (!ReferenceEquals(inputsK, inputsQ)) CheckInput(inputsK, key.InFeatures, nameof(inputsK));
        if (!ReferenceEquals(inputsV, inputsK)) CheckInput(inputsV, value.InFeatures, nameof(inputsV));

        bool dropout = DropoutRate > 0.0 && !(deterministic ?? Deterministic);
        PrngKey? dropoutKey = dropout ? NextDropoutKey(rngs) : null;
        using var scope = torch.NewDisposeScope();
        Tensor q = query.Forward(inputsQ), k = key.Forward(inputsK), v = value.Forward(inputsV);
        if (query_ln is not null)
        {
            q = query_ln.Forward(q);
            k = key_ln!.Forward(k);
        }
        Tensor x = Attention.DotProductAttention(q, k, v, mask: mask, isCausal: isCausal, dropoutRate: DropoutRate,
            dropoutRng: dropoutKey, broadcastDropout: BroadcastDropout, deterministic: !dropout, dtype: Dtype, kernel: AttentionKernel);
        return @out.Forward(x).MoveToOuterDisposeScope();
    }

    private PrngKey NextDropoutKey(Rngs? callRngs)
    {
        if (callRngs is not null) return callRngs.Next("dropout");
        if (rngs is not null) return rngs.Next();
        throw new ArgumentException(
            $"MultiHeadAttention dropout (rate {DropoutRate}) needs a key, and the module keeps no stream (keepRngs: false); pass rngs to Forward, or deterministic: true.",
            nameof(callRngs));
    }

    private static void CheckInput(Tensor x, long features, string name)
    {
        if (x.dim() < 2 || x.size(-1) != features)
            throw new ArgumentException(
                $"MultiHeadAttention needs {name} of shape (batch..., length, {features}); got [{string.Join(", ", x.shape)}].", name);
    }
}
