using System;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// Declares a trainable parameter of a generated module: <c>[Param(Shape = "vocab,dModel", Init = "normal")]</c>
/// on a <c>Parameter</c> field of a <c>partial</c> class.
/// </summary>
/// <remarks>
/// The source generator turns every dimension name of <see cref="Shape"/> into a constructor argument and creates
/// the parameter from one key of the <see cref="Rng"/> stream, in declaration order, as Flax NNX's
/// <c>nnx.Param(init(rngs.params(), shape))</c> would.
/// </remarks>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class ParamAttribute : Attribute
{
    /// <summary>Comma-separated dimensions: identifiers (<c>vocab</c>) or positive integer literals (<c>64</c>).</summary>
    public string Shape { get; set; } = "";

    /// <summary>Initializer, named as in <c>jax.nn.initializers</c>: <c>normal</c>, <c>normal(0.02)</c>, <c>zeros</c>, ...</summary>
    public string Init { get; set; } = "normal";

    /// <summary>The <see cref="Rngs"/> stream the key is drawn from; <c>params</c> by default.</summary>
    public string Rng { get; set; } = "params";

    /// <summary>
    /// The parameter's element type (<c>param_dtype</c> in NNX); <c>Float32</c> by default. The generated constructor's
    /// <c>paramDtype</c> argument, when given, overrides it.
    /// </summary>
    public ScalarType Dtype { get; set; } = ScalarType.Float32;
}
