using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace Nnx.Runtime.Tests;

/// <summary>The seed program as a user runs it: a real process, its stdout, stderr and exit code.</summary>
public class EmbedForwardCliTests
{
    [Fact]
    public void With_no_arguments_it_prints_the_nine_values_of_the_default_example()
    {
        var (exit, stdout, _) = Run();

        Assert.Equal(0, exit);
        // Data/jax-vectors.json, embed_forward seed 0, ids 0,1,2, vocab 4, d_model 3 (shortest round-trip float32 text).
        Assert.Equal(["1.0040143", "-0.9063372", "-0.7481722", "-1.1713669", "-0.8712328", "0.5888381", "0.72392994", "-1.0255982", "1.661628"], Lines(stdout));
    }

    [Fact]
    public void Float_formatted_inputs_are_cast_as_the_harness_passes_them()
    {
        var (exit, stdout, _) = Run("--seed", "1701.0", "--ids", "0.0,1.0,2.0", "--vocab", "4.0", "--d-model", "3.0");

        Assert.Equal(0, exit);
        // Data/jax-vectors.json, embed_forward seed 1701: -1.30411601 (0xbfa6ed46) first, -1.0829016 (0xbf8a9c85) last.
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
    [InlineData("--vocab 4 --ids 0 --ids-file ids.txt --d-model 3", "give --ids or --ids-file, not both")]
    [InlineData("--vocab 4 --ids-file /no/such/ids.txt --d-model 3", "cannot read --ids-file '/no/such/ids.txt': Could not find")]
    [InlineData("--vocab 4 --ids [0,1 --d-model 3", "--ids: the list opens with '[' but has no closing ']'")]
    [InlineData("--vocab 4 --ids 0,1e30 --d-model 3", "token id at position 1 is outside the 64-bit integer range, got '1e30'")]
    [InlineData("--vocab 4 --ids 0 --d-model 3 --seed 9223372036854775808", "--seed is outside the 64-bit integer range")]
    [InlineData("--vocab 100000000 --ids 0 --d-model 100000", "a 100000000 x 100000 float32 table needs 36.4 TiB, more than the")]
    [InlineData("--vocab 2147483648 --ids 0 --d-model 2147483648", "a 2147483648 x 2147483648 float32 table needs 16 EiB, more than the")]
    public void Bad_input_is_a_clear_error_on_stderr_with_a_non_zero_exit(string arguments, string message)
    {
        var (exit, stdout, stderr) = Run(arguments.Split(' '));

        Assert.Equal(2, exit);
        Assert.Contains(message, stderr);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", stderr);
        Assert.DoesNotContain("frame #", stderr);
    }

    [Fact]
    public void Help_prints_the_usage_with_the_seed_range_and_exits_0()
    {
        var (exit, stdout, stderr) = Run("--help");
        var (shortExit, shortStdout, _) = Run("--vocab", "4", "-h");

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.StartsWith("usage: EmbedForward", stdout);
        Assert.Contains("--ids-file PATH", stdout);
        Assert.Contains("any integer from -2^63 to 2^63-1", stdout);
        Assert.Contains("only N mod 2^32 is used", stdout);
        Assert.Equal((0, stdout), (shortExit, shortStdout));
    }

    [Theory]
    [InlineData("4294967296", "0")]
    [InlineData("-1", "4294967295")]
    [InlineData("-4294967296.0", "0")]
    public void Seeds_wrap_modulo_2_to_the_32_as_help_says_and_jax_does(string seed, string same)
    {
        var (exit, stdout, _) = Run("--seed", seed, "--ids", "0,3", "--vocab", "4", "--d-model", "3");
        var (_, expected, _) = Run("--seed", same, "--ids", "0,3", "--vocab", "4", "--d-model", "3");

        Assert.Equal(0, exit);
        Assert.Equal(expected, stdout);
        Assert.Equal(6, Lines(stdout).Length);
    }

    [Fact]
    public void Ids_come_from_a_file_or_standard_input_in_any_layout()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "[0,\n 1  2\r\n\t0.0 ]\n");
            var (fileExit, fromFile, _) = Run("--ids-file", file, "--vocab", "4", "--d-model", "3");
            var (stdinExit, fromStdin, _) = RunWithInput("2 1\n", "--ids-file", "-", "--vocab", "4", "--d-model", "3");

            Assert.Equal((0, 0), (fileExit, stdinExit));
            // Data/jax-vectors.json, embed_forward seed 0, vocab 4, d_model 3: rows 0, 1, 2 are the nine values of the default example.
            string[] rows = ["1.0040143", "-0.9063372", "-0.7481722", "-1.1713669", "-0.8712328", "0.5888381", "0.72392994", "-1.0255982", "1.661628"];
            Assert.Equal([.. rows, .. rows[..3]], Lines(fromFile));
            Assert.Equal([.. rows[6..9], .. rows[3..6]], Lines(fromStdin));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [LinuxFact]
    public void A_full_or_closed_stdout_is_a_one_line_error_and_exit_1()
    {
        foreach (string redirect in new[] { "> /dev/full", ">&-" })
        {
            var (exit, stdout, stderr) = RunInShell($"--ids 0,1,2 --vocab 4 --d-model 3 {redirect}");

            Assert.Equal(1, exit);
            Assert.Equal("", stdout);
            Assert.Single(stderr.TrimEnd().Split('\n'));
            Assert.StartsWith("error: cannot write the output: ", stderr);
            Assert.DoesNotContain("Unhandled exception", stderr);
        }
    }

