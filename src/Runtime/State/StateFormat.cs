using System;
using System.Globalization;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>How shapes and dtypes read in state printouts and error messages: <c>float32[10, 4]</c>, as JAX prints them.</summary>
internal static class StateFormat
{
    public static string Describe(ScalarType dtype, ReadOnlySpan<long> shape) => $"{DTypeName(dtype)}{Shape(shape)}";

    public static string Shape(ReadOnlySpan<long> shape)
    {
        var parts = new string[shape.Length];
        for (int i = 0; i < shape.Length; i++) parts[i] = shape[i].ToString(CultureInfo.InvariantCulture);
        return $"[{string.Join(", ", parts)}]";
    }

    public static string DTypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Float64 => "float64",
        ScalarType.Float16 => "float16",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Int64 => "int64",
        ScalarType.Int32 => "int32",
        ScalarType.Int16 => "int16",
        ScalarType.Int8 => "int8",
        ScalarType.Byte => "uint8",
        ScalarType.Bool => "bool",
        _ => dtype.ToString().ToLowerInvariant(),
    };
}
