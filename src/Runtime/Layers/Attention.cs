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
        CheckQueryKey(query, key);
        CheckValue(query, key, value);
        bool dropout = DropoutIsActive(dropoutRate, dropoutRng, deterministic);
        if (dropout && kernel == AttentionKernel.Fused)
            throw new ArgumentException(
                $"AttentionKernel.Fused cannot apply dropout (rate {dropoutRate}); use Auto or Explicit, or pass deterministic: true.", nameof(kernel));
        using var scope = torch.NewDisposeScope();
        Tensor?[] promoted = Promotion.PromoteDtype([query, key, value], dtype);
        Tensor q = promoted[0]!, k = promoted[1]!, v = promoted[2]!;
        CheckMaskAndBias(q, k, bias, mask);
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
        CheckQueryKey(query, key);
        bool dropout = DropoutIsActive(dropoutRate, dropoutRng, deterministic);
        using var scope = torch.NewDisposeScope();
        Tensor?[] promoted = Promotion.PromoteDtype([query, key], dtype);
        Tensor q = promoted[0]!, k = promoted[1]!;
        CheckMaskAndBias(q, k, bias, mask);
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

    private static void CheckQueryKey(Tensor query, Tensor key)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        if (query.dim() < 3)
            throw new ArgumentException(
                $"Attention inputs are (batch..., length, heads, headDim), at least 3 dimensions; got a query of shape {Show(query.shape)}.", nameof(query));
        if (key.dim() != query.dim())
            throw new ArgumentException($"query and key must have the same rank; got {Show(query.shape)} and {Show(key.shape)}.", nameof(key));
        if (!query.shape.AsSpan(0, query.shape.Length - 3).SequenceEqual(key.shape.AsSpan(0, key.shape.Length - 3)))
            throw new ArgumentException($"query and key batch dimensions must match; got {Show(query.shape)} and {Show(key.shape)}.", nameof(key));
        if (query.size(-1) != key.size(-1))
            throw new ArgumentException(
                $"query and key head dimensions (last axis) must match; got {query.size(-1)} and {key.size(-1)} (shapes {Show(query.shape)} and {Show(key.shape)}).",
                nameof(key));
        CheckHeads(query, key, nameof(key));
    }

    private static void CheckValue(Tensor query, Tensor key, Tensor value)
    {
        if (value.dim() != query.dim() || !key.shape.AsSpan(0, key.shape.Length - 3).SequenceEqual(value.shape.AsSpan(0, value.shape.Length - 3)))
            throw new ArgumentException(
                $"value must have key's rank and batch dimensions; got key {Show(key.shape)} and value {Show(value.shape)}.", nameof(value));
        if (key.size(-3) != value.size(-3))
            throw new ArgumentException(
                $"key and value lengths (axis -3) must match; got {key.size(-3)} and {value.size(-3)} (shapes {Show(key.shape)} and {Show(value.shape)}).",
                nameof(value));
        CheckHeads(query, value, nameof(value));
    }

    private static void CheckHeads(Tensor query, Tensor other, string name)
    {
        long heads = query.size(-2), otherHeads = other.size(-2);
        if (otherHeads == 0 || heads % otherHeads != 0)
            throw new ArgumentException(
                $"query heads ({heads}) must be a multiple of {name} heads ({otherHeads}), axis -2 of {Show(query.shape)} and {Show(other.shape)}.",
                name);
    }

    private static void CheckMaskAndBias(Tensor q, Tensor k, Tensor? bias, Tensor? mask)
    {
        long[] weights = [.. q.shape.AsSpan(0, q.shape.Length - 3), q.size(-2), q.size(-3), k.size(-3)];
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
