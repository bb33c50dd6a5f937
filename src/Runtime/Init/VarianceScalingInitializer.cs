using System;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// <c>jax.nn.initializers.variance_scaling</c> (and lecun/glorot/he): <c>variance = f32(scale / denominator)</c> in
/// double, then one float32 multiplier applied to the samples, in JAX's order (SPEC.md section 16.5).
/// </summary>
internal sealed class VarianceScalingInitializer(
    string spec, double scale, FanMode mode, VarianceDistribution distribution, int[] inAxis, int[] outAxis, int[] batchAxis)
    : Initializer
{
    // Stddev of the standard normal truncated to (-2, 2), as JAX's literal .87962566103423978 rounded to float32.
    private static readonly float TruncatedStddev = BitConverter.UInt32BitsToSingle(0x3F612F26);

    public override string Spec { get; } = spec;

    public override Tensor Create(PrngKey key, long[] shape, ScalarType dtype, BitsLayout layout)
    {
        Tensor values = NewFloat32(shape, dtype);
        float variance = Variance(shape);
        switch (distribution)
        {
            case VarianceDistribution.TruncatedNormal:
                JaxRandom.FillFloats(key, values, TruncatedNormalMap.Create(-2.0, 2.0, MathF.Sqrt(variance) / TruncatedStddev), layout);
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

    /// <summary><c>jnp.array(scale / denominator, float32)</c>.</summary>
    internal float Variance(long[] shape)
    {
        var (fanIn, fanOut) = Fans.Compute(shape, inAxis, outAxis, batchAxis, Spec);
        double denominator = mode switch
        {
            FanMode.FanIn => fanIn,
            FanMode.FanOut => fanOut,
            FanMode.FanAvg => (fanIn + fanOut) / 2,
            _ => Math.Sqrt(fanIn * fanOut),
        };
        return (float)(scale / denominator);
    }
}
