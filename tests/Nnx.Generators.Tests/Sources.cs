namespace Nnx.Generators.Tests;

/// <summary>User code the tests feed the generator, written as a user would.</summary>
internal static class Sources
{
    public const string MyEmbed = """
        using Nnx;
        using TorchSharp.Modules;
        using static TorchSharp.torch;

        namespace Samples;

        public partial class MyEmbed
        {
            [Param(Shape = "vocab,dModel", Init = "normal")]
            private Parameter embedding;

            public Tensor Forward(Tensor tokenIds) => embedding.index_select(0, tokenIds);
        }
        """;
}
