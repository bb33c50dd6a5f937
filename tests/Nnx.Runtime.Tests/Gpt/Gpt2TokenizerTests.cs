using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using GptSample;

namespace Nnx.Runtime.Tests.GptTests;

/// <summary>The Gpt sample's GPT-2 BPE and its corpus vocabulary, against ids from js-tiktoken (Data/ORIGIN-gpt2-bpe.md).</summary>
public sealed class Gpt2TokenizerTests
{
    private static readonly Verse[] Verses = JsonSerializer.Deserialize<VerseFile>(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "gpt2-bpe-verses.json")),
        new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!.Verses;

    [Fact]
    public void Verses_encode_to_the_ids_tiktoken_gives_and_decode_back_to_the_same_text()
    {
        Assert.Equal(3, Verses.Length);
        foreach (Verse verse in Verses)
        {
            int[] ids = Gpt2Tokenizer.Encode(verse.Text);

            Assert.Equal(verse.Ids, ids);
            Assert.Equal(verse.Text, Gpt2Tokenizer.Decode(ids));
        }
    }

    [Fact]
    public void A_corpus_vocabulary_numbers_its_tokens_densely_in_GPT2_order_and_maps_back()
    {
        int[] gpt2 = Verses[0].Ids;   // 818, 262, 3726, ...: "In the beginning God created the heaven and the earth."
        TokenVocab vocab = TokenVocab.Of(gpt2);

        int[] model = vocab.ToModel(gpt2);

        Assert.Equal(gpt2.Distinct().Count(), vocab.Size);
        Assert.Equal(0, model[Array.IndexOf(gpt2, 13)]);      // "." has the smallest GPT-2 id of the verse
        Assert.Equal(gpt2, vocab.ToGpt2(model));
        Assert.Equal(vocab.Describe(), TokenVocab.Parse(vocab.Describe()).Describe());
    }

    [Fact]
    public void A_token_outside_the_corpus_vocabulary_is_an_error_that_shows_the_token()
    {
        TokenVocab vocab = TokenVocab.Of(Verses[0].Ids);
        int[] prompt = Gpt2Tokenizer.Encode("In the beginning was the Word");

        var e = Assert.Throws<ArgumentException>(() => vocab.ToModel(prompt));

        Assert.Contains("' was'", e.Message);
        Assert.Contains("--vocab gpt2", e.Message);
    }

    [Fact]
    public void The_full_vocabulary_is_the_identity_over_50257_ids()
    {
        Assert.Equal(50257, TokenVocab.Gpt2.Size);
        Assert.Equal(Verses[2].Ids, TokenVocab.Gpt2.ToModel(Verses[2].Ids));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenVocab.Gpt2.ToGpt2([50257]));
        Assert.Throws<ArgumentException>(() => Gpt2Tokenizer.Decode([-1]));
    }

    private sealed record VerseFile(string Source, Verse[] Verses);

    private sealed record Verse(string Text, int[] Ids);
}
