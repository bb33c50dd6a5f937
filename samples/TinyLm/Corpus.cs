using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;

namespace TinyLmSample;

/// <summary>The training text as character ids, split into training and validation parts.</summary>
internal sealed class Corpus
{
    private Corpus(CharVocab vocab, int[] train, int[] validation)
    {
        Vocab = vocab;
        Train = train;
        Validation = validation;
    }

    public CharVocab Vocab { get; }

    /// <summary>The first 90% of the text.</summary>
    public int[] Train { get; }

    /// <summary>The last 10% of the text, never trained on.</summary>
    public int[] Validation { get; }

    /// <summary>The corpus shipped with the sample (gzip-compressed UTF-8 text).</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "Data", "kjv.txt.gz");

    /// <summary>Reads a .txt or .txt.gz file; <paramref name="maxChars"/> keeps only the beginning (for quick runs and tests).</summary>
    public static Corpus Load(string path, int maxChars = int.MaxValue)
    {
        string text = Read(path);
        if (text.Length > maxChars) text = text[..maxChars];
        if (text.Length < 1000)
            throw new InvalidDataException($"{path} holds {text.Length} characters; a language model needs at least 1000.");
        var vocab = CharVocab.FromText(text);
        int[] ids = vocab.Encode(text);
        int split = ids.Length * 9 / 10;
        return new Corpus(vocab, ids[..split], ids[split..]);
    }

    private static string Read(string path)
    {
        using Stream file = File.OpenRead(path);
        using Stream data = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(data, new UTF8Encoding(false, throwOnInvalidBytes: true));
        return reader.ReadToEnd();
    }
}

/// <summary>Characters to ids and back. Id 0 is padding, used before the first character of the text.</summary>
internal sealed class CharVocab
{
    public const int PaddingId = 0;

    private readonly char[] _chars;
    private readonly Dictionary<char, int> _ids;

    private CharVocab(char[] chars)
    {
        _chars = chars;
        _ids = chars.Select((c, i) => (c, i)).Skip(1).ToDictionary(p => p.c, p => p.i);
    }

    /// <summary>Padding plus every distinct character of the text, in ordinal order (so the same text gives the same ids).</summary>
    public static CharVocab FromText(string text) => new(new[] { '\0' }.Concat(text.Distinct().Order()).ToArray());

    public int Size => _chars.Length;

    public int[] Encode(string text)
    {
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
            ids[i] = _ids.TryGetValue(text[i], out int id) ? id : throw new ArgumentException($"Character '{text[i]}' (U+{(int)text[i]:X4}) at {i} is not in the vocabulary.", nameof(text));
        return ids;
    }

    public string Decode(IEnumerable<int> ids) => new(ids.Where(id => id != PaddingId).Select(id => _chars[id]).ToArray());
}
