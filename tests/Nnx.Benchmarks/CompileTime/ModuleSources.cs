using System.Globalization;

namespace Nnx.Benchmarks.CompileTime;

/// <summary>The source of one of the generated-compilation's modules, written as a user would.</summary>
internal static class ModuleSources
{
    /// <summary>A module with two [Param] fields and a small Forward; <paramref name="scale"/> only changes the body.</summary>
    public static string Module(int i, double scale = 1.0) => $$"""
        using Nnx;
        using TorchSharp.Modules;
        using static TorchSharp.torch;

        namespace Bench.Models;

        public partial class Block{{i}}
        {
            [Param(Shape = "vocab,dModel", Init = "normal")]
            private Parameter table;

            [Param(Shape = "dModel", Init = "zeros")]
            private Parameter bias;

            public Tensor Forward(Tensor ids)
            {
                Tensor rows = table.index_select(0, ids);
                return rows.mul({{scale.ToString("R", CultureInfo.InvariantCulture)}}).add(bias);
            }

            public static long Count(long[] shape)
            {
                long n = 1;
                foreach (long s in shape) n *= s;
                return n + {{i}};
            }
        }
        """;
}
