using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.Versioning;
using System.Text;
using System.Threading.Tasks;
using Nnx.Runtime.Tests.StateTests;

namespace Nnx.Runtime.Tests.CheckpointTests;

/// <summary>
/// Saves and loads against real files of every kind the file system has: modes, symbolic links, read-only files,
/// leftovers of killed saves, names of up to 255 bytes, FIFOs, devices and directories.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class CheckpointFileSystemTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static void Save(string path, float start)
    {
        using var module = new Table(2, 3, start);
        module.SaveCheckpoint(path);
    }

    private static float FirstValue(string path)
    {
        using CheckpointContents contents = Checkpoint.LoadTensors(path);
        return contents.Tensors["embedding"].data<float>()[0];
    }

    private string[] LeftOvers() => Directory.GetFiles(_folder.Root, "*.tmp").Select(f => Path.GetFileName(f)).ToArray();

    [LinuxFact]
    public void Saving_over_a_private_file_keeps_it_private()
    {
        string path = _folder.File("secret.safetensors");
        Save(path, 1);
        File.SetUnixFileMode(path, Private);

        Save(path, 2);

        Assert.Equal(Private, File.GetUnixFileMode(path));
        Assert.Equal(2f, FirstValue(path));
    }

    [LinuxFact]
    public void A_new_file_gets_the_permissions_of_any_new_file()
    {
        string path = _folder.File("new.safetensors");
        string plain = _folder.File("plain.txt");
        File.WriteAllText(plain, "");

        Save(path, 1);

        Assert.Equal(File.GetUnixFileMode(plain), File.GetUnixFileMode(path));
    }

    [LinuxFact]
    public void Saving_through_a_symbolic_link_replaces_the_file_it_points_to_and_keeps_the_link()
    {
        string target = _folder.File("real.safetensors");
        string link = _folder.File("link.safetensors");
        Save(target, 1);
        File.SetUnixFileMode(target, Private);
        File.CreateSymbolicLink(link, "real.safetensors");

        Save(link, 2);

        Assert.Equal("real.safetensors", new FileInfo(link).LinkTarget);
        Assert.Equal(2f, FirstValue(target));
        Assert.Equal(Private, File.GetUnixFileMode(target));
        Assert.Empty(LeftOvers());
    }

    [LinuxFact]
    public void Saving_through_a_dangling_link_creates_the_file_it_names()
    {
        string link = _folder.File("link.safetensors");
        File.CreateSymbolicLink(link, "later.safetensors");

        Save(link, 3);

        Assert.Equal(3f, FirstValue(_folder.File("later.safetensors")));
        Assert.NotNull(new FileInfo(link).LinkTarget);
    }

    [LinuxFact]
    public void A_read_only_file_is_refused_and_left_as_it_was()
    {
        string path = _folder.File("frozen.safetensors");
        Save(path, 1);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        byte[] before = File.ReadAllBytes(path);

        var e = Assert.Throws<UnauthorizedAccessException>(() => Save(path, 2));

        Assert.Contains($"Cannot save to '{path}': the file is read-only (mode 0444)", e.Message);
        Assert.Contains("chmod u+w", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Empty(LeftOvers());
    }

    [LinuxFact]
    public void A_directory_or_a_fifo_is_not_replaced_by_a_save()
    {
        string folder = _folder.File("folder.safetensors");
        Directory.CreateDirectory(folder);
        string fifo = MakeFifo("pipe.safetensors");

        var onFolder = Assert.Throws<IOException>(() => Save(folder, 1));
        var onFifo = Assert.Throws<IOException>(() => Save(fifo, 1));

        Assert.Contains("it is a directory, not a regular file", onFolder.Message);
        Assert.Contains("it is a named pipe (FIFO), not a regular file", onFifo.Message);
        Assert.True(Directory.Exists(folder));
        Assert.Equal(FileType.Fifo, FileTypes.Of(fifo, followLinks: false));
    }

    [Fact]
    public void A_save_into_a_missing_folder_names_the_folder()
    {
        string path = _folder.File(Path.Combine("missing", "model.safetensors"));

        var e = Assert.Throws<DirectoryNotFoundException>(() => Save(path, 1));

        Assert.Equal($"Cannot save to '{path}': the folder '{_folder.File("missing")}' does not exist.", e.Message);
    }

    [Fact]
    public void The_next_save_removes_what_a_killed_save_left_behind()
    {
        string path = _folder.File("model.safetensors");
        // What a save killed between writing and renaming leaves: a hidden, full-size temporary file.
        string stale = _folder.File(".model.safetensors.0123456789abcdef.tmp");
        File.WriteAllBytes(stale, new byte[1 << 20]);

        Save(path, 1);

        Assert.False(File.Exists(stale));
        Assert.Equal(1f, FirstValue(path));
    }

    [Fact]
    public void A_save_in_progress_and_files_of_other_names_keep_their_temporary_files()
    {
        string path = _folder.File("model.safetensors");
        string[] others =
        [
            ".other.safetensors.0123456789abcdef.tmp",  // another checkpoint's
            ".model.safetensors.tmp",                    // not a save's name
            ".model.safetensors.0123.tmp",
            ".model.safetensors.0123456789ABCDEF.tmp",
        ];
        foreach (string other in others) File.WriteAllText(_folder.File(other), "keep");
        string running = _folder.File(".model.safetensors.fedcba9876543210.tmp");

        // A save in progress holds its temporary file open with an exclusive lock until it renames it.
        using (new FileStream(running, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            Save(path, 1);

        Assert.True(File.Exists(running));
        Assert.All(others, other => Assert.True(File.Exists(_folder.File(other)), other));
    }

    public static TheoryData<string> LongNames() =>
    [
        new string('a', 217) + ".st",                                  // 220 bytes: the temporary name used to be too long
        new string('b', 251) + ".st",                                  // 254 bytes
        new string('c', 252) + ".st",                                  // 255 bytes, the most a name may have
        string.Concat(Enumerable.Repeat("é", 125)) + "xy.st",         // 255 bytes in 130 characters
        string.Concat(Enumerable.Repeat("\U0001F600", 62)) + "abcd.st", // 255 bytes of surrogate pairs and ASCII
    ];

    [Theory]
    [MemberData(nameof(LongNames))]
    public void Any_name_the_file_system_takes_can_be_saved_twice_and_loaded(string name)
    {
        Assert.True(Encoding.UTF8.GetByteCount(name) <= 255);
        string path = _folder.File(name);

        Save(path, 1);
        Save(path, 2);

        Assert.Equal(2f, FirstValue(path));
        Assert.Equal([name], Directory.GetFiles(_folder.Root).Select(f => Path.GetFileName(f)).ToArray());
    }

    [Fact]
    public void Leftovers_of_two_long_names_that_share_their_beginning_keep_apart()
    {
        string first = _folder.File(new string('a', 250) + "-1.st");
        string second = _folder.File(new string('a', 250) + "-2.st");
        string leftOfSecond = TemporaryFiles.NewNameFor(second);
        File.WriteAllText(leftOfSecond, "stale");

        Save(first, 1);
        bool keptBySaveOfFirst = File.Exists(leftOfSecond);
        Save(second, 2);

        Assert.True(keptBySaveOfFirst);
        Assert.False(File.Exists(leftOfSecond));
        Assert.True(Encoding.UTF8.GetByteCount(Path.GetFileName(leftOfSecond)) <= 255);
        Assert.Equal(1f, FirstValue(first));
        Assert.Equal(2f, FirstValue(second));
    }

    [LinuxFact]
    public async Task Loading_a_fifo_is_refused_at_once_instead_of_waiting_for_a_writer()
    {
        string fifo = MakeFifo("pipe.safetensors");
        using var module = new Table(2, 3, 0);

        Task<Exception> load = Task.Run(() => Record.Exception(() => module.LoadCheckpoint(fifo)));
        Task<Exception> tensors = Task.Run(() => Record.Exception(() => Checkpoint.LoadTensors(fifo)));
        Task finished = Task.WhenAll(load, tensors);
        Assert.Same(finished, await Task.WhenAny(finished, Task.Delay(TimeSpan.FromSeconds(20))));

        foreach (Exception? e in new[] { load.Result, tensors.Result })
        {
            var format = Assert.IsType<CheckpointFormatException>(e);
            Assert.Equal(fifo, format.FilePath);
            Assert.Contains("it is a named pipe (FIFO); checkpoints are read from regular files", format.Message);
        }
    }

    [LinuxFact]
    public void Loading_a_device_or_a_directory_is_refused()
    {
        var device = Assert.Throws<CheckpointFormatException>(() => Checkpoint.LoadTensors("/dev/zero"));
        var folder = Assert.Throws<CheckpointFormatException>(() => Checkpoint.LoadTensors(_folder.Root));

        Assert.Contains("it is a character device", device.Message);
        Assert.Contains("it is a directory", folder.Message);
    }

    [Fact]
    public void A_missing_file_is_a_file_not_found_error_naming_it()
    {
        string path = _folder.File("absent.safetensors");

        var e = Assert.Throws<FileNotFoundException>(() => Checkpoint.LoadTensors(path));

        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_tensor_larger_than_the_machine_is_refused_before_anything_is_allocated()
    {
        long memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        long elements = memory / 4 + 1024;
        string header = $$$"""{"embedding":{"dtype":"F32","shape":[{{{elements}}}],"data_offsets":[0,{{{elements * 4}}}]}}""";
        string path = _folder.File("huge.safetensors");
        using (var file = new FileStream(path, FileMode.CreateNew))
        {
            file.Write(SafetensorsFiles.Build(header, []));
            // Sparse: the data buffer takes no disk space.
            file.SetLength(file.Length + elements * 4);
        }

        var e = Assert.Throws<InsufficientMemoryException>(() => Checkpoint.LoadTensors(path));

        Assert.StartsWith($"{path}: tensor 'embedding' (float32[{elements}], ", e.Message);
        Assert.Contains("is larger than this machine's", e.Message);
        Assert.DoesNotContain("frame #", e.Message);
    }

    private string MakeFifo(string name)
    {
        string path = _folder.File(name);
        using Process mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }
}
