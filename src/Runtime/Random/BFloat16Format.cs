using System;
using static TorchSharp.torch;

namespace Nnx;

/// <summary><c>jnp.bfloat16</c>: the upper half of a float32, 7 mantissa bits, drawn from 8 random bits.</summary>
internal sealed class BFloat16Format : HalfFormat
{
    public override ScalarType Dtype => ScalarType.BFloat16;

    public override int MantissaBits => 7;

    public override int RandomBits => 8;

    public override float Round(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return BitConverter.UInt32BitsToSingle((bits | 0x00400000u) & 0xFFFF0000u);
        // Round to nearest even on the bit pattern; a carry into the exponent (up to infinity) is the correct result.
        bits += 0x7FFFu + ((bits >> 16) & 1u);
        return BitConverter.UInt32BitsToSingle(bits & 0xFFFF0000u);
    }

    public override ushort ToBits(float value) => (ushort)(BitConverter.SingleToUInt32Bits(value) >> 16);

    public override float FromBits(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    // ml_dtypes' bfloat16(double) is Eigen's bfloat16(static_cast<float>(value)): two roundings.
    public override float FromPython(double value) => Round((float)value);
}
