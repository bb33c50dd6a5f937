using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using GptSample;
using TorchSharp;
using static TorchSharp.torch;

namespace Nnx.Runtime.Tests.GptTests;

/// <summary>The Gpt sample's model: GPT-2 small's size, causality, dropout switched by eval(), and its size checks.</summary>
public sealed class GptModelTests
{
    [Fact]
    public void Config_gpt2_small_prints_its_summary_and_124_439_808_parameters_with_the_head_tied()
    {
        // The real program, so the 124M-parameter model is built once, in the child process.
        var (exit, stdout, stderr) = RunGpt("--config", "gpt2-small");

        Assert.True(exit == 0, stderr);
        Assert.Contains("vocab=50257,context=1024,width=768,layers=12,heads=12,dropout=0.1: 124,439,808 parameters", stdout);
        string[] rows = stdout.Split('\n');
        Assert.Single(rows, r => Regex.IsMatch(r, @"^tokens\.embedding\s+Param\s+\(50257, 768\)"));
        Assert.Single(rows, r => Regex.IsMatch(r, @"^positions\.embedding\s+Param\s+\(1024, 768\)"));
        Assert.Single(rows, r => Regex.IsMatch(r, @"^blocks\.11\.up\.kernel\s+Param\s+\(768, 3072\)"));
        // Nnx.MultiHeadAttention's kernels in NNX's layout: (in, heads, headDim) and (heads, headDim, out).
        Assert.Single(rows, r => Regex.IsMatch(r, @"^blocks\.0\.attn\.query\.kernel\s+Param\s+\(768, 12, 64\)"));
        Assert.Single(rows, r => Regex.IsMatch(r, @"^blocks\.0\.attn\.query\.bias\s+Param\s+\(12, 64\)"));
        Assert.Single(rows, r => Regex.IsMatch(r, @"^blocks\.0\.attn\.out\.kernel\s+Param\s+\(12, 64, 768\)"));
        Assert.DoesNotContain(rows, r => r.StartsWith("blocks.12.", StringComparison.Ordinal));
        // A separate output head would be a second (768, 50257) or (50257, 768) variable.
        Assert.Single(rows, r => r.Contains("50257", StringComparison.Ordinal) && r.Contains("Param", StringComparison.Ordinal));
    }

    [Fact]
    public void A_token_only_changes_the_logits_of_its_own_and_later_positions()
    {
        using var model = new Gpt(numHeads: 2, vocab: 50, width: 16, context: 8, numLayers: 2, rngs: new Rngs(0));
        model.eval();
        using Tensor ids = torch.tensor(new long[] { 3, 14, 15, 9, 26, 5 }).unsqueeze(0);
        using Tensor changed = ids.clone();
        changed[0, 3] = torch.tensor(40L);

        using Tensor before = model.Forward(ids), after = model.Forward(changed);

        Assert.Equal(new long[] { 1, 6, 50 }, before.shape);
        Assert.True(before[.., ..3].equal(after[.., ..3]).all().item<bool>());
        Assert.True((before[.., 3..] - after[.., 3..]).abs().max().item<float>() > 1e-3);
    }

    [Fact]
    public void Dropout_draws_new_masks_in_training_mode_and_eval_turns_every_dropout_off()
    {
        using var model = new Gpt(numHeads: 2, vocab: 50, width: 16, context: 8, numLayers: 2, rngs: new Rngs(0), dropoutRate: 0.5);
        using Tensor ids = torch.tensor(new long[] { 3, 14, 15, 9 }).unsqueeze(0);

        using Tensor train1 = model.Forward(ids), train2 = model.Forward(ids);
        model.eval();
        using Tensor eval1 = model.Forward(ids), eval2 = model.Forward(ids);

        Assert.False(train1.equal(train2).all().item<bool>());
        Assert.True(eval1.equal(eval2).all().item<bool>());
        Assert.False(eval1.equal(train1).all().item<bool>());
    }

    [Fact]
    public void Heads_that_do_not_divide_the_width_are_a_constructor_error_naming_both()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new Gpt(numHeads: 3, vocab: 50, width: 16, context: 8, numLayers: 1, rngs: new Rngs(0)));

        Assert.Contains("16", e.Message);
        Assert.Contains("3", e.Message);
    }

    [Fact]
    public void A_sequence_longer_than_the_context_is_refused_with_both_lengths()
    {
        using var model = new Gpt(numHeads: 2, vocab: 50, width: 16, context: 4, numLayers: 1, rngs: new Rngs(0));
        using Tensor ids = torch.zeros(new long[] { 1, 5 }, ScalarType.Int64);

        var e = Assert.Throws<ArgumentException>(() => model.Forward(ids));

        Assert.Contains("at most the context, 4", e.Message);
        Assert.Contains("[1, 5]", e.Message);
    }

    [Fact]
    public void Bad_command_lines_are_one_line_errors_with_exit_code_2()
    {
        var (exit, _, stderr) = RunGpt("--config", "gpt3");

        Assert.Equal(2, exit);
        Assert.StartsWith("error: --config must be small or gpt2-small, got 'gpt3'", stderr);
    }

    [Fact]
    public void Help_lists_the_options_and_exits_0()
    {
        var (exit, stdout, _) = RunGpt("--help");

        Assert.Equal(0, exit);
        Assert.Contains("--config small|gpt2-small", stdout);
        Assert.Contains("--resume CHECKPOINT", stdout);
    }

    [Fact]
    public void A_prompt_with_a_token_the_corpus_lacks_is_refused_before_training()
    {
        string dir = Directory.CreateTempSubdirectory("nnx-gpt-cli-").FullName;
        try
        {
            var (exit, _, stderr) = RunGpt("--max-chars", "20000", "--out", dir, "--prompt", "In the beginning was the quantum");

            Assert.Equal(1, exit);
            Assert.Contains("quantum", stderr);
            Assert.Contains("does not occur in the training text", stderr);
            Assert.Empty(Directory.GetFileSystemEntries(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static (int Exit, string Stdout, string Stderr) RunGpt(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gpt.dll"));
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using Process process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }
}
