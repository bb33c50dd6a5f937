using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Nnx;

/// <summary>
/// Names of the temporary files a save writes next to its target (<c>.NAME.RANDOM.tmp</c>), and the removal of those a
/// killed save left behind. A name stays within the 255 bytes file systems allow, however long the target's name is.
/// </summary>
internal static partial class TemporaryFiles
{
    // NAME_MAX of Linux and macOS file systems, in UTF-8 bytes (NTFS counts 255 UTF-16 units, which is never less).
    private const int MaxNameBytes = 255;

    // "." + stem + "." + 16 hex digits + ".tmp"
    private const int OverheadBytes = 1 + 1 + 16 + 4;

    // A stem cut short ends with "~" and 16 hex digits of the full name's hash, so different long names stay apart.
    private const int HashSuffixBytes = 1 + 16;

    /// <summary>A fresh temporary name in the folder of <paramref name="target"/>.</summary>
    public static string NewNameFor(string target) =>
        Path.Combine(Path.GetDirectoryName(target)!, $".{Stem(Path.GetFileName(target))}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp");

    /// <summary>
    /// Deletes the temporary files of earlier saves to <paramref name="target"/> that no process is writing: a save
    /// holds an exclusive lock on its temporary file until it renames it, so one that opens here with an exclusive
    /// lock was left by a save that died.
    /// </summary>
    public static void DeleteStale(string target)
    {
        string folder = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(folder)) return;
        string stem = Stem(Path.GetFileName(target));
        foreach (string candidate in Directory.EnumerateFiles(folder, $".{stem}.*.tmp"))
        {
            string name = Path.GetFileName(candidate);
            if (!name.StartsWith($".{stem}.", StringComparison.Ordinal) || !RandomPart().IsMatch(name.AsSpan(stem.Length + 2))) continue;
            // Only regular files: a link or a FIFO under such a name was not made by a save, and opening a FIFO waits.
            if (FileTypes.Of(candidate, followLinks: false) != FileType.Regular) continue;
            try
            {
                using (new FileStream(candidate, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) File.Delete(candidate);
            }
            catch (IOException)
            {
                // Locked by a save in progress, or gone already.
            }
            catch (UnauthorizedAccessException)
            {
                // Someone else's file in a shared folder.
            }
        }
    }

    private static string Stem(string fileName)
    {
        if (Encoding.UTF8.GetByteCount(fileName) + OverheadBytes <= MaxNameBytes) return fileName;
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fileName)).AsSpan(0, 8));
        int budget = MaxNameBytes - OverheadBytes - HashSuffixBytes;
        int length = 0, bytes = 0;
        while (length < fileName.Length)
        {
            // Whole UTF-16 code points only, so a surrogate pair is never cut in half.
            int step = char.IsHighSurrogate(fileName[length]) && length + 1 < fileName.Length && char.IsLowSurrogate(fileName[length + 1]) ? 2 : 1;
            int stepBytes = Encoding.UTF8.GetByteCount(fileName.AsSpan(length, step));
            if (bytes + stepBytes > budget) break;
            length += step;
            bytes += stepBytes;
        }
        return $"{fileName[..length]}~{hash}";
    }

    [GeneratedRegex("^[0-9a-f]{16}\\.tmp$", RegexOptions.CultureInvariant)]
    private static partial Regex RandomPart();
}
