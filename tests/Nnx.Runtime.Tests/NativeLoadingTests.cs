using System;
using System.IO;
using System.Linq;
using Nnx.Build;
using TorchSharp;

namespace Nnx.Runtime.Tests;

/// <summary>TorchSharp's native shim loads because the build marks its unused GLIBCXX_3.4.32 need weak.</summary>
public class NativeLoadingTests
{
    private static readonly string[] Target = ["GLIBCXX_3.4.32"];

    [Fact]
    public void Libtorch_loads_and_computes()
    {
        torch.InitializeDeviceType(DeviceType.CPU);
        using var t = torch.arange(5).sum();

        Assert.Equal(10, t.item<long>());
    }

    [Fact]
    public void The_copy_in_the_output_folder_is_patched_and_the_package_cache_is_not()
    {
        string output = OutputCopy();
        string? original = PackageCopy();

        ElfVersionPatch.Result ours = ElfVersionPatch.Patch(File.ReadAllBytes(output), Target);
        Assert.Equal(Target, ours.AlreadyWeak);
        if (original is not null)
        {
            ElfVersionPatch.Result cached = ElfVersionPatch.Patch(File.ReadAllBytes(original), Target);
            Assert.Equal(Target, cached.Marked);
        }
    }

    [Fact]
    public void Patching_changes_one_flag_byte_and_is_idempotent()
    {
        string? original = PackageCopy();
        if (original is null) return;
        byte[] bytes = File.ReadAllBytes(original);
        byte[] patched = (byte[])bytes.Clone();

        ElfVersionPatch.Result first = ElfVersionPatch.Patch(patched, ElfVersionPatch.DefaultVersions);
        byte[] again = (byte[])patched.Clone();
        ElfVersionPatch.Result second = ElfVersionPatch.Patch(again, ElfVersionPatch.DefaultVersions);

        Assert.Equal(Target, first.Marked);
        Assert.Single(Enumerable.Range(0, bytes.Length), i => bytes[i] != patched[i]);
        Assert.Empty(second.Marked);
        Assert.Equal(patched, again);
    }

    [Fact]
    public void Patching_a_file_in_place_replaces_it_rather_than_writing_through_a_hard_link()
    {
        string? original = PackageCopy();
        if (original is null) return;
        string dir = Directory.CreateTempSubdirectory("nnx-elf").FullName;
        try
        {
            string copy = Path.Combine(dir, "libLibTorchSharp.so");
            File.Copy(original, copy);

            ElfVersionPatch.Result result = ElfVersionPatch.PatchFile(copy, ElfVersionPatch.DefaultVersions);

            Assert.Equal(Target, result.Marked);
            Assert.Equal(Target, ElfVersionPatch.Patch(File.ReadAllBytes(copy), Target).AlreadyWeak);
            Assert.Equal(File.ReadAllBytes(original).Length, new FileInfo(copy).Length);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(63)]
    public void A_truncated_or_foreign_file_is_reported_not_patched(int length)
    {
        byte[] bytes = new byte[length];
        if (length > 3) { bytes[0] = 0x7f; bytes[1] = (byte)'E'; bytes[2] = (byte)'L'; bytes[3] = (byte)'F'; }

        Assert.Throws<InvalidDataException>(() => ElfVersionPatch.Patch(bytes, Target));
    }

    [Fact]
    public void Section_headers_pointing_past_the_end_are_reported()
    {
        string? original = PackageCopy();
        if (original is null) return;
        byte[] bytes = File.ReadAllBytes(original)[..4096];

        var e = Assert.Throws<InvalidDataException>(() => ElfVersionPatch.Patch(bytes, Target));

        Assert.Contains("outside", e.Message);
    }

    private static string OutputCopy()
    {
        string dir = AppContext.BaseDirectory;
        string[] candidates = [Path.Combine(dir, "libLibTorchSharp.so"), Path.Combine(dir, "runtimes", "linux-x64", "native", "libLibTorchSharp.so")];
        return candidates.First(File.Exists);
    }

    // The pristine file in the NuGet cache, when this machine has one.
    private static string? PackageCopy()
    {
        string root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string path = Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        return File.Exists(path) ? path : null;
    }
}
