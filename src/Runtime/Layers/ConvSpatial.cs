using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// What <c>lax.conv_general_dilated</c> and <c>jnp.pad</c> do to the spatial axes of a channels-first input
/// <c>(batch, features, *spatial)</c> that libtorch's convolution does not: input dilation, periodic and mirrored
/// padding of any width, and asymmetric or negative zero padding. Every operation is differentiable.
/// </summary>
internal static class ConvSpatial
{
    /// <summary>
    /// <c>d - 1</c> zeros between neighbouring elements of each spatial axis (XLA's <c>lhs_dilation</c>): an axis of
    /// size <c>n</c> becomes <c>(n - 1) * d + 1</c>.
    /// </summary>
    public static Tensor Dilate(Tensor x, long[] dilation)
    {
        for (int i = 0; i < dilation.Length; i++)
        {
            long d = dilation[i], n = x.size(i + 2);
            if (d == 1 || n == 0) continue;
            int axis = i + 2;
            // Each element followed by d - 1 zeros along a new axis, merged back, the trailing zeros cut off.
            long[] shape = x.shape;
            Tensor element = x.unsqueeze(axis + 1);
            Tensor zeros = torch.zeros([.. shape[..(axis + 1)], d - 1, .. shape[(axis + 1)..]], x.dtype, x.device);
            long[] merged = x.shape;
            merged[axis] = n * d;
            x = torch.cat([element, zeros], axis + 1).reshape(merged).narrow(axis, 0, (n - 1) * d + 1);
        }
        return x;
    }

    /// <summary>
    /// <c>jnp.pad</c> in <c>wrap</c> (<paramref name="reflect"/> false) or <c>reflect</c> mode on every spatial axis, as
    /// index arithmetic so that any width works (libtorch's circular and reflection pads stop at the axis size).
    /// </summary>
    /// <exception cref="ArgumentException">A spatial axis is empty: there is nothing to wrap or mirror.</exception>
    public static Tensor PadPeriodic(Tensor x, (long Low, long High)[] pairs, bool reflect)
    {
        for (int i = 0; i < pairs.Length; i++)
        {
            var (low, high) = pairs[i];
            if (low == 0 && high == 0) continue;
            long n = x.size(i + 2);
            if (n == 0)
                throw new ArgumentException(
                    $"Conv padding '{(reflect ? "REFLECT" : "CIRCULAR")}' needs at least one element on spatial axis {i}; the input (channels first) has shape [{string.Join(", ", x.shape)}].",
                    nameof(x));
            using Tensor positions = torch.arange(-low, n + high, ScalarType.Int64, x.device);
            using Tensor source = reflect ? Mirrored(positions, n) : positions.remainder(n);
            x = x.index_select(i + 2, source);
        }
        return x;
    }

    /// <summary>Zero padding per spatial axis; negative sizes crop, as XLA's padding does (the caller checks that some of the axis remains).</summary>
    public static Tensor PadZeros(Tensor x, (long Low, long High)[] pairs)
    {
        long[] pad = new long[2 * pairs.Length];
        // functional.pad lists the last axis first.
        for (int i = 0; i < pairs.Length; i++)
        {
            pad[2 * (pairs.Length - 1 - i)] = pairs[i].Low;
            pad[2 * (pairs.Length - 1 - i) + 1] = pairs[i].High;
        }
        return torch.nn.functional.pad(x, pad);
    }

    // numpy's reflect: the axis extended by mirroring at both ends without repeating them, period 2(n - 1).
    private static Tensor Mirrored(Tensor positions, long n)
    {
        if (n == 1) return torch.zeros_like(positions);
        long period = 2 * (n - 1);
        using Tensor folded = positions.remainder(period);
        using Tensor back = folded.neg().add_(period);
        return torch.where(folded.lt(n), folded, back);
    }
}
