using System;

namespace Nnx;

/// <summary>
/// A JAX <c>threefry2x32</c> key: the two <c>uint32</c> words that <c>jax.random.key_data</c> shows.
/// </summary>
/// <param name="K0">The first (high) word.</param>
/// <param name="K1">The second (low) word.</param>
public readonly record struct PrngKey(uint K0, uint K1)
{
    /// <summary>
    /// <c>jax.random.key(seed)</c>. With <paramref name="x64"/> false (JAX's default) the seed is wrapped to 32 bits,
    /// so the key is <c>(0, seed mod 2^32)</c>; with true it is <c>(seed &gt;&gt; 32, seed mod 2^32)</c> as under
    /// <c>jax_enable_x64</c>.
    /// </summary>
    public static PrngKey FromSeed(long seed, bool x64 = false) =>
        x64 ? new PrngKey((uint)((ulong)seed >> 32), unchecked((uint)seed)) : new PrngKey(0, unchecked((uint)seed));

    /// <summary><c>jax.random.fold_in(key, data)</c>: <c>threefry2x32(key, (0, data))</c>.</summary>
    public PrngKey FoldIn(uint data)
    {
        var (y0, y1) = Threefry.Hash(K0, K1, 0, data);
        return new PrngKey(y0, y1);
    }

    /// <summary><c>jax.random.split(key, num)</c> in <see cref="JaxRandom.DefaultLayout"/>.</summary>
    public PrngKey[] Split(int num = 2) => Split(num, JaxRandom.DefaultLayout);

    /// <summary>
    /// <c>jax.random.split(key, num)</c>. Partitionable (JAX &gt;= 0.5): key <c>i</c> is <c>FoldIn(i)</c>. Legacy: keys are
    /// consecutive word pairs of <c>threefry_2x32(key, iota(2 num))</c> (docs/jax-random.md#keys).
    /// </summary>
    public PrngKey[] Split(int num, BitsLayout layout)
    {
        if (num < 0) throw new ArgumentOutOfRangeException(nameof(num), num, "split needs a non-negative number of keys.");
        var keys = new PrngKey[num];
        if (layout == BitsLayout.Partitionable)
        {
            for (int i = 0; i < num; i++) keys[i] = FoldIn((uint)i);
            return keys;
        }
        var words = new BitStream(this, layout, 2L * num);
        for (int i = 0; i < num; i++) keys[i] = new PrngKey(words.At(2L * i), words.At(2L * i + 1));
        return keys;
    }

    /// <summary>The key data as JAX prints it: <c>[k0 k1]</c>.</summary>
    public override string ToString() => $"[{K0} {K1}]";
}
