using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// One named stream of an <see cref="Rngs"/>, as Flax NNX's <c>RngStream</c>: a key and a <c>uint32</c> count; each
/// <see cref="Next"/> returns <c>fold_in(key, count)</c> and increments the count (wrapping at 2^32 as JAX's uint32 does).
/// </summary>
/// <remarks>
/// <para>A stream is module state, as in NNX: its key and count are the variables <c>key</c>
/// (<see cref="VariableKind.RngKey"/>, int64 <c>[2]</c> holding the two uint32 words) and <c>count</c>
/// (<see cref="VariableKind.RngCount"/>, int64 scalar). A module that forks a stream (<c>[Fork("dropout")]</c>,
/// <c>Nnx.Dropout</c>) keeps it as a submodule, so <c>GetState</c>, <c>Clone</c>, <c>Merge</c>, <c>Update</c> and
/// checkpoints carry where it stands. The tensors stay on the CPU whatever <c>to(device)</c> asks.</para>
/// <para>Thread-safe: concurrent calls each get a distinct count.</para>
/// </remarks>
public sealed class RngStream : Module
{
    private readonly object _gate = new();
    private readonly Tensor _key;
    private readonly Tensor _count;

    /// <summary>A stream with <paramref name="key"/>, starting at <paramref name="count"/> (0 for a new stream).</summary>
    public RngStream(PrngKey key, uint count = 0) : base(nameof(RngStream))
    {
        _key = torch.tensor(new long[] { key.K0, key.K1 }, ScalarType.Int64).DetachFromDisposeScope();
        _count = torch.tensor((long)count, ScalarType.Int64).DetachFromDisposeScope();
        register_buffer("key", _key, persistent: true);
        register_buffer("count", _count, persistent: true);
    }

    /// <summary>The stream's key (<c>stream.key</c>); only a state update changes it.</summary>
    public PrngKey Key
    {
        get
        {
            lock (_gate) return ReadKey();
        }
    }

    /// <summary>How many keys the stream has handed out (<c>stream.count</c>). Setting it resumes a saved stream.</summary>
    public uint Count
    {
        get
        {
            lock (_gate) return ReadCount();
        }
        set
        {
            lock (_gate) WriteCount(value);
        }
    }

    /// <summary>The next key: <c>fold_in(Key, Count)</c>, then <c>Count + 1</c> (<c>stream()</c>).</summary>
    public PrngKey Next()
    {
        PrngKey key;
        uint count;
        lock (_gate)
        {
            key = ReadKey();
            count = ReadCount();
            WriteCount(unchecked(count + 1));
        }
        return key.FoldIn(count);
    }

    /// <summary>
    /// <c>stream.fork()</c>: a new stream whose key is this stream's next key, with count 0. Flax <c>Dropout</c> forks
    /// the <c>dropout</c> stream once at construction.
    /// </summary>
    public RngStream Fork() => new(Next());

    /// <inheritdoc/>
    public override void VisitState(IStateVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        visitor.Variable("key", VariableKind.RngKey, _key);
        visitor.Variable("count", VariableKind.RngCount, _count);
    }

    /// <summary>A stream's definition has no arguments: its key and count are state, copied by <c>Merge</c>.</summary>
    public override ModuleDefinition Definition =>
        new(typeof(RngStream), [], static (_, rngs) => new RngStream(default));

    /// <summary>The buffers are registered by the constructor; TorchSharp's reflection walk has nothing to add.</summary>
    protected override void RegisterComponents()
    {
    }

    /// <summary>RNG state is bookkeeping read on the CPU for every draw: it stays there and keeps its int64 dtype.</summary>
    protected override void _toEpilog(ScalarType? dtype, Device? device, bool non_blocking)
    {
    }

    // A state update may have written anything into the tensors: words outside uint32 are an error, not a wrap.
    private unsafe PrngKey ReadKey()
    {
        long* words = (long*)TensorMemory.Pointer(_key);
        return new PrngKey(Word(words[0], "key[0]"), Word(words[1], "key[1]"));
    }

    private unsafe uint ReadCount() => Word(*(long*)TensorMemory.Pointer(_count), "count");

    private unsafe void WriteCount(uint count) => *(long*)TensorMemory.Pointer(_count) = count;

    private static uint Word(long value, string name) =>
        value is >= 0 and <= uint.MaxValue
            ? (uint)value
            : throw new InvalidOperationException($"RngStream {name} holds {value}, which is not a uint32; the stream's state was overwritten with a value outside [0, 2^32).");
}
