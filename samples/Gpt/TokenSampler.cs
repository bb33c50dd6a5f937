using System;
using System.Linq;

namespace GptSample;

/// <summary>Draws the next token from a model's logits: the <c>topK</c> likeliest tokens, sharpened by a temperature.</summary>
internal static class TokenSampler
{
    /// <summary>
    /// An id drawn from <c>softmax(logits / temperature)</c> restricted to the <paramref name="topK"/> largest logits
    /// (ties broken by the lower id) and renormalised over them.
    /// </summary>
    /// <param name="logits">One logit per vocabulary id.</param>
    /// <param name="temperature">Above 0; below 1 sharpens the distribution.</param>
    /// <param name="topK">How many candidates to keep, at least 1.</param>
    /// <param name="uniform">A uniform number in <c>[0, 1)</c>.</param>
    /// <exception cref="ArgumentException">No logits, a non-finite largest logit, or an argument out of range.</exception>
    public static int Draw(ReadOnlySpan<float> logits, double temperature, int topK, double uniform)
    {
        if (logits.Length == 0) throw new ArgumentException("Expected at least one logit.", nameof(logits));
        if (!(temperature > 0) || !double.IsFinite(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "Expected a positive, finite temperature.");
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        if (!(uniform >= 0 && uniform < 1))
            throw new ArgumentOutOfRangeException(nameof(uniform), uniform, "Expected a number in [0, 1).");

        float[] values = logits.ToArray();
        int[] candidates = Enumerable.Range(0, values.Length)
            .OrderByDescending(id => values[id]).ThenBy(id => id).Take(topK).ToArray();
        double max = values[candidates[0]];
        if (!double.IsFinite(max))
            throw new ArgumentException($"The largest logit is {max}; the model's output is not finite.", nameof(logits));
        // In double, from the largest logit down, so exp cannot overflow and small weights still count.
        double[] weights = candidates.Select(id => Math.Exp((values[id] - max) / temperature)).ToArray();
        double target = uniform * weights.Sum(), cumulative = 0;
        for (int i = 0; i < candidates.Length; i++)
        {
            cumulative += weights[i];
            if (target < cumulative) return candidates[i];
        }
        // Rounding can leave the target a hair above the final sum; the answer is then the last candidate.
        return candidates[^1];
    }
}
