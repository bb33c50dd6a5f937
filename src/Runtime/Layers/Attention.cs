using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// Flax NNX's attention functions (<c>flax/nnx/nn/attention.py</c>) over Flax's layout: query, key and value are
/// <c>(batch..., length, heads, headDim)</c>, the weights <c>(batch..., heads, qLength, kvLength)</c>.
/// </summary>
/// <remarks>
/// <para>Inputs are promoted as NNX's <c>promote_dtype</c> does (<see cref="Promotion"/>), a <c>bias</c> is cast to the
/// computation type, and shapes, devices and masks are checked first, so no native call sees a mismatch (libtorch's
/// <c>matmul</c> would abort the process on one). A mask is "attend where non-zero"; masks and biases broadcast to
/// the weights' shape. Fewer key/value heads than query heads is grouped-query attention, as in NNX: query head
/// <c>h</c> reads key/value head <c>h / (queryHeads / kvHeads)</c>.</para>
/// <para>A query whose keys are all masked out gets equal weights on every key (the mean of the values), as in
/// JAX; libtorch's own boolean mask would give zeros there.</para>
/// </remarks>
public static class Attention
{
    /// <summary>
    /// NNX's <c>dot_product_attention</c>: <c>softmax(q kᵀ / √headDim + bias, masked) v</c>, with optional dropout on
    /// the weights. Result: <c>(batch..., qLength, heads, vHeadDim)</c>, in the promoted dtype.
    /// </summary>
    /// <param name="query"><c>(batch..., qLength, heads, headDim)</c>.</param>
    /// <param name="key"><c>(batch..., kvLength, kvHeads, headDim)</c>; <c>heads</c> a multiple of <c>kvHeads</c>.</param>
    /// <param name="value"><c>(batch..., kvLength, kvHeads, vHeadDim)</c>.</param>
    /// <param name="bias">Added to the logits; broadcastable to <c>(batch..., heads, qLength, kvLength)</c>.</param>
    /// <param name="mask">Where zero (or false), the key is not attended; broadcastable like <paramref name="bias"/>.</param>
    /// <param name="isCausal">Query <c>i</c> attends keys <c>0..i</c> only (<c>tril(ones(qLength, kvLength))</c>), combined with <paramref name="mask"/>.</param>
    /// <param name="dropoutRate">The probability of dropping a weight, in [0, 1); used unless <paramref name="deterministic"/>.</param>
    /// <param name="dropoutRng">The key of JAX's <c>bernoulli</c> dropout mask; required when dropout is active.</param>
    /// <param name="broadcastDropout">One dropout mask <c>(qLength, kvLength)</c> shared by every batch and head, as NNX's default.</param>
    /// <param name="deterministic">No dropout, whatever the rate.</param>
    /// <param name="dtype">The computation dtype (NNX's <c>dtype</c>); by default promoted from the inputs.</param>
    /// <param name="kernel">Which computation to use; see <see cref="AttentionKernel"/>.</param>
    /// <exception cref="ArgumentException">Shapes, devices, a mask or bias, or the dropout arguments do not fit; the
    /// message names the values and what was expected.</exception>
    public static Tensor DotProductAttention(Tensor query, Tensor key, Tensor value, Tensor? bias = null, Tensor? mask = null,
        bool isCausal = false, double dropoutRate = 0.0, PrngKey? dropoutRng = null, bool broadcastDropout = true,
        bool deterministic = false, ScalarType? dtype = null, AttentionKernel kernel = AttentionKernel.Auto)
    {
        ArgumentNullException.ThrowIfNull(value);
        (long[] queryShape, long[] keyShape) = CheckQueryKey(query, key);
        CheckValue(queryShape, keyShape, value.shape);
        bool dropout = DropoutIsActive(dropoutRate, dropoutRng, deterministic);
        if (dropout && kernel == AttentionKernel.Fused)
            throw new ArgumentException(
                $"AttentionKernel.Fused cannot apply dropout (rate {dropoutRate}); use Auto or Explicit, or pass deterministic: true.", nameof(kernel));
        using var scope = torch.NewDisposeScope();
        Tensor?[] promoted = Promotion.PromoteDtype([query, key, value], dtype);
        Tensor q = promoted[0]!, k = promoted[1]!, v = promoted[2]!;
        CheckReal(q.dtype);
        CheckMaskAndBias(queryShape, keyShape, q, bias, mask);
        Tensor output = dropout || kernel == AttentionKernel.Explicit
            ? ExplicitAttention(q, k, v, bias, mask, isCausal, dropout ? dropoutRate : 0.0, dropoutRng, broadcastDropout)
            : FusedAttention(q, k, v, bias, mask, isCausal);
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// NNX's <c>dot_product_attention_weights</c>: <c>softmax(q kᵀ / √headDim + bias, masked)</c>, with optional
    /// dropout. Result: <c>(batch..., heads, qLength, kvLength)</c>, in the promoted dtype.
    /// </summary>
    /// <inheritdoc cref="DotProductAttention" path="/param"/>
    /// <exception cref="ArgumentException">As <see cref="DotProductAttention"/>.</exception>
    public static Tensor DotProductAttentionWeights(Tensor query, Tensor key, Tensor? bias = null, Tensor? mask = null,
        bool isCausal = false, double dropoutRate = 0.0, PrngKey? dropoutRng = null, bool broadcastDropout = true,
        bool deterministic = false, ScalarType? dtype = null)
    {
        (long[] queryShape, long[] keyShape) = CheckQueryKey(query, key);
        bool dropout = DropoutIsActive(dropoutRate, dropoutRng, deterministic);
        using var scope = torch.NewDisposeScope();
        Tensor?[] promoted = Promotion.PromoteDtype([query, key], dtype);
        Tensor q = promoted[0]!, k = promoted[1]!;
        CheckReal(q.dtype);
        CheckMaskAndBias(queryShape, keyShape, q, bias, mask);
        return Weights(q, k, bias, mask, isCausal, dropout ? dropoutRate : 0.0, dropoutRng, broadcastDropout).MoveToOuterDisposeScope();
    }

    private static Tensor ExplicitAttention(Tensor q, Tensor k, Tensor v, Tensor? bias, Tensor? mask, bool isCausal,
        double dropoutRate, PrngKey? dropoutRng, bool broadcastDropout)
    {
        Tensor weights = Weights(q, k, bias, mask, isCausal, dropoutRate, dropoutRng, broadcastDropout);
        long groups = weights.size(-3) / v.size(-2);
        return weights.matmul(SharedHeads(HeadsFirst(v), groups)).transpose(-3, -2);
    }

    private static Tensor Weights(Tensor q, Tensor k, Tensor? bias, Tensor? mask, bool isCausal,
        double dropoutRate, PrngKey? dropoutRng, bool broadcastDropout)
    {
        ScalarType dtype = q.dtype;
        // As NNX: the query is divided by sqrt(depth) in the computation dtype before the product.
        Tensor scaled = q.div(torch.tensor(Math.Sqrt(q.size(-1)), dtype, q.device));
        Tensor logits = HeadsFirst(scaled).matmul(SharedHeads(HeadsFirst(k), q.size(-2) / k.size(-2)).transpose(-2, -1));
        if (bias is not null) logits = logits.add(bias.to(dtype, q.device));
        Tensor? attend = AttendMask(mask, isCausal, q.size(-3), k.size(-3), q.device);
        if (attend is not null) logits = torch.where(attend, logits, torch.tensor(torch.finfo(dtype).min, dtype, q.device));
        Tensor weights = torch.nn.functional.softmax(logits, -1);
        if (dropoutRate == 0.0) return weights;
        double keepProb = 1.0 - dropoutRate;
        long[] shape = weights.shape;
        if (broadcastDropout)
        {
            for (int i = 0; i < shape.Length - 2; i++) shape[i] = 1;
        }
        Tensor keep = JaxRandom.Bernoulli(dropoutRng!.Value, keepProb, shape).to(q.device);
        // JAX: keep.astype(dtype) / jnp.asarray(keep_prob, dtype), then a product with the weights.
        return weights.mul(keep.to(dtype).div(torch.tensor(keepProb, dtype, q.device)));
    }

    private static Tensor FusedAttention(Tensor q, Tensor k, Tensor v, Tensor? bias, Tensor? mask, bool isCausal)
    {
        ScalarType dtype = q.dtype;
        long groups = q.size(-2) / k.size(-2);
        Tensor qh = HeadsFirst(q), kh = SharedHeads(HeadsFirst(k), groups), vh = SharedHeads(HeadsFirst(v), groups);
        // With nothing else to combine, libtorch's causal flag skips the masked half of the work.
        bool causalFlag = isCausal && mask is null && bias is null;
        Tensor? attend = AttendMask(mask, isCausal && !causalFlag, q.size(-3), k.size(-3), q.device);
        Tensor? additive = null;
        if (attend is not null)
        {
            // jax.nn.dot_product_attention's -0.7 * finfo.max: finite, so a fully masked row stays uniform.
            additive = torch.zeros(attend.shape, dtype, q.device).masked_fill_(attend.logical_not(), -0.7 * torch.finfo(dtype).max);
        }
        if (bias is not null) additive = additive is null ? bias.to(dtype, q.device) : additive.add(bias.to(dtype, q.device));
        // libtorch's fused kernel reads axes -2 and -1 of its mask; a lower-rank one that broadcasts is valid here.
        while (additive is not null && additive.dim() < 2) additive = additive.unsqueeze(0);
        Tensor output = torch.nn.functional.scaled_dot_product_attention(qh, kh, vh, additive, 0.0, causalFlag);
        return output.transpose(-3, -2);
    }

    // The mask as booleans (attend where true), with the causal triangle folded in; null when nothing is masked.
    private static Tensor? AttendMask(Tensor? mask, bool isCausal, long qLength, long kvLength, Device device)
    {
        Tensor? attend = mask is null ? null : mask.dtype == ScalarType.Bool ? mask : mask.ne(0);
        if (!isCausal) return attend;
        Tensor causal = torch.ones(qLength, kvLength, ScalarType.Bool, device).tril();
        return attend is null ? causal : attend.logical_and(causal);
    }

    // (batch..., length, heads, d) -> (batch..., heads, length, d)
    private static Tensor HeadsFirst(Tensor t) => t.transpose(-3, -2);

    // Key/value heads repeated so query head h meets head h / groups (grouped-query attention).
    private static Tensor SharedHeads(Tensor headsFirst, long groups) =>
        groups == 1 ? headsFirst : headsFirst.repeat_interleave(groups, dim: -3);

    private static bool DropoutIsActive(double rate, PrngKey? rng, bool deterministic)
    {
        if (!(rate >= 0.0 && rate < 1.0))
            throw new ArgumentOutOfRangeException(nameof(rate), rate,
                $"Attention dropout rate {rate} must be in [0, 1); NNX's formula divides by 1 - rate.");
        if (deterministic || rate == 0.0) return false;
        if (rng is null)
            throw new ArgumentException(
                $"Attention dropout at rate {rate} needs dropoutRng (a PrngKey, e.g. rngs.Dropout()); pass deterministic: true to turn it off.",
                nameof(rng));
        return true;
    }

    // The checks read each shape once and work on the arrays: TorchSharp's shape is a native call that allocates (1.3 us,
    // where dim() and size() take 0.1 us), and reading it ten times was 13 us of the 23 us this function added to a
    // one-token sdpa call (docs/benchmarks.md, 9).
    private static (long[] Query, long[] Key) CheckQueryKey(Tensor query, Tensor key)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        long[] q = query.shape, k = key.shape;
        if (q.Length < 3)
            throw new ArgumentException(
                $"Attention inputs are (batch..., length, heads, headDim), at least 3 dimensions; got a query of shape {Show(q)}.", nameof(query));
        if (k.Length != q.Length)
            throw new ArgumentException($"query and key must have the same rank; got {Show(q)} and {Show(k)}.", nameof(key));
        if (!q.AsSpan(0, q.Length - 3).SequenceEqual(k.AsSpan(0, k.Length - 3)))
            throw new ArgumentException($"query and key batch dimensions must match; got {Show(q)} and {Show(k)}.", nameof(key));
        if (q[^1] != k[^1])
            throw new ArgumentException(
                $"query and key head dimensions (last axis) must match; got {q[^1]} and {k[^1]} (shapes {Show(q)} and {Show(k)}).",
                nameof(key));
        CheckHeads(q, k, nameof(key));
        return (q, k);
    }

