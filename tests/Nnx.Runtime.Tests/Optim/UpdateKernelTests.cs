using System;
using System.Linq;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Nnx.Runtime.Tests.Optim;

/// <summary>The fused update kernels: vector and scalar twins agree bit for bit, and both follow optax's formulas.</summary>
public unsafe class UpdateKernelTests
{
    // 1003 elements: many full vectors, then a scalar tail of 3.
    private const int N = 1003;

    public static TheoryData<string> Rules => new() { "adam", "adamw", "adam-eps-root", "sgd", "momentum", "nesterov" };

    private static UpdateRule Rule(string name) => name switch
    {
        "adam" => UpdateRule.Adam(0.01),
        "adamw" => UpdateRule.AdamW(0.01, weightDecay: 0.1),
        "adam-eps-root" => UpdateRule.Adam(0.01, b1: 0.8, b2: 0.99, eps: 1e-6, epsRoot: 1e-10),
        "sgd" => UpdateRule.Sgd(0.1),
        "momentum" => UpdateRule.Sgd(0.1, momentum: 0.9),
        "nesterov" => UpdateRule.Sgd(0.1, momentum: 0.9, nesterov: true),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Vector_and_scalar_kernels_agree_bit_for_bit_in_float(string rule) => AssertTwinsAgree<float>(Rule(rule));

    [Theory]
    [MemberData(nameof(Rules))]
    public void Vector_and_scalar_kernels_agree_bit_for_bit_in_double(string rule) => AssertTwinsAgree<double>(Rule(rule));

    [Fact]
    public void Adam_in_float_follows_the_optax_formula_within_float_rounding_over_30_steps()
    {
        var random = new System.Random(11);
        float[] p = Normals(random, N), m = new float[N], v = new float[N];
        double[] pRef = p.Select(x => (double)x).ToArray(), mRef = new double[N], vRef = new double[N];
        for (int t = 1; t <= 30; t++)
        {
            float[] g = Normals(random, N);
            // Gradients spanning eight orders of magnitude, so both moments matter.
            for (int i = 0; i < N; i += 7) g[i] *= 1e-4f;
            fixed (float* pp = p, gp = g, mp = m, vp = v)
                UpdateKernel<float>.For(UpdateRule.AdamW(0.01, weightDecay: 0.05), t, 0.01, decay: true).Run(pp, new DenseGrad<float>(gp), mp, vp, N);
            OptaxReference.Adam(pRef, g.Select(x => (double)x).ToArray(), mRef, vRef, t, 0.01, weightDecay: 0.05);
        }
        for (int i = 0; i < N; i++)
        {
            // Float rounding, accumulated over 30 steps: mu can cancel to near zero, so its error is measured against
            // the size of the gradients (about 1), nu is a sum of squares and keeps its relative precision.
            Assert.True(Math.Abs(p[i] - pRef[i]) <= 1e-5 * Math.Max(1, Math.Abs(pRef[i])), $"p[{i}] = {p[i]}, formula {pRef[i]}");
            Assert.True(Math.Abs(m[i] - mRef[i]) <= 1e-6, $"mu[{i}] = {m[i]}, formula {mRef[i]}");
            Assert.True(Math.Abs(v[i] - vRef[i]) <= 1e-5 * vRef[i], $"nu[{i}] = {v[i]}, formula {vRef[i]}");
        }
    }

    [Fact]
    public void A_clipped_gradient_is_divided_by_the_norm_then_multiplied_by_the_maximum()
    {
        float g = 3f, norm = 5.1f, max = 1.25f;
        var source = new ClippedGrad<float, DenseGrad<float>>(new DenseGrad<float>(&g), norm, max);

        Assert.Equal(g / norm * max, source.At(0));
        Assert.NotEqual(g * (max / norm), source.At(0));
    }

    [Fact]
    public void A_zero_gradient_with_Adam_still_moves_parameters_that_have_momentum()
    {
        float p = 1f, m = 0.5f, v = 0.25f;
        UpdateKernel<float>.For(UpdateRule.Adam(0.1), 3, 0.1, decay: false).Run(&p, default(ZeroGrad<float>), &m, &v, 1);

        Assert.Equal(0.45f, m);
        Assert.True(p < 1f);
        Assert.False(UpdateKernel<float>.For(UpdateRule.Adam(0.1), 1, 0.1, false).ZeroGradientIsNoOp);
        Assert.True(UpdateKernel<float>.For(UpdateRule.Sgd(0.1), 1, 0.1, false).ZeroGradientIsNoOp);
        Assert.False(UpdateKernel<float>.For(UpdateRule.Sgd(0.1, momentum: 0.5), 1, 0.1, false).ZeroGradientIsNoOp);
    }

    private static void AssertTwinsAgree<T>(UpdateRule rule) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new System.Random(3);
        T[] grad = Values<T>(random, N);
        grad[5] = -T.Zero;
        foreach (string source in new[] { "dense", "row", "zero", "clipped" })
        {
            T[] p = Values<T>(random, N), first = Values<T>(random, N), second = Values<T>(random, N);
            for (int i = 0; i < N; i++) second[i] = T.Abs(second[i]);
            p[9] = -T.Zero;
            var (pv, fv, sv) = ((T[])p.Clone(), (T[])first.Clone(), (T[])second.Clone());
            var (ps, fs, ss) = ((T[])p.Clone(), (T[])first.Clone(), (T[])second.Clone());
            for (int t = 1; t <= 3; t++)
            {
                Run(rule, t, source, grad, pv, fv, sv, vectorized: true);
                Run(rule, t, source, grad, ps, fs, ss, vectorized: false);
            }
            Assert.Equal(Bits(ps), Bits(pv));
            Assert.Equal(Bits(fs), Bits(fv));
            Assert.Equal(Bits(ss), Bits(sv));
            bool zeroChangesNothing = source == "zero" && rule.Kind == UpdateKind.Sgd && rule.Momentum is null;
            Assert.Equal(zeroChangesNothing, Bits(p).SequenceEqual(Bits(pv)));
        }
    }

    private static void Run<T>(UpdateRule rule, int t, string source, T[] grad, T[] p, T[] first, T[] second, bool vectorized)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        UpdateKernel<T> kernel = UpdateKernel<T>.For(rule, t, 0.05, decay: true, vectorized);
        T norm = T.CreateTruncating(4.5), max = T.CreateTruncating(1.25);
        fixed (T* pp = p, gp = grad, fp = first, sp = second)
        {
            var dense = new DenseGrad<T>(gp);
            switch (source)
            {
                case "dense": kernel.Run(pp, dense, fp, sp, N); break;
                case "row": kernel.Run(pp, new RowGrad<T>(gp), fp, sp, N); break;
                case "zero": kernel.Run(pp, default(ZeroGrad<T>), fp, sp, N); break;
                default: kernel.Run(pp, new ClippedGrad<T, DenseGrad<T>>(dense, norm, max), fp, sp, N); break;
            }
        }
    }

    private static float[] Normals(System.Random random, int n) =>
        Enumerable.Range(0, n).Select(_ => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).ToArray();

    private static T[] Values<T>(System.Random random, int n) where T : unmanaged, IFloatingPointIeee754<T> =>
        Normals(random, n).Select(x => T.CreateTruncating(x * 0.7)).ToArray();

    private static byte[] Bits<T>(T[] values) where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
