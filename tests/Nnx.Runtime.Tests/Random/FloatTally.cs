using System;
using Xunit.Abstractions;

namespace Nnx.Runtime.Tests;

/// <summary>Counts bit-identical float32 values against expected ones; every value must be bit-identical.</summary>
internal sealed class FloatTally(string section)
{
    public int Total { get; private set; }
    public int Exact { get; private set; }
    public long Worst { get; private set; }
    private int _firstMiss = -1;
    private float _expected, _actual;

    public void Add(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            long ulp = JaxVectors.UlpDistance(expected[i], actual[i]);
            if (ulp == 0) Exact++;
            else if (_firstMiss < 0) (_firstMiss, _expected, _actual) = (Total, expected[i], actual[i]);
            Total++;
            Worst = Math.Max(Worst, ulp);
        }
    }

    /// <summary>Prints the counts and asserts that all of at least <paramref name="minimumValues"/> values are bit-identical.</summary>
    public void Report(ITestOutputHelper output, int minimumValues)
    {
        output.WriteLine($"{section}: {Exact}/{Total} bit-identical, worst {Worst} ulp");
        Assert.True(Total >= minimumValues, $"{section}: only {Total} values compared, expected at least {minimumValues}");
        Assert.True(Exact == Total,
            $"{section}: {Exact}/{Total} bit-identical, worst {Worst} ulp; first difference at value {_firstMiss}: expected {_expected:R}, got {_actual:R}");
    }
}
