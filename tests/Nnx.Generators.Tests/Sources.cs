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

    /// <summary>The forms of whole models: options, arithmetic, conditional members, forks, heterogeneous lists, ties, inheritance.</summary>
    public const string WholeModels = """
        using Nnx;
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;

        namespace Models
        {
            public partial class Block
            {
                [Option] private readonly int numHeads;
                [Option] private readonly double dropoutRate = 0.1;
                [Option] private readonly bool useBias = true;
                [Sub(Dims = "numFeatures=dModel", Options = "epsilon=1e-5")] private Nnx.LayerNorm ln;
                [Sub(Dims = "inFeatures=dModel, outFeatures=3*dModel", Options = "useBias=useBias")] private Nnx.Linear attn;
                [Sub(Options = "rate=dropoutRate")] private Nnx.Dropout drop;
                [Param(Shape = "numHeads, dModel/numHeads", Init = "ones", When = "useBias && dropoutRate > 0")] private Parameter? headScale;
                [Fork("dropout")] private RngStream noise;

                public Tensor Forward(Tensor x) => drop.Forward(attn.Forward(ln.Forward(x)));
            }

            public partial class Mlp
            {
                [Option] private readonly long[] widths;
                [Sub(Count = "widths.Length - 1", Dims = "inFeatures=widths[i], outFeatures=widths[i+1]")] private ModuleList<Nnx.Linear> layers;
            }

            public partial class Tied
            {
                [Sub(Dims = "inFeatures=n, outFeatures=n")] private Nnx.Linear bar;
                [Sub(Dims = "inFeatures=n, outFeatures=n", Tied = "kernel=bar.kernel")] private Nnx.Linear baz;
            }

            public partial class Lora : Nnx.Linear
            {
                [Option] private readonly double alpha = 1.0;
                [Param(Shape = "inFeatures, rank", Init = "normal(0.01)")] private Parameter loraA;
                [Param(Shape = "rank, outFeatures", Init = "zeros")] private Parameter loraB;

                public new Tensor Forward(Tensor x) => base.Forward(x);
            }
        }
        """;
}
