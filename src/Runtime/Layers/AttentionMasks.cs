using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// Flax NNX's mask helpers (<c>make_attention_mask</c>, <c>make_causal_mask</c>, <c>combine_masks</c>): masks of shape
/// <c>(batch..., 1, qLength, kvLength)</c> for <see cref="Attention"/>, 1 (or true) where a query may attend a key.
/// </summary>
public static class AttentionMasks
{
    /// <summary>
    /// NNX's <c>make_attention_mask</c>: <c>pairwise(queryInput[..., :, None], keyInput[..., None, :])</c> with a
    /// heads axis of size 1 inserted before the last two, and <paramref name="extraBatchDims"/> leading axes of size 1.
    /// </summary>
    /// <param name="queryInput"><c>(batch..., qLength)</c>, e.g. <c>ids.ne(padId)</c>.</param>
    /// <param name="keyInput"><c>(batch..., kvLength)</c>.</param>
    /// <param name="pairwise">Combines query and key entries; <c>jnp.multiply</c> (a product) by default.</param>
    /// <param name="extraBatchDims">Leading size-1 axes to add.</param>
    /// <param name="dtype">The mask's dtype; float32 by default, as NNX.</param>
    /// <returns><c>(1 × extraBatchDims, batch..., 1, qLength, kvLength)</c>.</returns>
    /// <exception cref="ArgumentException">An input is a scalar, or <paramref name="extraBatchDims"/> is negative.</exception>
    public static Tensor MakeAttentionMask(Tensor queryInput, Tensor keyInput, Func<Tensor, Tensor, Tensor>? pairwise = null,
        int extraBatchDims = 0, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(queryInput);
        ArgumentNullException.ThrowIfNull(keyInput);
        if (queryInput.dim() == 0 || keyInput.dim() == 0)
            throw new ArgumentException(
                $"Mask inputs are (batch..., length); got shapes [{string.Join(", ", queryInput.shape)}] and [{string.Join(", ", keyInput.shape)}].",
                queryInput.dim() == 0 ? nameof(queryInput) : nameof(keyInput));
        if (extraBatchDims < 0)
            throw new ArgumentException($"extraBatchDims must be 0 or more; got {extraBatchDims}.", nameof(extraBatchDims));
        using var scope = torch.NewDisposeScope();
        Tensor mask = (pairwise ?? torch.mul)(queryInput.unsqueeze(-1), keyInput.unsqueeze(-2)).unsqueeze(-3);
        for (int i = 0; i < extraBatchDims; i++) mask = mask.unsqueeze(0);
        return mask.to(dtype).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// NNX's <c>make_causal_mask</c>: for <paramref name="x"/> of shape <c>(batch..., length)</c> (only the shape is
    /// read), the mask <c>(batch..., 1, length, length)</c> that lets position <c>i</c> attend positions <c>0..i</c>.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="MakeAttentionMask"/>.</exception>
    public static Tensor MakeCausalMask(Tensor x, int extraBatchDims = 0, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() == 0)
            throw new ArgumentException("make_causal_mask needs an input of shape (batch..., length); got a scalar.", nameof(x));
        using var scope = torch.NewDisposeScope();
        Tensor positions = torch.arange(x.size(-1), ScalarType.Int32, x.device).expand(x.shape);
        return MakeAttentionMask(positions, positions, torch.greater_equal, extraBatchDims, dtype).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// NNX's <c>combine_masks</c>: the logical and of the non-null masks, as <paramref name="dtype"/>; null when
    /// every mask is null.
    /// </summary>
    /// <exception cref="ArgumentException">The masks differ in rank (NNX requires one rank), or do not broadcast together.</exception>
    public static Tensor? CombineMasks(IReadOnlyList<Tensor?> masks, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(masks);
        Tensor[] present = masks.Where(m => m is not null).Select(m => m!).ToArray();
        if (present.Length == 0) return null;
        if (present.Any(m => m.dim() != present[0].dim()))
            throw new ArgumentException(
                $"Masks must have the same rank to combine; got shapes {string.Join(", ", present.Select(m => $"[{string.Join(", ", m.shape)}]"))}.",
                nameof(masks));
        Promotion.RequireOneDevice(present);
        using var scope = torch.NewDisposeScope();
        Tensor combined = present[0].ne(0);
        foreach (Tensor m in present.Skip(1))
        {
            CheckBroadcastable(combined, m);
            combined = combined.logical_and(m.ne(0));
        }
        return combined.to(dtype).MoveToOuterDisposeScope();
    }

    private static void CheckBroadcastable(Tensor a, Tensor b)
    {
        for (int i = 1; i <= a.dim(); i++)
        {
            long x = a.shape[^i], y = b.shape[^i];
            if (x != y && x != 1 && y != 1)
                throw new ArgumentException(
                    $"Masks of shapes [{string.Join(", ", a.shape)}] and [{string.Join(", ", b.shape)}] do not broadcast together (axis -{i}: {x} vs {y}).",
                    "masks");
        }
    }
}
