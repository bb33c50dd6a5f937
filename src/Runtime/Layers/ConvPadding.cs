using System;
using System.Linq;

namespace Nnx;

/// <summary>The padding forms of <c>nnx.Conv</c>, resolved once per layer.</summary>
internal enum ConvPaddingForm
{
    /// <summary>Explicit <c>(low, high)</c> zero padding per spatial axis (NNX's int or sequence forms).</summary>
    Explicit,

    /// <summary><c>'SAME'</c>: output size <c>ceil(n / stride)</c>, an odd remainder padded at the end.</summary>
    Same,

    /// <summary><c>'SAME_LOWER'</c>: as SAME, an odd remainder padded at the start.</summary>
    SameLower,

    /// <summary><c>'VALID'</c>: no padding.</summary>
    Valid,

    /// <summary><c>'CIRCULAR'</c>: periodic boundary, <c>((k - 1) / 2, k / 2)</c> wrapped elements per side.</summary>
    Circular,

    /// <summary><c>'REFLECT'</c>: as CIRCULAR, with mirrored elements (the edge not repeated).</summary>
    Reflect,

    /// <summary><c>'CAUSAL'</c> (1-D only): <c>dilation * (k - 1)</c> zeros on the left, so no output sees later inputs.</summary>
    Causal,
}

/// <summary>
/// <c>nnx.Conv</c>'s <c>padding</c> argument (<c>canonicalize_padding</c>, <c>lax.padtype_to_pads</c>): parsing, and the
/// zero padding per spatial axis that the convolution applies.
/// </summary>
internal static class ConvPadding
{
    private static readonly string[] Names = ["SAME", "SAME_LOWER", "VALID", "CIRCULAR", "REFLECT", "CAUSAL"];

    /// <summary>The form named by <paramref name="padding"/>, or <see cref="ConvPaddingForm.Explicit"/> when sizes are given.</summary>
    /// <exception cref="ArgumentException">An unknown name, sizes together with a name other than SAME, or CAUSAL for more than one spatial axis.</exception>
    public static ConvPaddingForm Parse(string padding, long[]? explicitPadding, int rank)
    {
        ArgumentNullException.ThrowIfNull(padding);
        string name = padding.Trim().ToUpperInvariant();
        int index = Array.IndexOf(Names, name);
        if (index < 0)
            throw new ArgumentException(
                $"Conv padding '{padding}' is not one of {string.Join(", ", Names)}; for explicit sizes pass explicitPadding (e.g. [1] for NNX's padding=1).",
                nameof(padding));
        var form = (ConvPaddingForm)(index + 1);
        if (explicitPadding is not null)
        {
            if (form != ConvPaddingForm.Same)
                throw new ArgumentException(
                    $"Conv got both padding '{padding}' and explicitPadding [{string.Join(", ", explicitPadding)}]; give one of them (NNX's padding is either a name or sizes).",
                    nameof(explicitPadding));
            return ConvPaddingForm.Explicit;
        }
        if (form == ConvPaddingForm.Causal && rank != 1)
            throw new ArgumentException(
                $"Conv padding 'CAUSAL' is only defined for 1-D convolutions, as in NNX; this one has {rank} spatial axes. Pad the input yourself, or use explicitPadding.",
                nameof(padding));
        return form;
    }

    /// <summary>
    /// NNX's explicit forms as <c>(low, high)</c> pairs: one value for every side of every axis (NNX's int), one value per
    /// axis for both its sides (a sequence of ints), or <c>low, high</c> per axis in axis order (a sequence of pairs).
    /// Negative sizes crop, as in <c>lax.conv_general_dilated</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A count other than 1, <paramref name="rank"/> or twice <paramref name="rank"/>.</exception>
    public static (long Low, long High)[] ExplicitPairs(long[] values, int rank)
    {
        if (values.Length == 1) return Enumerable.Repeat((values[0], values[0]), rank).ToArray();
        if (values.Length == rank) return values.Select(v => (v, v)).ToArray();
        if (values.Length == 2 * rank) return Enumerable.Range(0, rank).Select(i => (values[2 * i], values[2 * i + 1])).ToArray();
        throw new ArgumentException(
            $"Conv explicitPadding [{string.Join(", ", values)}] has {values.Length} values for {rank} spatial axes; give 1 (every side), {rank} (both sides of each axis) or {2 * rank} (low, high for each axis in turn).",
            nameof(values));
    }

    /// <summary>
    /// The zero padding <c>(low, high)</c> of each spatial axis for an input of spatial sizes <paramref name="spatial"/>
    /// (after input dilation). CIRCULAR and REFLECT pad beforehand (see <see cref="PeriodicPairs"/>) and convolve VALID.
    /// </summary>
    public static (long Low, long High)[] ZeroPairs(ConvPaddingForm form, (long Low, long High)[]? explicitPairs, long[] spatial,
        long[] dilatedKernel, long[] strides) => form switch
    {
        ConvPaddingForm.Explicit => explicitPairs!,
        ConvPaddingForm.Same or ConvPaddingForm.SameLower => spatial.Select((n, i) =>
        {
            long output = (n + strides[i] - 1) / strides[i];
            long total = Math.Max((output - 1) * strides[i] + dilatedKernel[i] - n, 0);
            long small = total / 2;
            return form == ConvPaddingForm.Same ? (small, total - small) : (total - small, small);
        }).ToArray(),
        ConvPaddingForm.Causal => [(dilatedKernel[0] - 1, 0L)],
        _ => spatial.Select(_ => (0L, 0L)).ToArray(),
    };

    /// <summary>The wrapped or mirrored elements per side for CIRCULAR and REFLECT: <c>((k - 1) / 2, k / 2)</c> of the dilated kernel.</summary>
    public static (long Low, long High)[] PeriodicPairs(long[] dilatedKernel) =>
        dilatedKernel.Select(k => ((k - 1) / 2, k / 2)).ToArray();
}
