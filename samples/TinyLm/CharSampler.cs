using System;
using System.Collections.Generic;

namespace TinyLmSample;

/// <summary>
/// Turns the model's next-character logits into a character, and a prompt into the context the model was trained on.
/// </summary>
internal static class CharSampler
{
    /// <summary>
    /// Draws an id from <c>softmax(logits / temperature)</c> restricted to every id except
    /// <see cref="CharVocab.PaddingId"/>, renormalised over those ids: dropping padding must not leave its probability
    /// to whichever id happens to come last.
    /// </summary>
    /// <param name="logits">One logit per vocabulary id.</param>
    /// <param name="temperature">Above 0; below 1 sharpens the distribution.</param>
    /// <param name="uniform">A uniform number in <c>[0, 1)</c>.</param>
    public static int Draw(ReadOnlySpan<float> logits, double temperature, double uniform)
    {
        if (logits.Length <= CharVocab.PaddingId + 1)
            throw new ArgumentException($"Expected logits for padding and at least one character, got {logits.Length}.", nameof(logits));
        if (!(temperature > 0) || !double.IsFinite(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "Expected a positive, finite temperature.");
        if (!(uniform >= 0 && uniform < 1))
            throw new ArgumentOutOfRangeException(nameof(uniform), uniform, "Expected a number in [0, 1).");

        // In double, from the largest logit down, so neither exp overflows nor the sum loses the small terms.
        double max = double.NegativeInfinity;
        for (int id = 0; id < logits.Length; id++)
            if (id != CharVocab.PaddingId) max = Math.Max(max, logits[id]);
        if (!double.IsFinite(max))
            throw new ArgumentException($"The largest character logit is {max}; the model's output is not finite.", nameof(logits));
        var weights = new double[logits.Length];
        double total = 0;
        for (int id = 0; id < logits.Length; id++)
        {
            if (id == CharVocab.PaddingId) continue;
            weights[id] = Math.Exp((logits[id] - max) / temperature);
            total += weights[id];
        }

        double target = uniform * total;
        int last = -1;
        double cumulative = 0;
        for (int id = 0; id < weights.Length; id++)
        {
            if (weights[id] == 0) continue;
            cumulative += weights[id];
            last = id;
            if (target < cumulative) return id;
        }
        // Rounding can leave target a hair above the final sum; the answer is then the last id with any weight.
        return last;
    }

    /// <summary>
    /// The prompt's ids, preceded by <paramref name="filler"/> ids until it fills a context window. The model was
    /// trained on windows of real text (padding appears only before the corpus's first characters), so a window of
    /// padding would be input it has hardly seen.
    /// </summary>
    public static List<int> FillContext(IReadOnlyList<int> prompt, int context, int filler)
    {
        var ids = new List<int>(Math.Max(prompt.Count, context));
        for (int i = prompt.Count; i < context; i++) ids.Add(filler);
        ids.AddRange(prompt);
        return ids;
    }

    /// <summary>The id that occurs most often in <paramref name="text"/> (a space, in English text).</summary>
    public static int Commonest(ReadOnlySpan<int> text)
    {
        var counts = new Dictionary<int, long>();
        foreach (int id in text) counts[id] = counts.GetValueOrDefault(id) + 1;
        int best = CharVocab.PaddingId;
        long bestCount = 0;
        foreach (var (id, count) in counts)
            if (count > bestCount || (count == bestCount && id < best)) (best, bestCount) = (id, count);
        return best;
    }
}
