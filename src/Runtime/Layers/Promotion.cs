using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// Flax NNX's dtype rules (<c>flax/nnx/nn/dtypes.py</c>): <c>canonicalize_dtype</c> and <c>promote_dtype</c> over
/// JAX's type promotion lattice, so a layer computes in the type NNX would and no native call sees two dtypes.
/// </summary>
/// <remarks>
/// <para>The lattice is JAX's (<c>docs/type_promotion.rst</c>): integers and bool promote to the floating type they
/// meet (<c>int64 + float16 = float16</c>), <c>bfloat16 + float16 = float32</c>, real and complex meet in the
/// complex type wide enough for both. TorchSharp has no weakly typed tensors, so every input is strongly typed.</para>
/// <para>64-bit types are kept, as JAX does with <c>jax_enable_x64</c>: a float64 input meeting float32
/// parameters computes in float64. (Without x64, JAX would have turned the float64 array into float32 on
/// creation.)</para>
/// </remarks>
public static class Promotion
{
    // The nodes of JAX's lattice, the three weak types included: they shape the joins even though no TorchSharp
    // tensor is weakly typed.
    private enum Node { B1, U1, U2, U4, U8, I1, I2, I4, I8, Bf, F2, F4, F8, C8, C16, IWeak, FWeak, CWeak }

    // JAX docs/type_promotion.rst, the `lattice` dict the promotion table is generated from.
    private static readonly (Node From, Node[] To)[] Edges =
    [
        (Node.B1, [Node.IWeak]),
        (Node.U1, [Node.U2, Node.I2]), (Node.U2, [Node.I4, Node.U4]), (Node.U4, [Node.U8, Node.I8]), (Node.U8, [Node.FWeak]),
        (Node.IWeak, [Node.U1, Node.I1]),
        (Node.I1, [Node.I2]), (Node.I2, [Node.I4]), (Node.I4, [Node.I8]), (Node.I8, [Node.FWeak]),
        (Node.FWeak, [Node.CWeak, Node.F2, Node.Bf]),
        (Node.Bf, [Node.F4]), (Node.F2, [Node.F4]), (Node.F4, [Node.C8, Node.F8]), (Node.F8, [Node.C16]),
        (Node.CWeak, [Node.C8]), (Node.C8, [Node.C16]), (Node.C16, []),
    ];

    // For each node, the bit set of the nodes at or above it.
    private static readonly int[] UpperBounds = ComputeUpperBounds();

    /// <summary><c>jnp.promote_types(a, b)</c>: the join of two dtypes on JAX's lattice.</summary>
    /// <exception cref="ArgumentException">A quantized dtype, which has no place on the lattice.</exception>
    public static ScalarType PromoteTypes(ScalarType a, ScalarType b) => ToScalarType(Join(ToNode(a), ToNode(b)));

    /// <summary><c>jnp.result_type(*dtypes)</c>: the join of one or more dtypes.</summary>
    /// <exception cref="ArgumentException">No dtype was given, or one is quantized.</exception>
    public static ScalarType ResultType(params IReadOnlyList<ScalarType> dtypes)
    {
        ArgumentNullException.ThrowIfNull(dtypes);
        if (dtypes.Count == 0)
            throw new ArgumentException("ResultType needs at least one dtype, as jnp.result_type needs one argument.", nameof(dtypes));
        Node joined = ToNode(dtypes[0]);
        for (int i = 1; i < dtypes.Count; i++) joined = Join(joined, ToNode(dtypes[i]));
        return ToScalarType(joined);
    }

    /// <summary>Whether <paramref name="dtype"/> is inexact in JAX's sense: a real or complex floating type.</summary>
    public static bool IsInexact(ScalarType dtype) =>
        dtype is ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64
            or ScalarType.ComplexFloat32 or ScalarType.ComplexFloat64;

    /// <summary>
    /// NNX's <c>canonicalize_dtype(*args, dtype=dtype, inexact=inexact)</c>: <paramref name="dtype"/> when given,
    /// otherwise the result type of the non-null <paramref name="args"/>, raised to at least float32 when it is not
    /// inexact and <paramref name="inexact"/> is set (integer inputs with integer parameters compute in float32).
    /// </summary>
    /// <param name="args">The arrays that take part (inputs and parameters); nulls (an absent bias) are skipped.</param>
    /// <param name="dtype">The layer's <c>dtype</c> option: the computation type, overriding inference.</param>
    /// <param name="inexact">Require a floating (or complex) result, as NNX does by default.</param>
    /// <exception cref="ArgumentException">Nothing to infer from, a quantized input, or an integer
    /// <paramref name="dtype"/> where an inexact one is required.</exception>
    public static ScalarType CanonicalizeDtype(IReadOnlyList<Tensor?> args, ScalarType? dtype = null, bool inexact = true)
    {
        ArgumentNullException.ThrowIfNull(args);
        ScalarType result = dtype ?? InferredType(args);
        if (dtype is null && inexact && !IsInexact(result)) result = PromoteTypes(ScalarType.Float32, result);
        if (inexact && !IsInexact(result))
            throw new ArgumentException(
                $"The computation dtype must be a floating or complex type; got {result}. Pass Float32, Float64, Float16 or BFloat16 as dtype.",
                nameof(dtype));
        return result;
    }

