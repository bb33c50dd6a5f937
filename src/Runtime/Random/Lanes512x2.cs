using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nnx;

/// <summary>Two AVX-512 registers, 32 lanes.</summary>
internal readonly unsafe struct Lanes512x2 : ILanes<Lanes512x2>
{
    private readonly Vector512<float> _a, _b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Lanes512x2(Vector512<float> a, Vector512<float> b) => (_a, _b) = (a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Lanes512x2(Vector512<uint> a, Vector512<uint> b) => (_a, _b) = (a.AsSingle(), b.AsSingle());

    public static int Count => 32;

    public static Lanes512x2 Indices
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Vector512<uint>.Indices, Vector512<uint>.Indices + Vector512.Create(16u));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 Splat(float value) => new(Vector512.Create(value), Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 SplatBits(uint bits) => new(Vector512.Create(bits), Vector512.Create(bits));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 Load(uint* source) => new(Vector512.Load(source), Vector512.Load(source + 16));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(float* destination)
    {
        _a.Store(destination);
        _b.Store(destination + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(uint* destination)
    {
        _a.AsUInt32().Store(destination);
        _b.AsUInt32().Store(destination + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ExtractMostSignificantBits() => _a.ExtractMostSignificantBits() | ((ulong)_b.ExtractMostSignificantBits() << 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 operator +(Lanes512x2 a, Lanes512x2 b) => new(a._a + b._a, a._b + b._b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 operator -(Lanes512x2 a, Lanes512x2 b) => new(a._a - b._a, a._b - b._b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 operator *(Lanes512x2 a, Lanes512x2 b) => new(a._a * b._a, a._b * b._b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 operator /(Lanes512x2 a, Lanes512x2 b) => new(a._a / b._a, a._b / b._b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 operator -(Lanes512x2 a) => new(-a._a, -a._b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 operator &(Lanes512x2 a, Lanes512x2 b) => new(a._a & b._a, a._b & b._b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 operator |(Lanes512x2 a, Lanes512x2 b) => new(a._a | b._a, a._b | b._b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 operator ^(Lanes512x2 a, Lanes512x2 b) => new(a._a ^ b._a, a._b ^ b._b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 FusedMultiplyAdd(Lanes512x2 a, Lanes512x2 b, Lanes512x2 c) =>
        new(Vector512.FusedMultiplyAdd(a._a, b._a, c._a), Vector512.FusedMultiplyAdd(a._b, b._b, c._b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 Sqrt(Lanes512x2 a) => new(Vector512.Sqrt(a._a), Vector512.Sqrt(a._b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 Abs(Lanes512x2 a) => new(Vector512.Abs(a._a), Vector512.Abs(a._b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 Max(Lanes512x2 a, Lanes512x2 b) => new(Vector512.Max(a._a, b._a), Vector512.Max(a._b, b._b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 Min(Lanes512x2 a, Lanes512x2 b) => new(Vector512.Min(a._a, b._a), Vector512.Min(a._b, b._b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 LessThan(Lanes512x2 a, Lanes512x2 b) => new(Vector512.LessThan(a._a, b._a), Vector512.LessThan(a._b, b._b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 Equals(Lanes512x2 a, Lanes512x2 b) => new(Vector512.Equals(a._a, b._a), Vector512.Equals(a._b, b._b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 Select(Lanes512x2 mask, Lanes512x2 a, Lanes512x2 b) =>
        new(Vector512.ConditionalSelect(mask._a, a._a, b._a), Vector512.ConditionalSelect(mask._b, a._b, b._b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool All(Lanes512x2 mask) => Vector512.EqualsAll((mask._a & mask._b).AsUInt32(), Vector512<uint>.AllBitsSet);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 ConvertInt32ToSingle(Lanes512x2 a) =>
        new(Vector512.ConvertToSingle(a._a.AsInt32()), Vector512.ConvertToSingle(a._b.AsInt32()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 AddU(Lanes512x2 a, Lanes512x2 b) => new(a._a.AsUInt32() + b._a.AsUInt32(), a._b.AsUInt32() + b._b.AsUInt32());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 SubtractU(Lanes512x2 a, Lanes512x2 b) => new(a._a.AsUInt32() - b._a.AsUInt32(), a._b.AsUInt32() - b._b.AsUInt32());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 LessThanU(Lanes512x2 a, Lanes512x2 b) =>
        new(Vector512.LessThan(a._a.AsUInt32(), b._a.AsUInt32()), Vector512.LessThan(a._b.AsUInt32(), b._b.AsUInt32()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 ShiftLeftU(Lanes512x2 a, [ConstantExpected] int count) =>
        new(Vector512.ShiftLeft(a._a.AsUInt32(), count), Vector512.ShiftLeft(a._b.AsUInt32(), count));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 ShiftRightLogicalU(Lanes512x2 a, [ConstantExpected] int count) =>
        new(Vector512.ShiftRightLogical(a._a.AsUInt32(), count), Vector512.ShiftRightLogical(a._b.AsUInt32(), count));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512x2 RotateLeftU(Lanes512x2 a, [ConstantExpected] byte count) =>
        // AVX-512's vprold rotates in one instruction where AVX2 needs two shifts and an or.
        Avx512F.IsSupported
            ? new(Avx512F.RotateLeft(a._a.AsUInt32(), count), Avx512F.RotateLeft(a._b.AsUInt32(), count))
            : new(Vector512.ShiftLeft(a._a.AsUInt32(), count) | Vector512.ShiftRightLogical(a._a.AsUInt32(), 32 - count),
                Vector512.ShiftLeft(a._b.AsUInt32(), count) | Vector512.ShiftRightLogical(a._b.AsUInt32(), 32 - count));
}
