using System;
using System.Collections.Generic;
using System.Linq;

namespace Nnx;

/// <summary>
/// Named random-key streams, as Flax NNX's <c>nnx.Rngs</c>: each call on a stream returns
/// <c>fold_in(streamKey, count)</c> and then increments that stream's count. A stream that was not given falls back
/// to <c>default</c>, sharing its count, exactly as NNX does (so <c>Params()</c> then <c>Dropout()</c> on
/// <c>new Rngs(0)</c> use counts 0 and 1 of the default stream).
/// </summary>
/// <remarks>Thread-safe: concurrent calls each get a distinct count.</remarks>
public sealed class Rngs
{
    /// <summary>The stream that every unknown name falls back to.</summary>
    public const string DefaultStream = "default";

    private readonly Dictionary<string, Stream> _streams = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <summary><c>nnx.Rngs(seed)</c>: one <c>default</c> stream keyed by <c>jax.random.key(seed)</c>.</summary>
    public Rngs(long seed) : this(PrngKey.FromSeed(seed)) { }

    /// <summary><c>nnx.Rngs(key)</c>: one <c>default</c> stream with the given key.</summary>
    public Rngs(PrngKey key) => _streams.Add(DefaultStream, new Stream(key));

    /// <summary>
    /// <c>nnx.Rngs(default, params=1, dropout=2)</c>: a <c>default</c> stream plus named streams with seeds of their own.
    /// </summary>
    public Rngs(long seed, params (string Name, long Seed)[] streams) : this(seed)
    {
        ArgumentNullException.ThrowIfNull(streams);
        foreach (var (name, streamSeed) in streams) AddStream(name, PrngKey.FromSeed(streamSeed));
    }

    /// <summary>Named streams only; with no <c>default</c>, asking for an unknown stream is an error.</summary>
    public Rngs(IEnumerable<KeyValuePair<string, PrngKey>> streams)
    {
        ArgumentNullException.ThrowIfNull(streams);
        foreach (var (name, key) in streams) AddStream(name, key);
    }

    /// <summary>The names of the streams this object holds (not those that fall back to <c>default</c>).</summary>
    public IReadOnlyList<string> StreamNames
    {
        get { lock (_gate) return _streams.Keys.ToArray(); }
    }

    /// <summary>The next key of the <c>params</c> stream (<c>rngs.params()</c>).</summary>
    public PrngKey Params() => Next("params");

    /// <summary>The next key of the <c>dropout</c> stream (<c>rngs.dropout()</c>).</summary>
    public PrngKey Dropout() => Next("dropout");

    /// <summary>The next key of the named stream, or of <c>default</c> when there is no such stream.</summary>
    public PrngKey this[string stream] => Next(stream);

    /// <summary>The next key of the named stream, or of <c>default</c> when there is no such stream.</summary>
    public PrngKey Next(string stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        lock (_gate)
        {
            Stream s = Resolve(stream);
            PrngKey key = s.Key.FoldIn(s.Count);
            s.Count++;
            return key;
        }
    }

    /// <summary>How many keys the stream (or the <c>default</c> it falls back to) has handed out.</summary>
    public uint Count(string stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        lock (_gate) return Resolve(stream).Count;
    }

    private void AddStream(string name, PrngKey key)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("A stream needs a non-empty name.", nameof(name));
        if (!_streams.TryAdd(name, new Stream(key)))
            throw new ArgumentException($"Stream '{name}' is given twice; each stream name may appear once.", nameof(name));
    }

    private Stream Resolve(string stream)
    {
        if (_streams.TryGetValue(stream, out Stream? s)) return s;
        if (_streams.TryGetValue(DefaultStream, out s)) return s;
        throw new KeyNotFoundException(
            $"No RNG stream named '{stream}' and no '{DefaultStream}' stream to fall back to. " +
            $"Streams present: {string.Join(", ", _streams.Keys.Select(k => $"'{k}'"))}. Add a '{stream}' stream or a seed for '{DefaultStream}'.");
    }

    private sealed class Stream(PrngKey key)
    {
        public PrngKey Key { get; } = key;
        public uint Count { get; set; }
    }
}
