using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace EmbedForward;

/// <summary>
/// Reads token ids from the command line or from a file or standard input, and checks each one, so the program fails
/// before printing anything. The text is read in blocks and the ids are kept in fixed-size chunks: a file of any
/// length costs 8 bytes of memory per id and nothing else.
/// </summary>
internal static class IdReader
{
    /// <summary>Ids per chunk of the result: 512 KB each.</summary>
    public const int ChunkLength = 1 << 16;

    // The longest id text worth parsing: a 64-bit integer written as a float with an exponent fits well within it.
    private const int MaxTokenLength = 64;

    /// <summary>
    /// Every id of <paramref name="source"/>, each a whole number in <c>[0, vocab)</c>, in chunks of
    /// <see cref="ChunkLength"/> (the last one shorter).
    /// </summary>
    /// <exception cref="UsageException">A token is not a whole number, an id is out of range, or the file cannot be read.</exception>
    public static List<long[]> Read(IdSource source, long vocab) => source switch
    {
        IdSource.Inline inline => Parse(new StringReader(inline.Text), vocab, "--ids"),
        IdSource.FromFile { Path: "-" } => Parse(Console.In, vocab, "standard input"),
        IdSource.FromFile file => ReadFile(file.Path, vocab),
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };

    private static List<long[]> ReadFile(string path, long vocab)
    {
        try
        {
            using var reader = new StreamReader(path, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            return Parse(reader, vocab, $"--ids-file '{path}'");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            throw new UsageException($"cannot read --ids-file '{path}': {e.Message}");
        }
    }

    // Tokens are separated by commas and white space; one pair of brackets may enclose the whole list.
    private static List<long[]> Parse(TextReader text, long vocab, string origin)
    {
        var ids = new Chunks(vocab);
        var token = new char[MaxTokenLength];
        int tokenLength = 0;
        bool opened = false, closed = false, started = false;
        var buffer = new char[1 << 16];
        int read;
        while ((read = text.Read(buffer, 0, buffer.Length)) > 0)
        {
            foreach (char c in buffer.AsSpan(0, read))
            {
                if (c == ',' || char.IsWhiteSpace(c))
                {
                    ids.Add(token.AsSpan(0, tokenLength));
                    tokenLength = 0;
                    continue;
                }
                if (closed) throw new UsageException($"{origin}: '{c}' after the closing ']'; the list must end there");
                if (c == '[' && !started && !opened)
                {
                    opened = true;
                    continue;
                }
                if (c == ']' && opened)
                {
                    ids.Add(token.AsSpan(0, tokenLength));
                    tokenLength = 0;
                    closed = true;
                    continue;
                }
                started = true;
                if (tokenLength == MaxTokenLength)
                    throw new UsageException($"token id at position {ids.Count} must be a number, got '{EmbedOptions.Shown(new string(token) + "...")}'");
                token[tokenLength++] = c;
            }
        }
        ids.Add(token.AsSpan(0, tokenLength));
        if (opened && !closed) throw new UsageException($"{origin}: the list opens with '[' but has no closing ']'");
        return ids.Finish();
    }

    /// <summary>Checked ids in fixed-size chunks, so the list never copies itself as it grows.</summary>
    private sealed class Chunks(long vocab)
    {
        private readonly List<long[]> _full = [];
        private long[] _current = new long[ChunkLength];
        private int _used;

        public long Count => (long)_full.Count * ChunkLength + _used;

        public void Add(ReadOnlySpan<char> token)
        {
            if (token.IsEmpty) return;
            long position = Count;
            // Integers parse without allocating; floats such as 2.0 take the general path.
            if (!long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long id))
                id = EmbedOptions.WholeNumber($"token id at position {position}", new string(token));
            if (id < 0 || id >= vocab)
                throw new UsageException($"token id {id} at position {position} is out of range for a vocabulary of {vocab}: ids must be in [0, {vocab - 1}]");
            if (_used == ChunkLength)
            {
                _full.Add(_current);
                _current = new long[ChunkLength];
                _used = 0;
            }
            _current[_used++] = id;
        }

        public List<long[]> Finish()
        {
            if (_used > 0) _full.Add(_current[.._used]);
            return _full;
        }
    }
}
