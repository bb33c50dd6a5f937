using System;
using System.Linq;
using System.Text.Json;
using EmbedForward;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests;

/// <summary>The seed problem end to end: the sample's generated MyEmbed against the JAX reference's embed_forward.</summary>
public class EmbedForwardTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_partitionable_case_matches_flax_nnx()
    {
        int cases = 0, total = 0, exact = 0;
        long worst = 0;
        foreach (JsonElement c in JaxVectors.Section("embed_forward").Where(c => c.GetProperty("partitionable").GetBoolean()))
        {
            long[] ids = JaxVectors.Longs(c.GetProperty("ids"));
            float[] expected = JaxVectors.FloatsFromBits(c.GetProperty("bits"));

            float[] actual = Forward(c.GetProperty("seed").GetInt64(), ids, c.GetProperty("vocab").GetInt64(), c.GetProperty("d_model").GetInt64());

            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                long ulp = JaxVectors.UlpDistance(expected[i], actual[i]);
                total++;
                if (ulp == 0) exact++;
                worst = Math.Max(worst, ulp);
            }
            cases++;
        }
        output.WriteLine($"embed_forward: {cases} cases, {exact}/{total} values bit-identical, worst {worst} ulp");
        Assert.Equal(13, cases);
        Assert.True(exact >= 0.99 * total, $"{exact}/{total} bit-identical");
        Assert.True(worst <= 4, $"worst difference {worst} ulp");
    }

    [Fact]
    public void Seed_0_gives_the_nine_values_of_the_spec()
    {
        // Data/jax-vectors.json, embed_forward seed=0 ids=[0,1,2] vocab=4 d_model=3, as float32 bit patterns.
        uint[] expected = [0x3f80838a, 0xbf6805b7, 0xbf3f8837, 0xbf95ef5a, 0xbf5f091d, 0x3f16be18, 0x3f395379, 0xbf8346cd, 0x3fd4b03a];

        float[] actual = Forward(0, [0, 1, 2], 4, 3);

        Assert.Equal(expected, actual.Select(BitConverter.SingleToUInt32Bits).ToArray());
    }

    [Fact]
    public void Rows_do_not_depend_on_the_vocabulary_size()
    {
        // Partitionable bits depend on (key, flat index) only, so row r of a (V, D) table is the same for every V > r.
        float[] small = Forward(7, [2], 3, 5);
        float[] large = Forward(7, [2], 5000, 5);

        Assert.Equal(small, large);
    }

    [Fact]
    public void Float_ids_are_rejected_with_the_cast_to_write()
    {
        using var model = new MyEmbed(vocab: 4, dModel: 3, rngs: new Rngs(0));
        using Tensor floatIds = torch.tensor(new float[] { 1, 2 });

        var e = Assert.Throws<ArgumentException>(() => TokenIds.Check(floatIds, model.Vocab));

        Assert.Contains("Float32", e.Message);
        Assert.Contains("ids.to(ScalarType.Int64)", e.Message);
    }

    [Fact]
    public void Out_of_range_id_is_named_with_its_position_and_the_vocabulary()
    {
        using Tensor ids = torch.tensor(new long[] { 1, 3, 4, 9 });

        var e = Assert.Throws<ArgumentException>(() => TokenIds.Check(ids, 4));

        Assert.Contains("Token id 4 at position 2", e.Message);
        Assert.Contains("vocabulary of 4", e.Message);
    }

    [Fact]
    public void Out_of_range_id_in_a_matrix_of_int32_ids_is_named_by_its_index()
    {
        using Tensor ids = torch.tensor(new int[] { 0, 1, 2, -1 }).reshape(2, 2);

        var e = Assert.Throws<ArgumentException>(() => TokenIds.Check(ids, 4));

        Assert.Contains("Token id -1 at position [1, 1]", e.Message);
    }

    [Fact]
    public void The_readme_module_turns_bad_ids_into_the_documented_errors()
    {
        // MyEmbed.Forward is the README's `Lookup.Rows(embedding, tokenIds)`; a bare index_select gave a native
        // ExternalException with 2 KB of C++ frames for both.
        using var model = new MyEmbed(vocab: 4, dModel: 3, rngs: new Rngs(0));
        using Tensor floatIds = torch.tensor(new float[] { 1, 2 });
        using Tensor outOfRange = torch.tensor(new long[] { 1, 3, 4, 9 });
        using Tensor negative = torch.tensor(new int[] { 0, -1 }).reshape(1, 2);

        var floats = Assert.Throws<ArgumentException>(() => model.Forward(floatIds));
        var large = Assert.Throws<ArgumentException>(() => model.Forward(outOfRange));
        var below = Assert.Throws<ArgumentException>(() => model.Forward(negative));

        Assert.Contains("Token ids must be an Int64 or Int32 tensor, got Float32", floats.Message);
        Assert.Contains("Token id 4 at position 2 is out of range for a vocabulary of 4", large.Message);
        Assert.Contains("Token id -1 at position [0, 1]", below.Message);
        Assert.All(new[] { floats, large, below }, e => Assert.DoesNotContain("frame #", e.Message));
    }

    [Fact]
    public void The_readme_module_looks_up_ids_of_any_rank()
    {
        using var model = new MyEmbed(vocab: 4, dModel: 3, rngs: new Rngs(0));
        using Tensor ids = torch.tensor(new long[] { 2, 0, 1, 2 }).reshape(2, 2);

        using Tensor rows = model.Forward(ids);

        Assert.Equal([2L, 2, 3], rows.shape);
        // Data/jax-vectors.json, embed_forward seed 0: row 2 is (0.72392994, -1.0255982, 1.661628).
        Assert.Equal([0x3f395379u, 0xbf8346cdu, 0x3fd4b03au], rows[1, 1].data<float>().ToArray().Select(BitConverter.SingleToUInt32Bits).ToArray());
    }

    internal static float[] Forward(long seed, long[] ids, long vocab, long dModel)
    {
        using var scope = torch.NewDisposeScope();
        using var model = new MyEmbed(vocab, dModel, new Rngs(seed));
        Tensor idTensor = torch.tensor(ids, ScalarType.Int64);
        TokenIds.Check(idTensor, vocab);
        using (torch.no_grad())
            return model.Forward(idTensor).reshape(-1).data<float>().ToArray();
    }
}
