using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// The update of <see cref="UpdateKernel{T}"/> as tensor operations, in the same order: for parameters the fused
/// kernel does not run (not on the CPU, float16 or bfloat16, or not contiguous). One pass per operation. SGD gives the
/// kernel's bits; Adam agrees within float rounding, as libtorch's vectorized sqrt is not always correctly rounded.
/// </summary>
internal static class TensorStep
{
    /// <param name="rule">The rule.</param>
    /// <param name="t">The update number, 1 for the first.</param>
    /// <param name="learningRate">The rate for this update.</param>
    /// <param name="decay">Whether AdamW's weight decay applies to this parameter.</param>
    /// <param name="p">The parameter, updated in place.</param>
    /// <param name="grad">Its gradient, same shape, dtype and device.</param>
    /// <param name="first">Adam's mu or SGD's trace.</param>
    /// <param name="second">Adam's nu.</param>
    /// <param name="clip">The global norm and the maximum, when clipping is triggered.</param>
    public static void Run(UpdateRule rule, long t, double learningRate, bool decay, Tensor p, Tensor grad, Tensor? first, Tensor? second, (double Norm, double Max)? clip)
    {
        using DisposeScope scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Tensor g = clip is (double norm, double max) ? grad.div(norm).mul_(max) : grad;
        if (rule.Kind == UpdateKind.Adam)
        {
            first!.mul_(rule.B1).add_(g.mul(1 - rule.B1));
            second!.mul_(rule.B2).add_(g.mul(g).mul_(1 - rule.B2));
            Tensor vHat = second.div(Correction(rule.B2, t, p.dtype));
            if (rule.EpsRoot != 0) vHat.add_(rule.EpsRoot);
            Tensor update = first.div(Correction(rule.B1, t, p.dtype)).div_(vHat.sqrt_().add_(rule.Eps));
            if (decay && rule.WeightDecay != 0) update.add_(p.mul(rule.WeightDecay));
            p.add_(update.mul_(-learningRate));
        }
        else if (rule.Momentum is double mu)
        {
            first!.mul_(mu).add_(g);
            Tensor update = rule.Nesterov ? first.mul(mu).add_(g) : first;
            p.add_(update.mul(-learningRate));
        }
        else
        {
            p.add_(g.mul(-learningRate));
        }
    }

    // 1 - b^t as optax computes it: in float32 (with b rounded to float32) unless the parameters are float64.
    private static double Correction(double b, long t, ScalarType dtype) =>
        dtype == ScalarType.Float64 ? 1 - Math.Pow(b, t) : 1f - (float)Math.Pow((float)b, t);
}
