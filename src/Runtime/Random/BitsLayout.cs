namespace Nnx;

/// <summary>
/// How <c>jax.random</c> turns a key into a stream of 32-bit words (<c>jax_threefry_partitionable</c>, docs/jax-random.md#random-bits).
/// </summary>
public enum BitsLayout
{
    /// <summary>
    /// JAX &gt;= 0.5 default: element <c>n</c> is <c>y0 ^ y1</c> of <c>threefry2x32(key, (hi32(n), lo32(n)))</c>, so it
    /// depends on the flat index only; <c>split(key)[i] == fold_in(key, i)</c>.
    /// </summary>
    Partitionable,

    /// <summary>
    /// JAX &lt;= 0.4.38 default (<c>jax_threefry_partitionable=False</c>): the counters <c>0 .. N-1</c> are paired as
    /// <c>(w, w + ceil(N/2))</c>, so values depend on the total element count N. For checkpoints made before JAX 0.5.
    /// </summary>
    Legacy,
}
