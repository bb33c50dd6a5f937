using System;

namespace Nnx.Runtime.Tests.Lookup;

/// <summary>The vectorised id range scan against its scalar twin.</summary>
public unsafe class IdScanTests
{
    [Fact]
    public void Vector_scan_finds_the_same_first_bad_id_as_the_scalar_scan()
    {
        var random = new Random(8);
        for (int trial = 0; trial < 500; trial++)
        {
            int count = random.Next(0, 70);
            long vocab = random.Next(1, 100);
            long[] ids64 = new long[count];
            int[] ids32 = new int[count];
            for (int i = 0; i < count; i++)
            {
                // Mostly in range, sometimes negative, past the end, or far out (sign bit set in Int32).
                long id = random.Next(10) switch { 0 => -random.Next(1, 5), 1 => vocab + random.Next(0, 3), 2 => int.MinValue, _ => random.Next(0, (int)vocab) };
                ids64[i] = id;
                ids32[i] = (int)id;
            }
            fixed (long* p64 = ids64)
            fixed (int* p32 = ids32)
            {
                Assert.Equal(IdScan.FirstOutOfRangeScalar(p64, count, vocab), IdScan.FirstOutOfRange(p64, count, vocab));
                Assert.Equal(IdScan.FirstOutOfRangeScalar(p32, count, vocab), IdScan.FirstOutOfRange(p32, count, vocab));
            }
        }
    }

    [Fact]
    public void Scalar_scan_treats_negative_and_too_large_ids_as_bad()
    {
        long[] ids = [0, 4, 5, -1];
        fixed (long* p = ids)
        {
            Assert.Equal(2, IdScan.FirstOutOfRangeScalar(p, 4, 5));
            Assert.Equal(3, IdScan.FirstOutOfRangeScalar(p, 4, 6));
            Assert.Equal(-1, IdScan.FirstOutOfRangeScalar(p, 2, 5));
        }
    }

    [Fact]
    public void Int32_ids_against_a_vocabulary_above_2_pow_31_only_reject_negatives()
    {
        int[] ids = [int.MaxValue, 0, -3];
        fixed (int* p = ids)
        {
            Assert.Equal(2, IdScan.FirstOutOfRange(p, 3, 1L << 40));
            Assert.Equal(2, IdScan.FirstOutOfRangeScalar(p, 3, 1L << 40));
        }
    }
}
