using System.Runtime.CompilerServices;

namespace Nnx;

/// <summary>
/// <c>random_bits(key, width, shape)</c> for 8- or 16-bit widths (docs/jax-random.md#random-bits). Partitionable: element n
/// is the low bits of 32-bit word n. Legacy: <c>ceil(width N / 32)</c> words are drawn and read as little-endian
/// <c>width</c>-bit pieces, so element n is piece <c>n % (32 / width)</c> of word <c>n / (32 / width)</c>.
/// </summary>
internal readonly struct NarrowBitStream
{
    private readonly int _width;
    private readonly uint _mask;

    public NarrowBitStream(PrngKey key, BitsLayout layout, long count, int width)
    {
        _width = width;
        _mask = (1u << width) - 1;
        Legacy = layout == BitsLayout.Legacy;
        Count = count;
        long words = Legacy ? (width * count + 31) / 32 : count;
        Words = new BitStream(key, layout, words);
    }

    public long Count { get; }

    public bool Legacy { get; }

    /// <summary>Elements per 32-bit word in the legacy layout.</summary>
    public int PerWord => 32 / _width;

    /// <summary>The 32-bit words behind the elements.</summary>
    public BitStream Words { get; }

    public uint Mask => _mask;

    /// <summary>Element <paramref name="n"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint At(long n) => Legacy
        ? Piece(Words.At(n / PerWord), (int)(n % PerWord))
        : Words.At(n) & _mask;

    /// <summary>Piece <paramref name="index"/> (from the low end) of a legacy word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Piece(uint word, int index) => (word >> (_width * index)) & _mask;
}
