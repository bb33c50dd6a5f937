using static TorchSharp.torch;

namespace Nnx;

/// <summary>The product every linear layer computes, <see cref="Linear"/>, <see cref="LinearToHeads"/> and <see cref="LinearFromHeads"/>.</summary>
internal static class Dense
{
    /// <summary>
    /// <c>x @ kernel + bias</c> as NNX computes it: the operands cast to <paramref name="dtype"/> or their promoted type
    /// first (<see cref="Promotion"/>, so <c>matmul</c> never sees a mismatch that would abort the process), the dot
    /// product, then the bias as a separate add. Call it inside a dispose scope: intermediate tensors stay in it.
    /// </summary>
    /// <param name="x"><c>(..., in)</c>, checked by the caller.</param>
    /// <param name="kernel"><c>(in, out)</c>.</param>
    /// <param name="bias"><c>(out,)</c>, or null.</param>
    /// <param name="dtype">The computation type, or null to promote.</param>
    public static Tensor Apply(Tensor x, Tensor kernel, Tensor? bias, ScalarType? dtype)
    {
        Tensor?[] promoted = Promotion.PromoteDtype([x, kernel, bias], dtype);
        Tensor y = promoted[0]!.matmul(promoted[1]!);
        return promoted[2] is { } b ? y.add_(b) : y;
    }
}