    /// <summary>
    /// NNX's <c>promote_dtype(args, dtype=dtype, inexact=inexact)</c>: every non-null argument cast to
    /// <see cref="CanonicalizeDtype"/>'s type, after checking that they all live on one device.
    /// </summary>
    /// <returns>One entry per argument, in order: null for a null argument, otherwise a new tensor handle the
    /// caller owns (a cast copy, or an alias when the dtype already matches), so results can always be disposed
    /// or left to a dispose scope without touching the arguments.</returns>
    /// <exception cref="ArgumentException">The arguments are on different devices, or as <see cref="CanonicalizeDtype"/>.</exception>
    public static Tensor?[] PromoteDtype(IReadOnlyList<Tensor?> args, ScalarType? dtype = null, bool inexact = true)
    {
        ScalarType target = CanonicalizeDtype(args, dtype, inexact);
        RequireOneDevice(args);
        var promoted = new Tensor?[args.Count];
        for (int i = 0; i < args.Count; i++)
        {
            Tensor? t = args[i];
            if (t is not null) promoted[i] = t.dtype == target ? t.alias() : t.to(target);
        }
        return promoted;
    }

    /// <summary>
    /// The type NNX's normalisation layers compute statistics in (<c>_compute_stats</c>):
    /// <c>promote_types(dtype ?? inputDtype, float32)</c>, so half and bfloat16 inputs get float32 statistics.
    /// </summary>
    public static ScalarType StatisticsDtype(ScalarType inputDtype, ScalarType? dtype = null) =>
        PromoteTypes(dtype ?? inputDtype, ScalarType.Float32);

    /// <summary>Throws unless every non-null tensor is on the same device (libtorch would fail, or abort, on the mix).</summary>
    /// <exception cref="ArgumentException">Two arguments are on different devices; the message names both.</exception>
    public static void RequireOneDevice(IReadOnlyList<Tensor?> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int first = -1;
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] is not Tensor t) continue;
            if (first < 0) { first = i; continue; }
            Tensor reference = args[first]!;
            if (t.device_type != reference.device_type || t.device_index != reference.device_index)
                throw new ArgumentException(
                    $"Tensors of one computation must share a device; argument {first} (shape [{string.Join(", ", reference.shape)}]) is on {reference.device}, " +
                    $"argument {i} (shape [{string.Join(", ", t.shape)}]) on {t.device}. Move them first, e.g. x.to(model's device).",
                    nameof(args));
        }
    }

    private static ScalarType InferredType(IReadOnlyList<Tensor?> args)
    {
        ScalarType[] present = args.Where(t => t is not null).Select(t => t!.dtype).ToArray();
        if (present.Length == 0)
            throw new ArgumentException("Cannot infer a dtype: every argument is null and no dtype was given.", nameof(args));
        return ResultType(present);
    }

    private static Node Join(Node a, Node b)
    {
        int common = UpperBounds[(int)a] & UpperBounds[(int)b];
        // A lattice has exactly one least common upper bound: the one whose own upper bounds are all the common ones.
        for (int n = 0; n < UpperBounds.Length; n++)
            if ((common & (1 << n)) != 0 && UpperBounds[n] == common) return (Node)n;
        throw new InvalidOperationException($"JAX's lattice has no join for {a} and {b}; the edge table is broken.");
    }

    private static int[] ComputeUpperBounds()
    {
        int count = Enum.GetValues<Node>().Length;
        var bounds = new int[count];
        for (int n = 0; n < count; n++) bounds[n] = 1 << n;
        // Propagate until nothing changes; the lattice is tiny and acyclic, so a few passes suffice.
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (var (from, to) in Edges)
                foreach (Node up in to)
                {
                    int merged = bounds[(int)from] | bounds[(int)up];
                    if (merged != bounds[(int)from]) { bounds[(int)from] = merged; changed = true; }
                }
        }
        return bounds;
    }

    private static Node ToNode(ScalarType dtype) => dtype switch
    {
        ScalarType.Bool => Node.B1,
        ScalarType.Byte => Node.U1,
        ScalarType.Int8 => Node.I1,
        ScalarType.Int16 => Node.I2,
        ScalarType.Int32 => Node.I4,
        ScalarType.Int64 => Node.I8,
        ScalarType.BFloat16 => Node.Bf,
        ScalarType.Float16 => Node.F2,
        ScalarType.Float32 => Node.F4,
        ScalarType.Float64 => Node.F8,
        ScalarType.ComplexFloat32 => Node.C8,
        ScalarType.ComplexFloat64 => Node.C16,
        _ => throw new ArgumentException(
            $"{dtype} has no place in JAX's type promotion; NNX layers take bool, integer, floating and complex tensors. Dequantize first.",
            nameof(dtype)),
    };

    // Joins of TorchSharp's types never land on U2..U8 or a weak type (those need uint16+ or Python scalars).
    private static ScalarType ToScalarType(Node node) => node switch
    {
        Node.B1 => ScalarType.Bool,
        Node.U1 => ScalarType.Byte,
        Node.I1 => ScalarType.Int8,
        Node.I2 => ScalarType.Int16,
        Node.I4 => ScalarType.Int32,
        Node.I8 => ScalarType.Int64,
        Node.Bf => ScalarType.BFloat16,
        Node.F2 => ScalarType.Float16,
        Node.F4 => ScalarType.Float32,
        Node.F8 => ScalarType.Float64,
        Node.C8 => ScalarType.ComplexFloat32,
        Node.C16 => ScalarType.ComplexFloat64,
        _ => throw new InvalidOperationException($"The join {node} has no TorchSharp dtype."),
    };
}
