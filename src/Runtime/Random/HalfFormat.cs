using System;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// A 16-bit float type of JAX (<c>float16</c>, <c>bfloat16</c>) and its scalar arithmetic as XLA:CPU runs it: every op on
/// 16-bit values is done in float32 and rounded to the 16-bit type (to nearest, ties to even), which equals the correctly
/// rounded 16-bit result because float32 has more than twice the precision plus two bits (docs/jax-random.md#16-bit-parameters).
/// Values are held as the float32 numbers they stand for.
/// </summary>
internal abstract class HalfFormat
{
    public static readonly HalfFormat Float16 = new Float16Format();
    public static readonly HalfFormat BFloat16 = new BFloat16Format();

    /// <summary>The format of a 16-bit float dtype, or null for any other dtype.</summary>
    public static HalfFormat? For(ScalarType dtype) => dtype switch
    {
        ScalarType.Float16 => Float16,
        ScalarType.BFloat16 => BFloat16,
        _ => null,
    };

    public abstract ScalarType Dtype { get; }

    /// <summary>Stored mantissa bits (<c>finfo.nmant</c>): the uniform's <c>floats</c> are <c>m * 2^-MantissaBits</c>.</summary>
    public abstract int MantissaBits { get; }

    /// <summary>
    /// Width of the random bits <c>jax.random.uniform</c> draws for this type: 16 for float16, 8 for bfloat16 (JAX draws 8
    /// bits for types with fewer than 8 mantissa bits).
    /// </summary>
    public abstract int RandomBits { get; }

    /// <summary>One rounding of a float32 to this type, to nearest even (XLA's <c>convert</c>).</summary>
    public abstract float Round(float value);

    /// <summary>The bit pattern of a value of this type.</summary>
    public abstract ushort ToBits(float value);

    /// <summary>The value of a bit pattern of this type.</summary>
    public abstract float FromBits(ushort bits);

    /// <summary><c>jnp.array(x, dtype)</c> of a Python float: numpy's float16 rounds the double once, ml_dtypes' bfloat16 goes through float32.</summary>
    public abstract float FromPython(double value);

    /// <summary>A Python scalar passed to a jitted sampler (a bound, minval, maxval): a weak float32, then an XLA <c>convert</c>.</summary>
    public float FromTraced(double value) => Round((float)value);

    public float Add(float a, float b) => Round(a + b);

    public float Subtract(float a, float b) => Round(a - b);

    public float Multiply(float a, float b) => Round(a * b);

    public float Divide(float a, float b) => Round(a / b);

    public float Sqrt(float a) => Round(MathF.Sqrt(a));

    /// <summary><c>np.array(np.sqrt(2), dtype)</c>.</summary>
    public float Sqrt2 => FromPython(Math.Sqrt(2.0));

    /// <summary><c>nextafter(x, toward)</c> in this type: one step of the bit pattern.</summary>
    public float NextAfter(float x, float toward)
    {
        if (float.IsNaN(x) || float.IsNaN(toward)) return float.NaN;
        if (x == toward) return toward;
        if (x == 0f) return toward > 0f ? FromBits(1) : FromBits(0x8001);
        ushort bits = ToBits(x);
        bool awayFromZero = toward > x == x > 0f;
        return FromBits((ushort)(awayFromZero ? bits + 1 : bits - 1));
    }
}
