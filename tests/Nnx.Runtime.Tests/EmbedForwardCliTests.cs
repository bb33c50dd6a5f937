using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace Nnx.Runtime.Tests;

/// <summary>The seed program as a user runs it: a real process, its stdout, stderr and exit code.</summary>
public class EmbedForwardCliTests
{
    [Fact]
    public void With_no_arguments_it_prints_the_nine_values_of_the_default_example()
    {
        var (exit, stdout, _) = Run();

        Assert.Equal(0, exit);
        // jax/SPEC.md section 12, seed 0, ids 0,1,2, vocab 4, d_model 3 (shortest round-trip float32 text).
        Assert.Equal(["1.0040143", "-0.9063372", "-0.7481722", "-1.1713669", "-0.8712328", "0.5888381", "0.72392994", "-1.0255982", "1.661628"], Lines(stdout));
    }

    [Fact]
    public void Float_formatted_inputs_are_cast_as_the_harness_passes_them()
    {
        var (exit, stdout, _) = Run("--seed", "1701.0", "--ids", "0.0,1.0,2.0", "--vocab", "4.0", "--d-model", "3.0");

        Assert.Equal(0, exit);
        // SPEC.md section 12, seed=1701: -1.30411601 (0xbfa6ed46) first, -1.0829016 (0xbf8a9c85) last.
        string[] lines = Lines(stdout);
        Assert.Equal(9, lines.Length);
        Assert.Equal(0xbfa6ed46u, BitConverter.SingleToUInt32Bits(float.Parse(lines[0])));
        Assert.Equal(0xbf8a9c85u, BitConverter.SingleToUInt32Bits(float.Parse(lines[8])));
    }

    [Fact]
    public void Json_format_prints_one_array()
    {
        var (exit, stdout, _) = Run("--ids", "3", "--vocab", "4", "--d-model", "2", "--seed", "3", "--format", "json");

        Assert.Equal(0, exit);
        Assert.StartsWith("[", stdout.Trim());
        Assert.EndsWith("]", stdout.Trim());
        Assert.Equal(2, stdout.Split(',').Length);
    }

    [Theory]
    [InlineData("--vocab 4.5 --ids 0 --d-model 3", "--vocab must be a whole number, got '4.5'")]
    [InlineData("--ids 0 --d-model 3", "missing --vocab")]
    [InlineData("--vocab 4 --ids 0 --d-model", "--d-model needs a value")]
    [InlineData("--vocab 0 --ids 0 --d-model 3", "--vocab must be at least 1, got 0")]
    [InlineData("--vocab 4 --ids 0 --d-model 0", "--d-model must be at least 1, got 0")]
    [InlineData("--vocab 4 --ids 0,1,7 --d-model 3", "token id 7 at position 2 is out of range for a vocabulary of 4")]
    [InlineData("--vocab 4 --ids 0,-1 --d-model 3", "token id -1 at position 1 is out of range for a vocabulary of 4")]
    [InlineData("--vocab 4 --ids 0,x --d-model 3", "token id at position 1 must be a number, got 'x'")]
    [InlineData("--vocab 4 --ids 0 --d-model 3 --colour red", "unknown argument '--colour'")]
    public void Bad_input_is_a_clear_error_on_stderr_with_a_non_zero_exit(string arguments, string message)
    {
        var (exit, stdout, stderr) = Run(arguments.Split(' '));

        Assert.NotEqual(0, exit);
        Assert.Contains(message, stderr);
        Assert.Equal("", stdout);
        Assert.DoesNotContain("   at ", stderr);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EmbedForward.dll"));
        foreach (string a in args) start.ArgumentList.Add(a);
        using Process process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(60_000)) { process.Kill(); throw new TimeoutException("EmbedForward did not finish in 60 s"); }
        return (process.ExitCode, stdout.Result, stderr);
    }
}
