using System;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace GptSample;

/// <summary>
/// The training text as the model's token ids (GPT-2 BPE, see <see cref="TokenVocab"/>), split into training (first
/// 90 %) and validation (last 10 %) parts.
/// </summary>
internal sealed class TokenCorpus
{
    private TokenCorpus(TokenVocab vocab, int[] train, int[] validation, int characters)
    {
        Vocab = vocab;
        Train = train;
        Validation = validation;
        Characters = characters;
    }

    /// <summary>The model's tokens and the GPT-2 tokens they stand for.</summary>
    public TokenVocab Vocab { get; }

    /// <summary>The first 90 % of the tokens.</summary>
    public int[] Train { get; }

    /// <summary>The last 10 % of the tokens, never trained on.</summary>
    public int[] Validation { get; }

    /// <summary>How many characters of text the tokens encode.</summary>
    public int Characters { get; }

    /// <summary>The King James Bible shipped with the TinyLm sample (gzip-compressed UTF-8), copied beside this program.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "Data", "kjv.txt.gz");

    /// <summary>Reads and tokenizes a .txt or .txt.gz file; <paramref name="maxChars"/> keeps only the beginning (for quick runs and tests).</summary>
    /// <param name="path">The text file.</param>
    /// <param name="maxChars">How many characters to keep.</param>
    /// <param name="minTokens">Each part must hold at least this many tokens (a training window plus its target).</param>
    /// <param name="fullVocab">Keep all of GPT-2's tokens instead of those in the text.</param>
    /// <exception cref="InvalidDataException">The text is too short for windows of <paramref name="minTokens"/> tokens, or is not UTF-8.</exception>
    public static TokenCorpus Load(string path, int maxChars, int minTokens, bool fullVocab = false)
    {
        string text = Read(path);
        if (text.Length > maxChars) text = text[..maxChars];
        int[] gpt2Ids = Gpt2Tokenizer.Encode(text);
        TokenVocab vocab = fullVocab ? TokenVocab.Gpt2 : TokenVocab.Of(gpt2Ids);
        int[] ids = vocab.ToModel(gpt2Ids);
        int split = ids.Length * 9 / 10;
        if (ids.Length - split < minTokens)
            throw new InvalidDataException(
                $"{path} gives {ids.Length} tokens ({text.Length} characters); its last tenth must hold a window of {minTokens} tokens. Use more text or a shorter context.");
        return new TokenCorpus(vocab, ids[..split], ids[split..], text.Length);
    }

    private static string Read(string path)
    {
        using Stream file = File.OpenRead(path);
        using Stream data = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(data, new UTF8Encoding(false, throwOnInvalidBytes: true));
        try
        {
            return reader.ReadToEnd();
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"{path} is not UTF-8 text: {e.Message}", e);
        }
    }
}
