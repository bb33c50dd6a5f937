using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Nnx.Generators.Tests;

/// <summary>
/// Library layers (such as <c>Nnx.Embed</c>) reach users as compiled assemblies: a <c>[Sub]</c> of such a type must read
/// the dimensions from its generated constructor.
/// </summary>
public class ReferencedModuleTests
{
    private const string Library = """
        using Nnx;
        using TorchSharp.Modules;

        namespace Lib
        {
            public partial class Table
            {
                [Param(Shape = "numEmbeddings,features")]
                private Parameter embedding;
            }

            public class HandWritten : Nnx.Module
            {
                public HandWritten(long size, Rngs rngs) : base("HandWritten") { }
            }
        }
        """;

    [Fact]
    public void A_sub_of_a_referenced_generated_module_takes_its_constructor_dimensions()
    {
        const string consumer = """
            using Nnx;
            using TorchSharp.Modules;
            public partial class Model
            {
                [Sub(Dims = "numEmbeddings=vocab")]
                private Lib.Table table;

                [Param(Shape = "features,classes")]
                private Parameter head;
            }
            """;

        var (output, generated, diagnostics) = Run(consumer);

        Assert.Empty(diagnostics);
        Assert.Contains("this.table = new global::Lib.Table(numEmbeddings: vocab, features: features, rngs: rngs, paramDtype: paramDtype);", generated["Model.g.cs"]);
        Assert.Equal(new[] { "vocab", "features", "classes", "rngs", "paramDtype", "headInit" },
            output.GetTypeByMetadataName("Model")!.InstanceConstructors.Single().Parameters.Select(p => p.Name).ToArray());
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void A_sub_of_a_hand_written_module_generates_nothing_for_that_field()
    {
        const string consumer = """
            using Nnx;
            public partial class Model
            {
                [Sub]
                private Lib.HandWritten part;
            }
            """;

        var (_, generated, diagnostics) = Run(consumer);

        Assert.Empty(diagnostics);
        Assert.Empty(generated);
    }

    private static (Compilation Output, System.Collections.Generic.Dictionary<string, string> Generated, System.Collections.Immutable.ImmutableArray<Diagnostic> Diagnostics) Run(string consumer)
    {
        MetadataReference library = CompileLibrary();
        CSharpCompilation input = TestCompilation.Create(consumer).AddReferences(library);
        GeneratorDriver driver = TestCompilation.CreateDriver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out var diagnostics);
        var generated = driver.GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        return (output, generated, diagnostics);
    }

    private static MetadataReference CompileLibrary()
    {
        TestCompilation.CreateDriver().RunGeneratorsAndUpdateCompilation(
            TestCompilation.Create(Library).WithAssemblyName("Lib"), out Compilation library, out _);
        using var image = new MemoryStream();
        var emitted = library.Emit(image);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));
        return MetadataReference.CreateFromImage(image.ToArray());
    }
}
