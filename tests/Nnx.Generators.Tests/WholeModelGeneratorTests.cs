using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Nnx.Generators.Tests;

/// <summary>The whole-model forms, as generated code: expected output, constructor signatures, and warning-free compilation.</summary>
public class WholeModelGeneratorTests
{
    [Fact]
    public void Options_arithmetic_conditions_forks_and_children_with_options_get_the_expected_code()
    {
        var (output, generated, diagnostics) = TestCompilation.Run(Sources.WholeModels);

        Assert.Empty(diagnostics);
        Assert.Equal(["Models.Block.g.cs", "Models.Lora.g.cs", "Models.Mlp.g.cs", "Models.Tied.g.cs"], generated.Keys.Order().ToArray());
        Baseline.AssertMatches("WholeBlock.g.cs.txt", generated["Models.Block.g.cs"]);
        Baseline.AssertMatches("Lora.g.cs.txt", generated["Models.Lora.g.cs"]);
        Diagnostic[] problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS0649" && d.Id != "CS0169").ToArray();
        Assert.True(problems.Length == 0, string.Join(Environment.NewLine, problems.Select(p => p.ToString())));
    }

    [Theory]
    [InlineData("Models.Block", "numHeads dModel rngs dropoutRate useBias paramDtype headScaleInit")]
    [InlineData("Models.Lora", "inFeatures outFeatures rank rngs useBias dtype alpha paramDtype kernelInit biasInit loraAInit loraBInit")]
    [InlineData("Models.Mlp", "widths rngs paramDtype")]
    [InlineData("Models.Tied", "n rngs paramDtype")]
    public void Required_arguments_come_before_rngs_and_options_with_defaults_after(string type, string parameters)
    {
        var (output, _, _) = TestCompilation.Run(Sources.WholeModels);

        IMethodSymbol ctor = output.GetTypeByMetadataName(type)!.InstanceConstructors.Single(c => c.Parameters.Length > 1);

        Assert.Equal(parameters.Split(' '), ctor.Parameters.Select(p => p.Name).ToArray());
        int rngs = ctor.Parameters.IndexOf(ctor.Parameters.Single(p => p.Name == "rngs"));
        Assert.All(ctor.Parameters.Take(rngs), p => Assert.False(p.IsOptional, p.Name));
        Assert.All(ctor.Parameters.Skip(rngs + 1), p => Assert.True(p.IsOptional, p.Name));
    }

    [Fact]
    public void A_module_with_a_one_argument_forward_derives_from_the_generic_base_and_a_derived_one_overrides_forward()
    {
        var (output, generated, _) = TestCompilation.Run(Sources.WholeModels);

        INamedTypeSymbol block = output.GetTypeByMetadataName("Models.Block")!;
        Assert.Equal("Nnx.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>", block.BaseType!.ToDisplayString());
        Assert.Equal("Nnx.Module", output.GetTypeByMetadataName("Models.Mlp")!.BaseType!.ToDisplayString());
        Assert.Contains("public override global::TorchSharp.torch.Tensor forward(global::TorchSharp.torch.Tensor input) => this.Forward(input);", generated["Models.Lora.g.cs"]);
        Assert.Contains("base(inFeatures: inFeatures, outFeatures: outFeatures, rngs: rngs, useBias: useBias, dtype: dtype, paramDtype: paramDtype, kernelInit: kernelInit, biasInit: biasInit)", generated["Models.Lora.g.cs"]);
    }

    [Fact]
    public void A_referenced_library_module_is_read_from_its_signature_attribute()
    {
        var (output, _, _) = TestCompilation.Run(Sources.WholeModels);

        AttributeData signature = output.GetTypeByMetadataName("Nnx.Linear")!.GetAttributes().Single(a => a.AttributeClass!.Name == "ModuleSignatureAttribute");

        Assert.Equal("nnx1;dims=inFeatures,outFeatures;members=kernel:P,bias:P", signature.ConstructorArguments[0].Value);
    }
}
