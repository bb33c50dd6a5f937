using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Nnx;

/// <summary>What kind of file system object a path names: <c>S_IFMT</c> of its mode.</summary>
internal enum FileType
{
    Regular,
    Directory,
    Fifo,
    Socket,
    CharacterDevice,
    BlockDevice,
    SymbolicLink,
    Unknown,
}

/// <summary>
/// File types and a non-blocking open, which .NET does not expose: opening a named pipe (FIFO) for reading blocks
/// until some process writes to it, so a checkpoint loader must learn what a path is before it can wait on it. On
/// Linux this asks the kernel (<c>open</c> with <c>O_NONBLOCK</c>, then <c>statx</c> on the open descriptor, so the
/// answer is about the file actually opened); elsewhere it falls back to what .NET can tell (directories only).
/// </summary>
internal static unsafe partial class FileTypes
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1;
    private const int OpenReadOnly = 0;
    private const int OpenNonBlocking = 0x800;
    private const int OpenCloseOnExec = 0x80000;
    private const int NoSuchFile = 2;
    private const int NotPermitted = 1;
    private const int AccessDenied = 13;

    // struct statx has one layout on every Linux architecture (linux/stat.h): 16-bit stx_mode at byte 28, 256 bytes.
    private const int StatxModeOffset = 28;
    private const int StatxSize = 256;

    /// <summary>A description for messages: "a named pipe (FIFO)".</summary>
    public static string Describe(FileType type) => type switch
    {
        FileType.Regular => "a regular file",
        FileType.Directory => "a directory",
        FileType.Fifo => "a named pipe (FIFO)",
        FileType.Socket => "a socket",
        FileType.CharacterDevice => "a character device",
        FileType.BlockDevice => "a block device",
        FileType.SymbolicLink => "a symbolic link",
        _ => "not a regular file",
    };

    /// <summary>The type of what <paramref name="path"/> names, or null when nothing is there.</summary>
    /// <param name="path">The path.</param>
    /// <param name="followLinks">Whether a symbolic link is followed (true) or reported as one.</param>
    public static FileType? Of(string path, bool followLinks)
    {
        if (!OperatingSystem.IsLinux())
        {
            var info = new FileInfo(path);
            if (!followLinks && info.LinkTarget is not null) return FileType.SymbolicLink;
            return Directory.Exists(path) ? FileType.Directory : File.Exists(path) ? FileType.Regular : null;
        }
        byte* buffer = stackalloc byte[StatxSize];
        if (statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxType, buffer) == 0) return TypeOf(buffer);
        int error = Marshal.GetLastPInvokeError();
        if (error == NoSuchFile) return null;
        throw Error(path, error);
    }

    /// <summary>
    /// Opens <paramref name="path"/> for reading without waiting on a FIFO, and returns the handle with the type of
    /// the file it opened (off Linux, a directory gets an empty handle). Throws as <see cref="File.OpenHandle"/> does
    /// when the path cannot be opened.
    /// </summary>
    public static (SafeFileHandle Handle, FileType Type) OpenForReading(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            if (Directory.Exists(path)) return (new SafeFileHandle(), FileType.Directory);
            return (File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read), FileType.Regular);
        }
        int descriptor = open(path, OpenReadOnly | OpenNonBlocking | OpenCloseOnExec);
        if (descriptor < 0) throw Error(path, Marshal.GetLastPInvokeError());
        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        byte* buffer = stackalloc byte[StatxSize];
        if (statx(descriptor, "", AtEmptyPath, StatxType, buffer) != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            handle.Dispose();
            throw Error(path, error);
        }
        return (handle, TypeOf(buffer));
    }

    private static FileType TypeOf(byte* statxBuffer) => (*(ushort*)(statxBuffer + StatxModeOffset) & 0xF000) switch
    {
        0x8000 => FileType.Regular,
        0x4000 => FileType.Directory,
        0x1000 => FileType.Fifo,
        0xC000 => FileType.Socket,
        0x2000 => FileType.CharacterDevice,
        0x6000 => FileType.BlockDevice,
        0xA000 => FileType.SymbolicLink,
        _ => FileType.Unknown,
    };

    // The exceptions .NET's own file APIs throw for the same errors, with the same kind of message.
    private static Exception Error(string path, int error) => error switch
    {
        NoSuchFile => new FileNotFoundException($"Could not find file '{path}'.", path),
        NotPermitted or AccessDenied => new UnauthorizedAccessException($"Access to the path '{path}' is denied."),
        _ => new IOException($"{path}: {Marshal.GetPInvokeErrorMessage(error)}", error),
    };

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int directory, string path, int flags, uint mask, byte* buffer);
}
