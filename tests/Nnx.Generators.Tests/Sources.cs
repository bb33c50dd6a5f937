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

    /// <summary>Global and block namespaces, nested, generic and sealed types, accessibility, a chained constructor, the hook.</summary>
    public const string LanguageCoverage = """
        using Nnx;
        using TorchSharp.Modules;
        using static TorchSharp.torch;

        public partial class GlobalModule
        {
            [Param(Shape = "n")]
            private Parameter w;
        }

        namespace Outer.Inner
        {
            public partial class Holder
            {
                internal partial class Nested
                {
                    [Param(Shape = "vocab,dModel")]
                    protected Parameter table;

                    [BatchStat(Shape = "dModel")]
                    private Tensor stat;

                    public Nested(Rngs rngs) : this(4, 2, rngs) { }

                    public bool Ready { get; private set; }

                    partial void OnInitialized() => Ready = stat is not null && table is not null;
                }
            }

            public partial class Generic<T> where T : struct
            {
                [Param(Shape = "n", Init = "constant(0.5)")]
                private Parameter w;

                [Sub]
                private GlobalModule child;

                public T Tag { get; set; }
            }

            internal sealed partial class Sealed
            {
                [Sub(Dims = "vocab=4, dModel=width")]
                private Holder.Nested nested;

                [Sub(Count = "2")]
                private ModuleList<global::GlobalModule> many;
            }
        }
        """;
}
