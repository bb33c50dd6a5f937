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
    /// <summary>
    /// Comma-separated sizes: dimension names (<c>vocab</c>), positive integers (<c>64</c>), or integer arithmetic over
    /// dimensions and integer options (<c>4*dModel</c>, <c>dModel/numHeads</c>, <c>(a+b)*2</c>). A division that is not
    /// exact, or a size below 1, is an error when the module is constructed, naming the values.
    /// </summary>
    public string Shape { get; set; } = "";

    /// <summary>Initializer, named as in <c>jax.nn.initializers</c>: <c>normal</c>, <c>normal(0.02)</c>, <c>zeros</c>, ...</summary>
    public string Init { get; set; } = "normal";

    /// <summary>
    /// The <see cref="Rngs"/> stream the key is drawn from; <c>params</c> by default. The name of a <c>string</c>
    /// <c>[Option]</c> of the module takes the stream name from that option.
    /// </summary>
    public string Rng { get; set; } = "params";

    /// <summary>
    /// The parameter's element type (<c>param_dtype</c> in NNX); <c>Float32</c> by default. The generated constructor's
    /// <c>paramDtype</c> argument, when given, overrides it.
    /// </summary>
    public ScalarType Dtype { get; set; } = ScalarType.Float32;

    /// <summary>
    /// A condition over the module's options (<c>"useBias"</c>, <c>"!useScale"</c>, <c>"rate &gt; 0"</c>): the parameter
    /// exists, and draws its key, only when it holds, as NNX's <c>if use_bias: self.bias = nnx.Param(...)</c>. The field
    /// is null otherwise, so declare it nullable (<c>Parameter? bias</c>).
    /// </summary>
    public string When { get; set; } = "";
}
