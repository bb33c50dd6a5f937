namespace Nnx;

/// <summary>
/// One named stream of an <see cref="Rngs"/>, as Flax NNX's <c>RngStream</c>: a key and a <c>uint32</c> count; each
/// <see cref="Next"/> returns <c>fold_in(key, count)</c> and increments the count (wrapping at 2^32 as JAX's uint32 does).
/// </summary>
/// <remarks>Thread-safe: concurrent calls each get a distinct count.</remarks>
public sealed class RngStream
{
    private readonly object _gate = new();
    private uint _count;

    /// <summary>A stream with <paramref name="key"/>, starting at <paramref name="count"/> (0 for a new stream).</summary>
    public RngStream(PrngKey key, uint count = 0)
    {
        Key = key;
        _count = count;
    }

    /// <summary>The stream's key (<c>stream.key</c>); it never changes.</summary>
    public PrngKey Key { get; }

    /// <summary>
    /// How many keys the stream has handed out (<c>stream.count</c>). Setting it resumes a stream saved in a checkpoint.
    /// </summary>
    public uint Count
    {
        get { lock (_gate) return _count; }
        set { lock (_gate) _count = value; }
    }

    /// <summary>The next key: <c>fold_in(Key, Count)</c>, then <c>Count + 1</c> (<c>stream()</c>).</summary>
    public PrngKey Next()
    {
        uint count;
        lock (_gate) count = _count++;
        return Key.FoldIn(count);
    }

    /// <summary>
    /// <c>stream.fork()</c>: a new stream whose key is this stream's next key, with count 0. Flax <c>Dropout</c> forks
    /// the <c>dropout</c> stream once at construction.
    /// </summary>
    public RngStream Fork() => new(Next());
}
