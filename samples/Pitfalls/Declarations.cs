using Nnx;
using TorchSharp.Modules;

namespace Pitfalls;

/// <summary>NNX0003: a Shape the generator cannot turn into a constructor.</summary>
public partial class BadShape
{
    [Param(Shape = "vocab,,dModel")] // expect: NNX0003
    private Parameter embedding;
}

/// <summary>NNX0004: an Init that is not a jax.nn.initializers name.</summary>
public partial class BadInit
{
    [Param(Shape = "vocab,dModel", Init = "gaussian(0.02)")] // expect: NNX0004
    private Parameter embedding;
}

/// <summary>NNX0005: the generator cannot add the constructor to a class that is not partial.</summary>
public class NotPartial
{
    [Param(Shape = "vocab,dModel")] // expect: NNX0005
    private Parameter embedding;
}
