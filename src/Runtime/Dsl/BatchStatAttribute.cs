using System;
using static TorchSharp.torch;

namespace Nnx;

/// <summary>
/// Declares non-trainable state of a generated module, as Flax NNX's <c>nnx.BatchStat</c>:
/// <c>[BatchStat(Shape = "features", Init = "zeros")]</c> on a <c>Tensor</c> field of a <c>partial</c> class.
/// </summary>
/// <remarks>
/// The tensor is registered as a persistent buffer: it is left out of <c>parameters()</c> (optimizers never see it) but
/// is part of <c>state_dict()</c>, checkpoints and the NNX state (kind <see cref="VariableKind.BatchStat"/>). Like
/// NNX's <c>nnx.BatchStat(jnp.zeros(...))</c> it draws no RNG key, so its initial value must be deterministic:
/// <c>zeros</c>, <c>ones</c> or <c>constant(c)</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class BatchStatAttribute : Attribute
{
    /// <summary>Comma-separated sizes, as <see cref="ParamAttribute.Shape"/>.</summary>
    public string Shape { get; set; } = "";

    /// <summary>The initial value: <c>zeros</c> (the default), <c>ones</c> or <c>constant(c)</c>.</summary>
    public string Init { get; set; } = "zeros";

    /// <summary>The element type of the buffer; <c>Float32</c> by default.</summary>
    public ScalarType Dtype { get; set; } = ScalarType.Float32;

    /// <summary>A condition over the module's options, as <see cref="ParamAttribute.When"/>.</summary>
    public string When { get; set; } = "";
}