    [LinuxFact]
    public void A_million_ids_from_a_file_print_in_bounded_memory_and_wide_rows_in_the_memory_of_three()
    {
        string many = Path.GetTempFileName(), few = Path.GetTempFileName();
        try
        {
            WriteIds(many, 1_000_000);
            WriteIds(few, 62_500);

            var (_, smallLines, smallPeak) = RunCounting(["--ids", "0,1,2", "--vocab", "1000", "--d-model", "16"]);
            var (_, manyLines, manyPeak) = RunCounting(["--ids-file", many, "--vocab", "1000", "--d-model", "16"]);
            var (_, wideLines, widePeak) = RunCounting(["--ids-file", few, "--vocab", "1000", "--d-model", "256"]);

            Assert.Equal([48L, 16_000_000L, 16_000_000L], [smallLines, manyLines, wideLines]);
            string peaks = $"peak memory: {smallPeak >> 20} MiB for 3 ids, {manyPeak >> 20} MiB for 1,000,000 ids x 16, {widePeak >> 20} MiB for 62,500 ids x 256";
            // Each large run prints 16 million values, about 170 MB of text; built as one string, it took several
            // times that. Streamed, a run keeps its ids (8 bytes each) and fixed buffers. Measured here: 151, 201 and
            // 209 MiB; the wide run's 58 MiB over three ids is warm-up (the GC's allocation budget, libtorch's and
            // malloc's pools), which stays put as the output grows (200 MiB for 250,000 ids x 256, four times the text).
            Assert.True(manyPeak - smallPeak < 128L << 20, peaks);
            Assert.True(widePeak - smallPeak < 96L << 20, peaks);
        }
        finally
        {
            File.Delete(many);
            File.Delete(few);
        }
    }

    private static void WriteIds(string path, int count)
    {
        using var writer = new StreamWriter(path);
        for (int i = 0; i < count; i++) writer.Write(i % 1000 == 999 ? "999\n" : $"{i % 1000},");
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static ProcessStartInfo Start(string[] args, bool redirectInput = false)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = redirectInput, UseShellExecute = false };
        start.ArgumentList.Add(EmbedForwardDll);
        foreach (string a in args) start.ArgumentList.Add(a);
        return start;
    }

    private static string EmbedForwardDll => Path.Combine(AppContext.BaseDirectory, "EmbedForward.dll");

    private static (int Exit, string Stdout, string Stderr) Run(params string[] args) => RunWithInput(null, args);

    private static (int Exit, string Stdout, string Stderr) RunWithInput(string? input, params string[] args) => Finish(Start(args, input is not null), input);

    // The shell applies the redirection (a file or a closed descriptor for stdout), as a user's command line would.
    private static (int Exit, string Stdout, string Stderr) RunInShell(string arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"exec dotnet '{EmbedForwardDll}' {arguments}");
        return Finish(start, null);
    }

    private static (int Exit, string Stdout, string Stderr) Finish(ProcessStartInfo start, string? input)
    {
        using Process process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        if (!process.WaitForExit(60_000)) { process.Kill(); throw new TimeoutException("EmbedForward did not finish in 60 s"); }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    // Counts the output's lines without keeping it, and follows the child's peak resident memory (VmHWM) while it runs.
    private static (int Exit, long Lines, long PeakBytes) RunCounting(string[] args)
    {
        using Process process = Process.Start(Start(args))!;
        var stderr = process.StandardError.ReadToEndAsync();
        var lines = Task.Run(() =>
        {
            long count = 0;
            var buffer = new char[1 << 16];
            int read;
            while ((read = process.StandardOutput.Read(buffer, 0, buffer.Length)) > 0)
                count += buffer.AsSpan(0, read).Count('\n');
            return count;
        });
        long peak = 0;
        while (!process.WaitForExit(20))
            peak = Math.Max(peak, PeakResident(process.Id));
        if (!lines.Wait(TimeSpan.FromMinutes(2))) throw new TimeoutException("EmbedForward's output did not end");
        Assert.True(process.ExitCode == 0, stderr.Result);
        return (process.ExitCode, lines.Result, peak);
    }

    private static long PeakResident(int pid)
    {
        try
        {
            string line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) ?? "";
            return long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1), out long kib) ? kib * 1024 : 0;
        }
        catch (IOException)
        {
            return 0;  // the process has just exited
        }
    }
}
