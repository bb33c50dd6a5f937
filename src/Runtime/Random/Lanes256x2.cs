using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nnx;

/// <summary>Two AVX2 registers, 16 lanes (with FMA3).</summary>
internal readonly unsafe struct Lanes256x2 : ILanes<Lanes256x2>
{
    private readonly Vector256<float> _a, _b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Lanes256x2(Vector256<float> a, Vector256<float> b) => (_a, _b) = (a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Lanes256x2(Vector256<uint> a, Vector256<uint> b) => (_a, _b) = (a.AsSingle(), b.AsSingle());

    public static int Count => 16;

    public static Lanes256x2 Indices
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Vector256<uint>.Indices, Vector256<uint>.Indices + Vector256.Create(8u));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 Splat(float value) => new(Vector256.Create(value), Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 SplatBits(uint bits) => new(Vector256.Create(bits), Vector256.Create(bits));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 Load(uint* source) => new(Vector256.Load(source), Vector256.Load(source + 8));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(float* destination)
    {
        _a.Store(destination);
        _b.Store(destination + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(uint* destination)
    {
        _a.AsUInt32().Store(destination);
        _b.AsUInt32().Store(destination + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ExtractMostSignificantBits() => _a.ExtractMostSignificantBits() | ((ulong)_b.ExtractMostSignificantBits() << 8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 operator +(Lanes256x2 a, Lanes256x2 b) => new(a._a + b._a, a._b + b._b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 operator -(Lanes256x2 a, Lanes256x2 b) => new(a._a - b._a, a._b - b._b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 operator *(Lanes256x2 a, Lanes256x2 b) => new(a._a * b._a, a._b * b._b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 operator /(Lanes256x2 a, Lanes256x2 b) => new(a._a / b._a, a._b / b._b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 operator -(Lanes256x2 a) => new(-a._a, -a._b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 operator &(Lanes256x2 a, Lanes256x2 b) => new(a._a & b._a, a._b & b._b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 operator |(Lanes256x2 a, Lanes256x2 b) => new(a._a | b._a, a._b | b._b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 operator ^(Lanes256x2 a, Lanes256x2 b) => new(a._a ^ b._a, a._b ^ b._b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 FusedMultiplyAdd(Lanes256x2 a, Lanes256x2 b, Lanes256x2 c) =>
        new(Vector256.FusedMultiplyAdd(a._a, b._a, c._a), Vector256.FusedMultiplyAdd(a._b, b._b, c._b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 Sqrt(Lanes256x2 a) => new(Vector256.Sqrt(a._a), Vector256.Sqrt(a._b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 Abs(Lanes256x2 a) => new(Vector256.Abs(a._a), Vector256.Abs(a._b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 Max(Lanes256x2 a, Lanes256x2 b) => new(Vector256.Max(a._a, b._a), Vector256.Max(a._b, b._b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 Min(Lanes256x2 a, Lanes256x2 b) => new(Vector256.Min(a._a, b._a), Vector256.Min(a._b, b._b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 LessThan(Lanes256x2 a, Lanes256x2 b) => new(Vector256.LessThan(a._a, b._a), Vector256.LessThan(a._b, b._b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 Equals(Lanes256x2 a, Lanes256x2 b) => new(Vector256.Equals(a._a, b._a), Vector256.Equals(a._b, b._b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 Select(Lanes256x2 mask, Lanes256x2 a, Lanes256x2 b) =>
        new(Vector256.ConditionalSelect(mask._a, a._a, b._a), Vector256.ConditionalSelect(mask._b, a._b, b._b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool All(Lanes256x2 mask) => Vector256.EqualsAll((mask._a & mask._b).AsUInt32(), Vector256<uint>.AllBitsSet);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 ConvertInt32ToSingle(Lanes256x2 a) =>
        new(Vector256.ConvertToSingle(a._a.AsInt32()), Vector256.ConvertToSingle(a._b.AsInt32()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 AddU(Lanes256x2 a, Lanes256x2 b) => new(a._a.AsUInt32() + b._a.AsUInt32(), a._b.AsUInt32() + b._b.AsUInt32());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 SubtractU(Lanes256x2 a, Lanes256x2 b) => new(a._a.AsUInt32() - b._a.AsUInt32(), a._b.AsUInt32() - b._b.AsUInt32());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 LessThanU(Lanes256x2 a, Lanes256x2 b) =>
        new(Vector256.LessThan(a._a.AsUInt32(), b._a.AsUInt32()), Vector256.LessThan(a._b.AsUInt32(), b._b.AsUInt32()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 ShiftLeftU(Lanes256x2 a, [ConstantExpected] int count) =>
        new(Vector256.ShiftLeft(a._a.AsUInt32(), count), Vector256.ShiftLeft(a._b.AsUInt32(), count));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 ShiftRightLogicalU(Lanes256x2 a, [ConstantExpected] int count) =>
        new(Vector256.ShiftRightLogical(a._a.AsUInt32(), count), Vector256.ShiftRightLogical(a._b.AsUInt32(), count));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256x2 RotateLeftU(Lanes256x2 a, [ConstantExpected] byte count) =>
        new(Vector256.ShiftLeft(a._a.AsUInt32(), count) | Vector256.ShiftRightLogical(a._a.AsUInt32(), 32 - count),
          Vector256.ShiftLeft(a._b.AsUInt32(), count) | Vector256.ShiftRightLogical(a._b.AsUInt32(), 32 - count));
}
