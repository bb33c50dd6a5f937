using System;
using System.Globalization;

namespace Nnx;

/// <summary>Byte counts as messages show them.</summary>
internal static class ByteCount
{
    private static readonly string[] Units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

    /// <summary><c>512 bytes</c>, <c>1.5 GiB</c>, <c>37 TiB</c>: three significant digits at most.</summary>
    public static string Format(double bytes)
    {
        int unit = 0;
        while (bytes >= 1024 && unit < Units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }
        string number = unit == 0 || bytes >= 100 ? Math.Round(bytes).ToString("0", CultureInfo.InvariantCulture)
            : bytes.ToString(bytes >= 10 ? "0.#" : "0.##", CultureInfo.InvariantCulture);
        return $"{number} {Units[unit]}";
    }
}
