using System;
using Pitfalls;

// Never runs: the build stops at the NNX errors. It references the pitfalls so they read as a program would use them.
Console.WriteLine(FloatIds.Run());
Console.WriteLine(OutOfRange.Run());
