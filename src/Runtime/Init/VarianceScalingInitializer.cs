using System;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// <c>jax.nn.initializers.variance_scaling</c> (and lecun/glorot/he): <c>variance = jnp.array(scale / denominator, dtype)</c>
/// from double fans, then one multiplier in the dtype applied to the samples, in JAX's order
/// (docs/jax-random.md#initializers).
/// </summary>
internal sealed class VarianceScalingInitializer(
    string spec, double scale, FanMode mode, VarianceDistribution distribution, int[] inAxis, int[] outAxis, int[] batchAxis)
    : Initializer
{
    // Stddev of the standard normal truncated to (-2, 2): JAX's literal .87962566103423978.
    private const double TruncatedStddev = .87962566103423978;

    public override string Spec { get; } = spec;

    public override Tensor Create(PrngKey key, long[] shape, ScalarType dtype, BitsLayout layout)
    {
        Tensor values = NewRandomTensor(shape, dtype);
        double ratio = Ratio(shape);
        if (HalfFormat.For(dtype) is { } half)
        {
            JaxRandom.FillHalves(key, values, HalfSampler(half, half.FromPython(ratio)), layout);
            return values;
        }
        float variance = (float)ratio;
        switch (distribution)
        {
            case VarianceDistribution.TruncatedNormal:
                JaxRandom.FillFloats(key, values, TruncatedNormalMap.Create(-2.0, 2.0, MathF.Sqrt(variance) / (float)TruncatedStddev), layout);
                break;
            case VarianceDistribution.Normal:
                JaxRandom.FillFloats(key, values, new NormalMap(MathF.Sqrt(variance)), layout);
                break;
            default:
                JaxRandom.FillFloats(key, values, JaxRandom.UniformRange(-1.0, 1.0, MathF.Sqrt(3f * variance)), layout);
                break;
        }
        return values;
    }

    /// <summary>The same steps in a 16-bit type: every scalar op rounds to it.</summary>
    private HalfSampler HalfSampler(HalfFormat half, float variance) => distribution switch
    {
        VarianceDistribution.TruncatedNormal => new HalfTruncatedNormal(half, -2.0, 2.0,
            half.Divide(half.Sqrt(variance), half.FromPython(TruncatedStddev))),
        VarianceDistribution.Normal => new HalfNormal(half, half.Sqrt(variance)),
        _ => new HalfUniform(half, -1.0, 1.0, half.Sqrt(half.Multiply(3f, variance))),
    };

    /// <summary><c>jnp.array(scale / denominator, float32)</c>.</summary>
    internal float Variance(long[] shape) => (float)Ratio(shape);

    /// <summary><c>scale / denominator</c> in double, as Python computes it before <c>jnp.array</c> rounds it to the dtype.</summary>
    internal double Ratio(long[] shape)
    {
        var (fanIn, fanOut) = Fans.Compute(shape, inAxis, outAxis, batchAxis, Spec);
        double denominator = mode switch
        {
            FanMode.FanIn => fanIn,
            FanMode.FanOut => fanOut,
            FanMode.FanAvg => (fanIn + fanOut) / 2,
            _ => Math.Sqrt(fanIn * fanOut),
        };
        return scale / denominator;
    }
}
