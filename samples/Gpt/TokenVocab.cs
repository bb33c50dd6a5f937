using System;
using System.Collections.Generic;
using System.Linq;

namespace GptSample;

/// <summary>
/// The model's token ids and the GPT-2 ids they stand for: every GPT-2 id (the identity), or only those that occur in
/// the training text, numbered densely in GPT-2 order. The King James Bible uses 9,799 of GPT-2's 50,257 tokens, so
/// the smaller table makes the output head, most of a small model's work, five times cheaper; the text is
/// tokenized by GPT-2's BPE either way.
/// </summary>
internal sealed class TokenVocab
{
    private readonly int[]? _gpt2Ids;
    private readonly Dictionary<int, int>? _modelIds;

    private TokenVocab(int[]? gpt2Ids)
    {
        _gpt2Ids = gpt2Ids;
        _modelIds = gpt2Ids?.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
    }

    /// <summary>All of GPT-2's tokens, model id = GPT-2 id.</summary>
    public static TokenVocab Gpt2 { get; } = new(null);

    /// <summary>The GPT-2 ids that occur in <paramref name="gpt2Ids"/>, in ascending order.</summary>
    public static TokenVocab Of(IEnumerable<int> gpt2Ids) => new(gpt2Ids.Distinct().Order().ToArray());

    /// <summary>The vocabulary a checkpoint recorded with <see cref="Describe"/>.</summary>
    /// <exception cref="FormatException">The text is neither <c>gpt2</c> nor a comma-separated list of increasing GPT-2 ids.</exception>
    public static TokenVocab Parse(string description)
    {
        if (description == "gpt2") return Gpt2;
        int[] ids;
        try
        {
            ids = description.Split(',').Select(int.Parse).ToArray();
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new FormatException($"A token vocabulary is 'gpt2' or a list of GPT-2 ids; got '{description[..Math.Min(40, description.Length)]}...'.", e);
        }
        for (int i = 0; i < ids.Length; i++)
            if (ids[i] < 0 || ids[i] >= ModelConfig.Gpt2Vocab || (i > 0 && ids[i] <= ids[i - 1]))
                throw new FormatException($"A token vocabulary lists increasing GPT-2 ids in [0, {ModelConfig.Gpt2Vocab}); entry {i} is {ids[i]}.");
        return new(ids);
    }

    /// <summary>How many tokens the model's table holds.</summary>
    public int Size => _gpt2Ids?.Length ?? (int)ModelConfig.Gpt2Vocab;

    /// <summary><c>gpt2</c>, or the GPT-2 ids in model order: what a checkpoint records.</summary>
    public string Describe() => _gpt2Ids is null ? "gpt2" : string.Join(",", _gpt2Ids);

    /// <summary>The model ids of GPT-2 ids.</summary>
    /// <exception cref="ArgumentException">A token does not occur in the training text (the message shows it).</exception>
    public int[] ToModel(IReadOnlyList<int> gpt2Ids)
    {
        if (_modelIds is null) return [.. gpt2Ids];
        var ids = new int[gpt2Ids.Count];
        for (int i = 0; i < ids.Length; i++)
            ids[i] = _modelIds.TryGetValue(gpt2Ids[i], out int id) ? id : throw new ArgumentException(
                $"Token {gpt2Ids[i]} ('{Gpt2Tokenizer.Decode([gpt2Ids[i]])}') at position {i} does not occur in the training text, so this model has no row for it; " +
                "rephrase, or train with --vocab gpt2.", nameof(gpt2Ids));
        return ids;
    }

    /// <summary>The GPT-2 ids of model ids.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside <c>[0, Size)</c>.</exception>
    public int[] ToGpt2(IReadOnlyList<int> modelIds)
    {
        var ids = new int[modelIds.Count];
        for (int i = 0; i < ids.Length; i++)
        {
            int id = modelIds[i];
            if (id < 0 || id >= Size)
                throw new ArgumentOutOfRangeException(nameof(modelIds), id, $"Model token id at position {i} is outside [0, {Size}).");
            ids[i] = _gpt2Ids?[id] ?? id;
        }
        return ids;
    }
}
