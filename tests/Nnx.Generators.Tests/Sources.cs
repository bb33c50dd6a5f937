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

    /// <summary>Every member kind: a child table, a list of blocks with running statistics, a parameter and a tied head.</summary>
    public const string TinyLm = """
        using Nnx;
        using TorchSharp.Modules;
        using static TorchSharp.torch;

        namespace Samples
        {
            public partial class Embedder
            {
                [Param(Shape = "vocab,dModel")]
                private Parameter embedding;
            }

            public partial class Block
            {
                [Param(Shape = "dModel,hidden", Init = "normal(0.02)", Rng = "init")]
                private Parameter up;

                [BatchStat(Shape = "hidden", Init = "ones", Dtype = ScalarType.Float64)]
                private Tensor runningVar;
            }

            internal partial class TinyLm
            {
                [Sub(Dims = "vocab=nTokens")]
                private Embedder embed;

                [Sub(Count = "depth")]
                private ModuleList<Block> blocks;

                [Param(Shape = "dModel,2", Init = "zeros", Dtype = ScalarType.Float64)]
                private Parameter @fixed;

                [Tied("embed.embedding")]
                private Parameter head;

                public Tensor Logits(Tensor x) => x.matmul(head.t());
            }
        }
        """;
}
