using System.Diagnostics.CodeAnalysis;

namespace Nnx;

/// <summary>
/// A block of SIMD lanes that the random kernels are written over once (<see cref="Lanes256x2"/>, <see cref="Lanes512x2"/>).
/// Each block is two registers worked in lock step: every step of the Threefry rounds and of <c>erf_inv</c> is a chain of
/// dependent instructions, and the second register's step runs while the first one waits for its result (measured 1.5x
/// on Threefry alone, docs/benchmarks.md). Float operators and the <c>U</c>-suffixed integer methods act on the same bits.
/// </summary>
internal unsafe interface ILanes<TSelf> where TSelf : struct, ILanes<TSelf>
{
    /// <summary>Lanes per block.</summary>
    static abstract int Count { get; }

    static abstract TSelf Splat(float value);

    /// <summary>Every lane holds <paramref name="bits"/> (a uint, or the float with that bit pattern).</summary>
    static abstract TSelf SplatBits(uint bits);

    /// <summary>Lane i holds the uint i.</summary>
    static abstract TSelf Indices { get; }

    static abstract TSelf Load(uint* source);

    void Store(float* destination);

    void Store(uint* destination);

    /// <summary>Bit i is the sign bit of lane i (lane masks are all ones or all zeros).</summary>
    ulong ExtractMostSignificantBits();

    static abstract TSelf operator +(TSelf a, TSelf b);
    static abstract TSelf operator -(TSelf a, TSelf b);
    static abstract TSelf operator *(TSelf a, TSelf b);
    static abstract TSelf operator /(TSelf a, TSelf b);
    static abstract TSelf operator -(TSelf a);
    static abstract TSelf operator &(TSelf a, TSelf b);
    static abstract TSelf operator |(TSelf a, TSelf b);
    static abstract TSelf operator ^(TSelf a, TSelf b);

    /// <summary><c>a * b + c</c> rounded once.</summary>
    static abstract TSelf FusedMultiplyAdd(TSelf a, TSelf b, TSelf c);
    static abstract TSelf Sqrt(TSelf a);
    static abstract TSelf Abs(TSelf a);
    static abstract TSelf Max(TSelf a, TSelf b);
    static abstract TSelf Min(TSelf a, TSelf b);
    static abstract TSelf LessThan(TSelf a, TSelf b);
    static abstract TSelf Equals(TSelf a, TSelf b);

    /// <summary>Lanes of <paramref name="a"/> where <paramref name="mask"/> is set, of <paramref name="b"/> elsewhere.</summary>
    static abstract TSelf Select(TSelf mask, TSelf a, TSelf b);

    /// <summary>Whether every lane of a mask is set.</summary>
    static abstract bool All(TSelf mask);

    /// <summary>The lanes as int32, converted to float.</summary>
    static abstract TSelf ConvertInt32ToSingle(TSelf a);

    static abstract TSelf AddU(TSelf a, TSelf b);
    static abstract TSelf SubtractU(TSelf a, TSelf b);
    static abstract TSelf LessThanU(TSelf a, TSelf b);
    static abstract TSelf ShiftLeftU(TSelf a, [ConstantExpected] int count);
    static abstract TSelf ShiftRightLogicalU(TSelf a, [ConstantExpected] int count);
    static abstract TSelf RotateLeftU(TSelf a, [ConstantExpected] byte count);
}