    private static void CheckValue(long[] query, long[] key, long[] value)
    {
        if (value.Length != query.Length || !key.AsSpan(0, key.Length - 3).SequenceEqual(value.AsSpan(0, value.Length - 3)))
            throw new ArgumentException(
                $"value must have key's rank and batch dimensions; got key {Show(key)} and value {Show(value)}.", nameof(value));
        if (key[^3] != value[^3])
            throw new ArgumentException(
                $"key and value lengths (axis -3) must match; got {key[^3]} and {value[^3]} (shapes {Show(key)} and {Show(value)}).",
                nameof(value));
        CheckHeads(query, value, nameof(value));
    }

    private static void CheckHeads(long[] query, long[] other, string name)
    {
        long heads = query[^2], otherHeads = other[^2];
        if (otherHeads == 0 || heads % otherHeads != 0)
            throw new ArgumentException(
                $"query heads ({heads}) must be a multiple of {name} heads ({otherHeads}), axis -2 of {Show(query)} and {Show(other)}.",
                name);
    }

    // libtorch's softmax has no complex kernel and would throw with its native backtrace; JAX's fails as well.
    private static void CheckReal(ScalarType dtype)
    {
        if (dtype is ScalarType.ComplexFloat32 or ScalarType.ComplexFloat64)
            throw new ArgumentException(
                $"Attention computes a softmax over real logits; the inputs promote to {dtype}. Pass real floating-point query, key and value (or dtype: Float32).", "query");
    }

    // q is the promoted query, on query's device.
    private static void CheckMaskAndBias(long[] query, long[] key, Tensor q, Tensor? bias, Tensor? mask)
    {
        long[] weights = [.. query.AsSpan(0, query.Length - 3), query[^2], query[^3], key[^3]];
        CheckBroadcast(bias, weights, nameof(bias));
        CheckBroadcast(mask, weights, nameof(mask));
        Promotion.RequireOneDevice([q, bias, mask]);
        if (bias is not null && !bias.is_floating_point())
            throw new ArgumentException($"bias is added to the logits and must be floating point; got {bias.dtype}. Pass masks as mask.", nameof(bias));
    }

    private static void CheckBroadcast(Tensor? t, long[] target, string name)
    {
        if (t is null) return;
        long[] shape = t.shape;
        bool fits = shape.Length <= target.Length;
        for (int i = 1; fits && i <= shape.Length; i++)
            fits = shape[^i] == 1 || shape[^i] == target[^i];
        if (!fits)
            throw new ArgumentException(
                $"{name} of shape {Show(shape)} does not broadcast to the attention weights (batch..., heads, qLength, kvLength) = {Show(target)}.",
                name);
    }

    private static string Show(long[] shape) => $"[{string.Join(", ", shape)}]";
}
