using System;
using System.Globalization;

namespace EmbedForward;

/// <summary>
/// Refuses a table that cannot fit in memory before libtorch is asked for it: libtorch would answer with a page of C++
/// stack frames, or, where memory is overcommitted, hand out the pages and have the process killed while filling them.
/// </summary>
internal static class TableSize
{
    /// <exception cref="UsageException">The <c>vocab x dModel</c> float32 table is larger than the machine's memory.</exception>
    public static void Check(long vocab, long dModel) => Check(vocab, dModel, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);

    /// <summary>The check against a given amount of memory, in bytes.</summary>
    public static void Check(long vocab, long dModel, long memory)
    {
        // Int128: 2^63 x 2^63 x 4 bytes overflows a long.
        Int128 bytes = (Int128)vocab * dModel * sizeof(float);
        if (bytes > memory)
            throw new UsageException(
                $"a {vocab} x {dModel} float32 table needs {Format((double)bytes)}, more than the {Format(memory)} of memory this machine has; lower --vocab or --d-model");
    }

    /// <summary><c>37 TiB</c>, <c>1.5 GiB</c>, <c>512 bytes</c>: at most three significant digits.</summary>
    public static string Format(double bytes)
    {
        string[] units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];
        int unit = 0;
        while (bytes >= 1024 && unit < units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }
        string number = unit == 0 || bytes >= 100 ? Math.Round(bytes).ToString("0", CultureInfo.InvariantCulture)
            : bytes.ToString(bytes >= 10 ? "0.#" : "0.##", CultureInfo.InvariantCulture);
        return $"{number} {units[unit]}";
    }
}
