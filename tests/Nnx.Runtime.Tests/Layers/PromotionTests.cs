using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.Layers;

/// <summary><see cref="Promotion"/> against JAX's promotion table (<c>Data/jax-type-promotion.json</c>) and NNX's <c>promote_dtype</c>.</summary>
public class PromotionTests
{
    // JAX's short names for the dtypes TorchSharp has (no uint16..uint64).
    private static readonly Dictionary<string, ScalarType> TorchSharpTypes = new()
    {
        ["b1"] = ScalarType.Bool, ["u1"] = ScalarType.Byte, ["i1"] = ScalarType.Int8, ["i2"] = ScalarType.Int16,
        ["i4"] = ScalarType.Int32, ["i8"] = ScalarType.Int64, ["bf"] = ScalarType.BFloat16, ["f2"] = ScalarType.Float16,
        ["f4"] = ScalarType.Float32, ["f8"] = ScalarType.Float64, ["c8"] = ScalarType.ComplexFloat32, ["c16"] = ScalarType.ComplexFloat64,
    };

    public static TheoryData<string, string, string> JaxTable()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "jax-type-promotion.json")));
        string[] names = doc.RootElement.GetProperty("dtypes").EnumerateArray().Select(e => e.GetString()!).ToArray();
        string[][] table = doc.RootElement.GetProperty("table").EnumerateArray()
            .Select(r => r.EnumerateArray().Select(e => e.GetString()!).ToArray()).ToArray();
        var data = new TheoryData<string, string, string>();
        for (int i = 0; i < names.Length; i++)
            for (int j = 0; j < names.Length; j++)
                if (TorchSharpTypes.ContainsKey(names[i]) && TorchSharpTypes.ContainsKey(names[j]))
                    data.Add(names[i], names[j], table[i][j]);
        return data;
    }

    [Theory]
    [MemberData(nameof(JaxTable))]
    public void PromoteTypes_equals_JAX_s_promote_types_for_every_pair_of_TorchSharp_dtypes(string a, string b, string expected)
    {
        Assert.Equal(TorchSharpTypes[expected], Promotion.PromoteTypes(TorchSharpTypes[a], TorchSharpTypes[b]));
    }

    [Fact]
    public void The_JAX_table_covers_all_144_pairs_of_TorchSharp_dtypes()
    {
        Assert.Equal(144, JaxTable().Count());
    }

    [Theory]
    [MemberData(nameof(JaxTable))]
    public void On_TorchSharp_dtypes_JAX_and_libtorch_promote_alike(string a, string b, string expected)
    {
        // So an elementwise libtorch op on two promoted operands cannot pick a third type behind NNX's back.
        Assert.Equal(TorchSharpTypes[expected], torch.promote_types(TorchSharpTypes[a], TorchSharpTypes[b]));
    }

    [Theory]
    [InlineData(ScalarType.Int16, ScalarType.Bool, ScalarType.Int8, ScalarType.Byte)]
    [InlineData(ScalarType.Float32, ScalarType.BFloat16, ScalarType.Float16)]
    [InlineData(ScalarType.Float16, ScalarType.Int64, ScalarType.Float16)]
    [InlineData(ScalarType.ComplexFloat64, ScalarType.Float32, ScalarType.ComplexFloat32, ScalarType.Float64)]
    public void ResultType_joins_any_number_of_dtypes(ScalarType expected, params ScalarType[] dtypes)
    {
        Assert.Equal(expected, Promotion.ResultType(dtypes));
    }

    [Fact]
    public void Integer_inputs_with_integer_parameters_compute_in_float32_as_canonicalize_dtype_says()
    {
        using Tensor ids = torch.ones(2, ScalarType.Int64), counts = torch.ones(2, ScalarType.Int32);

        Assert.Equal(ScalarType.Float32, Promotion.CanonicalizeDtype([ids, counts]));
        Assert.Equal(ScalarType.Int64, Promotion.CanonicalizeDtype([ids, counts], inexact: false));
    }

    [Fact]
    public void A_dtype_option_overrides_inference_and_absent_arguments_are_skipped()
    {
        using Tensor x = torch.ones(2, ScalarType.Float64), kernel = torch.ones(2, ScalarType.Float32);

        Assert.Equal(ScalarType.Float16, Promotion.CanonicalizeDtype([x, kernel, null], dtype: ScalarType.Float16));
        Assert.Equal(ScalarType.Float64, Promotion.CanonicalizeDtype([x, null, kernel]));
    }

    [Fact]
    public void An_integer_dtype_option_is_rejected_when_the_layer_needs_a_floating_type()
    {
        using Tensor x = torch.ones(2);

        var error = Assert.Throws<ArgumentException>(() => Promotion.CanonicalizeDtype([x], dtype: ScalarType.Int32));

        Assert.Contains("must be a floating or complex type; got Int32", error.Message);
    }

    [Fact]
    public void Nothing_to_infer_from_and_quantized_dtypes_are_rejected_by_name()
    {
        var none = Assert.Throws<ArgumentException>(() => Promotion.CanonicalizeDtype([null, null]));
        var quantized = Assert.Throws<ArgumentException>(() => Promotion.PromoteTypes(ScalarType.QInt8, ScalarType.Float32));

        Assert.Contains("every argument is null", none.Message);
        Assert.Contains("QInt8 has no place in JAX's type promotion", quantized.Message);
    }

    [Fact]
    public void PromoteDtype_casts_each_argument_to_the_joined_type_and_leaves_the_arguments_alone()
    {
        using Tensor x = torch.tensor(new double[] { 0.1, 0.2 });
        using Tensor kernel = torch.tensor(new float[] { 3f, 4f });

        Tensor?[] p = Promotion.PromoteDtype([x, kernel, null]);

        Assert.Equal([ScalarType.Float64, ScalarType.Float64], p.Take(2).Select(t => t!.dtype));
        Assert.Null(p[2]);
        Assert.Equal(ScalarType.Float32, kernel.dtype);
        Assert.Equal(new double[] { 3, 4 }, p[1]!.data<double>().ToArray());
        foreach (Tensor? t in p) t?.Dispose();
    }

    [Fact]
    public void An_argument_already_of_the_type_comes_back_as_a_new_handle_on_the_same_storage()
    {
        using Tensor x = torch.ones(3);

        Tensor promoted = Promotion.PromoteDtype([x])[0]!;

        Assert.NotSame(x, promoted);
        promoted.add_(1f);
        promoted.Dispose();
        Assert.False(x.IsInvalid);
        Assert.Equal(6f, x.sum().item<float>());   // the write through the alias shows: no copy was made
    }

    [Fact]
    public void Gradients_flow_back_through_the_casts_to_float32_parameters()
    {
        using var kernel = new TorchSharp.Modules.Parameter(torch.tensor(new float[] { 2f, 3f }));
        using Tensor x = torch.tensor(new double[] { 0.5, 0.25 });

        Tensor?[] p = Promotion.PromoteDtype([x, kernel]);
        using Tensor loss = p[0]!.mul(p[1]!).sum();
        loss.backward();

        Assert.Equal(ScalarType.Float64, loss.dtype);
        Assert.Equal(ScalarType.Float32, kernel.grad!.dtype);
        Assert.Equal(new float[] { 0.5f, 0.25f }, kernel.grad.data<float>().ToArray());
    }

    [Theory]
    [InlineData(ScalarType.Float16, null, ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16, null, ScalarType.Float32)]
    [InlineData(ScalarType.Float64, null, ScalarType.Float64)]
    [InlineData(ScalarType.Float32, ScalarType.Float16, ScalarType.Float32)]
    [InlineData(ScalarType.Float32, ScalarType.Float64, ScalarType.Float64)]
    public void Normalisation_statistics_are_computed_in_at_least_float32(ScalarType input, ScalarType? dtype, ScalarType expected)
    {
        Assert.Equal(expected, Promotion.StatisticsDtype(input, dtype));
    }
}
