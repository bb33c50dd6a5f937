using System;
using Xunit.Abstractions;

namespace Nnx.Runtime.Tests;

/// <summary>Counts bit-identical float32 values against expected ones and holds them to the standard.</summary>
internal sealed class FloatTally(string section)
{
    public int Total { get; private set; }
    public int Exact { get; private set; }
    public long Worst { get; private set; }

    public void Add(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            long ulp = JaxVectors.UlpDistance(expected[i], actual[i]);
            Total++;
            if (ulp == 0) Exact++;
            Worst = Math.Max(Worst, ulp);
        }
    }

    /// <summary>Prints the counts and asserts: at least 99 % bit-identical, none further than 4 ulp.</summary>
    public void Report(ITestOutputHelper output, int minimumValues)
    {
        output.WriteLine($"{section}: {Exact}/{Total} bit-identical, worst {Worst} ulp");
        Assert.True(Total >= minimumValues, $"{section}: only {Total} values compared, expected at least {minimumValues}");
        Assert.True(Exact >= 0.99 * Total, $"{section}: {Exact}/{Total} bit-identical");
        Assert.True(Worst <= 4, $"{section}: worst difference {Worst} ulp");
    }
}
