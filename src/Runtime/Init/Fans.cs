using System;
using System.Linq;

namespace Nnx;

/// <summary>
/// <c>jax.nn.initializers._compute_fans</c> with Python's double arithmetic in its order:
/// <c>receptive = prod(shape) / in / out / batch</c>, <c>fan_in = in * receptive</c>, <c>fan_out = out * receptive</c>
/// (so <c>Embed(49, 1)</c> gets fan_in 0.9999999999999999, as in JAX).
/// </summary>
internal static class Fans
{
    public static (double FanIn, double FanOut) Compute(long[] shape, int[] inAxis, int[] outAxis, int[] batchAxis, string spec)
    {
        if (shape.Length < 2)
            throw new ArgumentException(
                $"Init \"{spec}\" computes fans from the shape, which needs at least 2 dimensions; got [{string.Join(", ", shape)}]. Use it for kernels (in, out) or (..., in, out), or use normal/uniform for vectors.",
                nameof(shape));
        double inSize = Size(shape, inAxis, "in_axis", spec);
        double outSize = Size(shape, outAxis, "out_axis", spec);
        double batchSize = Size(shape, batchAxis, "batch_axis", spec);
        double total = shape.Aggregate(1.0, (p, d) => p * d);
        if (inSize == 0 || outSize == 0 || batchSize == 0)
            throw new ArgumentException($"Init \"{spec}\" cannot compute fans of shape [{string.Join(", ", shape)}]: a fan axis has size 0.", nameof(shape));
        double receptive = total / inSize / outSize / batchSize;
        return (inSize * receptive, outSize * receptive);
    }

    private static double Size(long[] shape, int[] axes, string name, string spec)
    {
        double size = 1;
        foreach (int axis in axes)
        {
            int a = axis < 0 ? axis + shape.Length : axis;
            if (a < 0 || a >= shape.Length)
                throw new ArgumentException(
                    $"Init \"{spec}\": {name} {axis} is outside shape [{string.Join(", ", shape)}] (valid: -{shape.Length} to {shape.Length - 1}).",
                    nameof(shape));
            size *= shape[a];
        }
        return size;
    }
}
