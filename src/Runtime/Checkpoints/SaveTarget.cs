using System;
using System.IO;

namespace Nnx;

/// <summary>
/// The file a save really replaces, and the permissions the new file takes over from it. A symbolic link is followed,
/// so the file it points to is replaced and the link stays; an existing target must be a regular file the user may
/// write to (a read-only file is a deliberate "do not overwrite").
/// </summary>
/// <param name="Path">The absolute path of the file to create or replace, symbolic links resolved.</param>
/// <param name="Mode">The existing file's permissions (Unix), or null for a new file, which gets the default ones.</param>
internal sealed record SaveTarget(string Path, UnixFileMode? Mode)
{
    /// <exception cref="IOException">The target is a directory, a FIFO, a device or anything but a regular file.</exception>
    /// <exception cref="UnauthorizedAccessException">The target is read-only.</exception>
    public static SaveTarget Resolve(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        string target = new FileInfo(full).LinkTarget is null ? full : File.ResolveLinkTarget(full, returnFinalTarget: true)!.FullName;
        string shown = target == full ? $"'{path}'" : $"'{path}' (a link to '{target}')";

        FileType? type = FileTypes.Of(target, followLinks: false);
        if (type is null) return new SaveTarget(target, null);
        if (type != FileType.Regular)
            throw new IOException($"Cannot save to {shown}: it is {FileTypes.Describe(type.Value)}, not a regular file. Choose a file path.");

        if (OperatingSystem.IsWindows())
        {
            if (File.GetAttributes(target).HasFlag(FileAttributes.ReadOnly))
                throw new UnauthorizedAccessException($"Cannot save to {shown}: the file is read-only. Clear its read-only attribute to replace it, or save under another name.");
            return new SaveTarget(target, null);
        }
        UnixFileMode mode = File.GetUnixFileMode(target);
        if (!IsWritable(target, mode))
            throw new UnauthorizedAccessException(
                $"Cannot save to {shown}: the file is read-only (mode {Octal(mode)}). Make it writable (chmod u+w) to replace it, or save under another name.");
        return new SaveTarget(target, mode);
    }

    // The mode bits, because the superuser may open anything for writing; the open, because the bits alone do not say
    // whether this user may write (owner, group and others differ).
    private static bool IsWritable(string target, UnixFileMode mode)
    {
        if ((mode & (UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) == 0) return false;
        try
        {
            using (File.OpenHandle(target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)) return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
