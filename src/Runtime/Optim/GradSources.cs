using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nnx;

/// <summary>
/// Where an update kernel reads gradient element i from. Kernels are generic over the source, so the JIT compiles one
/// loop per source with the load inlined: a dense gradient, no gradient (a row no lookup touched), or either scaled
/// by global-norm clipping.
/// </summary>
internal interface IGradSource<T, TSelf>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TSelf : struct, IGradSource<T, TSelf>
{
    Vector256<T> Load(long i);

    T At(long i);

    /// <summary>The same source, starting at element <paramref name="start"/>.</summary>
    TSelf From(long start);
}

/// <summary>A gradient in memory, element i at <c>g[i]</c>.</summary>
internal readonly unsafe struct DenseGrad<T>(T* g) : IGradSource<T, DenseGrad<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Load(long i) => Vector256.Load(g + i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T At(long i) => g[i];

    public DenseGrad<T> From(long start) => new(g + start);
}

/// <summary>
/// A gradient row summed from zero, as autograd's dense gradient of a lookup is (<c>zeros.index_add_</c>): adding
/// +0 turns a -0 into +0 and changes nothing else, so a row that one id touched updates exactly as in the dense case.
/// </summary>
internal readonly unsafe struct RowGrad<T>(T* g) : IGradSource<T, RowGrad<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Load(long i) => Vector256<T>.Zero + Vector256.Load(g + i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T At(long i) => T.Zero + g[i];

    public RowGrad<T> From(long start) => new(g + start);
}

/// <summary>A zero gradient (+0, as in a dense gradient), read from nowhere: the rows no lookup touched.</summary>
internal readonly struct ZeroGrad<T> : IGradSource<T, ZeroGrad<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Load(long i) => Vector256<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T At(long i) => T.Zero;

    public ZeroGrad<T> From(long start) => this;
}

/// <summary>optax's <c>clip_by_global_norm</c> once triggered: <c>(g / norm) · maxNorm</c>, in that order.</summary>
internal readonly struct ClippedGrad<T, TInner>(TInner inner, T norm, T maxNorm) : IGradSource<T, ClippedGrad<T, TInner>>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TInner : struct, IGradSource<T, TInner>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Load(long i) => inner.Load(i) / Vector256.Create(norm) * Vector256.Create(maxNorm);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T At(long i) => inner.At(i) / norm * maxNorm;

    public ClippedGrad<T, TInner> From(long start) => new(inner.From(start), norm, maxNorm);
}
