using System;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>IEEE binary16 (<c>jnp.float16</c>): 10 mantissa bits, drawn from 16 random bits.</summary>
internal sealed class Float16Format : HalfFormat
{
    public override ScalarType Dtype => ScalarType.Float16;

    public override int MantissaBits => 10;

    public override int RandomBits => 16;

    // .NET's Half conversions round to nearest even with gradual underflow and overflow to infinity, as XLA's convert.
    public override float Round(float value) => (float)(Half)value;

    public override ushort ToBits(float value) => BitConverter.HalfToUInt16Bits((Half)value);

    public override float FromBits(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    // numpy's double-to-half cast rounds the double once, as Half's explicit conversion from double does.
    public override float FromPython(double value) => (float)(Half)value;
}
