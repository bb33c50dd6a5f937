namespace Nnx;

/// <summary>What <see cref="Lookup"/> does with a token id outside <c>[0, vocab)</c>.</summary>
public enum OutOfRange
{
    /// <summary>
    /// Throw an <see cref="System.ArgumentException"/> naming the first bad id, its position and the vocabulary size.
    /// The default: a bad id is almost always a tokenizer/vocabulary mismatch, and silently reading some other row
    /// hides it.
    /// </summary>
    Throw,

    /// <summary>
    /// JAX's <c>table[ids]</c> (what Flax NNX's <c>self.embedding[ids]</c> does): a negative id is wrapped once
    /// (<c>id + vocab</c>), then the row index is clamped into <c>[0, vocab - 1]</c>.
    /// </summary>
    JaxClamp,

    /// <summary>
    /// What Flax's <c>nnx.Embed</c> does: <c>jnp.take(table, ids, axis=0)</c> in its default <c>fill</c> mode, where ids
    /// in <c>[-vocab, 0)</c> wrap once and every other out-of-range id gives a row of NaN (for integer tables the dtype's
    /// minimum, for unsigned ones its maximum, for bool <c>true</c>, as jnp.take does); except that a one-row table gives
    /// its row for every id, as <c>nnx.Embed</c> broadcasts it. An empty table cannot be read.
    /// </summary>
    Fill,
}
