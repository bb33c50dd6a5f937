using System;
using System.Linq;

namespace Nnx.Runtime.Tests.Optim;

/// <summary>
/// optax's update formulas written out element by element in double precision, from optax's source
/// (<c>scale_by_adam</c>, <c>add_decayed_weights</c>, <c>scale_by_learning_rate</c>, <c>trace</c>,
/// <c>clip_by_global_norm</c>, <c>apply_updates</c>): the step-by-step formula the fused float32 kernels are checked
/// against. Independent of the code under test.
/// </summary>
internal static class OptaxReference
{
    /// <summary>One <c>optax.adamw</c> update (<c>adam</c> when <paramref name="weightDecay"/> is 0); <paramref name="t"/> counts from 1.</summary>
    public static void Adam(double[] p, double[] g, double[] mu, double[] nu, int t, double lr,
        double b1 = 0.9, double b2 = 0.999, double eps = 1e-8, double epsRoot = 0, double weightDecay = 0)
    {
        for (int i = 0; i < p.Length; i++)
        {
            mu[i] = (1 - b1) * g[i] + b1 * mu[i];
            nu[i] = (1 - b2) * g[i] * g[i] + b2 * nu[i];
            double muHat = mu[i] / (1 - Math.Pow(b1, t));
            double nuHat = nu[i] / (1 - Math.Pow(b2, t));
            double update = muHat / (Math.Sqrt(nuHat + epsRoot) + eps) + weightDecay * p[i];
            p[i] += -lr * update;
        }
    }

    /// <summary>One <c>optax.sgd</c> update, with <c>trace</c> when <paramref name="trace"/> is given.</summary>
    public static void Sgd(double[] p, double[] g, double lr, double[]? trace = null, double momentum = 0, bool nesterov = false)
    {
        for (int i = 0; i < p.Length; i++)
        {
            double update = g[i];
            if (trace is not null)
            {
                trace[i] = g[i] + momentum * trace[i];
                update = nesterov ? g[i] + momentum * trace[i] : trace[i];
            }
            p[i] += -lr * update;
        }
    }

    /// <summary><c>clip_by_global_norm</c>: the gradients scaled in place when their global norm reaches <paramref name="maxNorm"/>.</summary>
    public static void ClipByGlobalNorm(double[][] grads, double maxNorm)
    {
        double norm = Math.Sqrt(grads.Sum(g => g.Sum(x => x * x)));
        if (norm < maxNorm) return;
        foreach (double[] g in grads)
            for (int i = 0; i < g.Length; i++) g[i] = g[i] / norm * maxNorm;
    }
}
