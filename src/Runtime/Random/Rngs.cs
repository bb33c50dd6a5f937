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
/// <remarks>
/// Thread-safe: concurrent calls each get a distinct count. The set of streams is fixed at construction; their counts
/// can be read with <see cref="GetCounts"/> and restored with <see cref="SetCount"/> to resume from a checkpoint.
/// </remarks>
public sealed class Rngs
{
    /// <summary>The stream that every unknown name falls back to.</summary>
    public const string DefaultStream = "default";

    // Insertion-ordered, as NNX's attribute dict: Fork() and StreamNames keep the construction order.
    private readonly List<KeyValuePair<string, RngStream>> _order = [];
    private readonly Dictionary<string, RngStream> _streams = new(StringComparer.Ordinal);

    /// <summary><c>nnx.Rngs(seed)</c>: one <c>default</c> stream keyed by <c>jax.random.key(seed)</c>.</summary>
    public Rngs(long seed) : this(PrngKey.FromSeed(seed)) { }

    /// <summary><c>nnx.Rngs(key)</c>: one <c>default</c> stream with the given key.</summary>
    public Rngs(PrngKey key) => AddStream(DefaultStream, new RngStream(key));

    /// <summary>
    /// <c>nnx.Rngs(default, params=1, dropout=2)</c>: a <c>default</c> stream plus named streams with seeds of their own.
    /// </summary>
    public Rngs(long seed, params (string Name, long Seed)[] streams) : this(seed)
    {
        ArgumentNullException.ThrowIfNull(streams);
        foreach (var (name, streamSeed) in streams) AddStream(name, new RngStream(PrngKey.FromSeed(streamSeed)));
    }

    /// <summary><c>nnx.Rngs(defaultKey, params=key1, ...)</c>: a <c>default</c> stream plus named streams given by key.</summary>
    public Rngs(PrngKey key, params (string Name, PrngKey Key)[] streams) : this(key)
    {
        ArgumentNullException.ThrowIfNull(streams);
        foreach (var (name, streamKey) in streams) AddStream(name, new RngStream(streamKey));
    }

    /// <summary>Named streams only; with no <c>default</c>, asking for an unknown stream is an error.</summary>
    public Rngs(IEnumerable<KeyValuePair<string, PrngKey>> streams)
    {
        ArgumentNullException.ThrowIfNull(streams);
        foreach (var (name, key) in streams) AddStream(name, new RngStream(key));
        if (_order.Count == 0) throw new ArgumentException("Rngs needs at least one stream; pass e.g. (\"params\", key) or a seed.", nameof(streams));
    }

    /// <summary>Streams as they are (key and count, shared, not copied), e.g. those of a forked <see cref="Rngs"/>.</summary>
    private Rngs(IEnumerable<KeyValuePair<string, RngStream>> streams)
    {
        foreach (var (name, stream) in streams) AddStream(name, stream);
    }

    /// <summary>
    /// Rngs for rebuilding a module whose every variable is overwritten next (<c>Merge</c>, <c>Clone</c>): modules built
    /// from it allocate their variables and draw their keys as usual, but skip computing initial values.
    /// </summary>
    internal static Rngs ForRebuilding() => new(0) { SkipsInitialValues = true };

    /// <summary>Whether modules built from this object leave their variables uninitialised (see <see cref="ForRebuilding"/>).</summary>
    internal bool SkipsInitialValues { get; private init; }

    /// <summary>The names of the streams this object holds (not those that fall back to <c>default</c>), in construction order.</summary>
    public IReadOnlyList<string> StreamNames => _order.Select(s => s.Key).ToArray();

    /// <summary>The next key of the <c>params</c> stream (<c>rngs.params()</c>).</summary>
    public PrngKey Params() => Next("params");

    /// <summary>The next key of the <c>dropout</c> stream (<c>rngs.dropout()</c>).</summary>
    public PrngKey Dropout() => Next("dropout");

    /// <summary>The next key of the named stream, or of <c>default</c> when there is no such stream.</summary>
    public PrngKey this[string stream] => Next(stream);

    /// <summary>The next key of the named stream, or of <c>default</c> when there is no such stream.</summary>
    public PrngKey Next(string stream) => Stream(stream).Next();

    /// <summary>
    /// The stream that <paramref name="stream"/> names: its own, or <c>default</c> when there is no such stream
    /// (<c>rngs[name]</c>).
    /// </summary>
    /// <exception cref="KeyNotFoundException">There is neither such a stream nor a <c>default</c>; the message lists those present.</exception>
    public RngStream Stream(string stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (_streams.TryGetValue(stream, out RngStream? s)) return s;
        if (_streams.TryGetValue(DefaultStream, out s)) return s;
        throw new KeyNotFoundException(
            $"No RNG stream named '{stream}' and no '{DefaultStream}' stream to fall back to. " +
            $"Streams present: {string.Join(", ", _order.Select(k => $"'{k.Key}'"))}. Add a '{stream}' stream or a seed for '{DefaultStream}'.");
    }

    /// <summary>How many keys the stream (or the <c>default</c> it falls back to) has handed out.</summary>
    public uint Count(string stream) => Stream(stream).Count;

    /// <summary>The count of every stream this object holds, by name: what a checkpoint saves next to the seeds.</summary>
    public IReadOnlyDictionary<string, uint> GetCounts() => _order.ToDictionary(s => s.Key, s => s.Value.Count, StringComparer.Ordinal);

    /// <summary>Restores the count of a stream this object holds (from <see cref="GetCounts"/>), so its keys resume there.</summary>
    /// <exception cref="KeyNotFoundException">This object holds no stream of that name (fallbacks are not set through another name).</exception>
    public void SetCount(string stream, uint count)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!_streams.TryGetValue(stream, out RngStream? s))
            throw new KeyNotFoundException(
                $"Cannot set the count of RNG stream '{stream}': this Rngs holds {string.Join(", ", _order.Select(k => $"'{k.Key}'"))}. Use one of those names.");
        s.Count = count;
    }

    /// <summary>
    /// <c>rngs.fork()</c>: a new <see cref="Rngs"/> with the same stream names, each keyed by one draw of this object's
    /// stream (so each stream here advances by one) and starting at count 0.
    /// </summary>
    public Rngs Fork() => new(_order.Select(s => KeyValuePair.Create(s.Key, s.Value.Fork())).ToArray());

    /// <summary><c>rngs[stream].fork()</c>: a new stream keyed by the next key of <paramref name="stream"/> (or <c>default</c>).</summary>
    public RngStream Fork(string stream) => Stream(stream).Fork();

    private void AddStream(string name, RngStream stream)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("A stream needs a non-empty name.", nameof(name));
        if (!_streams.TryAdd(name, stream))
            throw new ArgumentException($"Stream '{name}' is given twice; each stream name may appear once.", nameof(name));
        _order.Add(KeyValuePair.Create(name, stream));
    }
}
