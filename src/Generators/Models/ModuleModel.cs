using Nnx.Generators.Helpers;

namespace Nnx.Generators.Models;

/// <summary>Everything the emitter writes for one module type; holds no symbols or syntax, so it caches by value.</summary>
/// <param name="Type">Namespace and declaration chain.</param>
/// <param name="AddsBaseType">Whether the generated part declares <c>: global::Nnx.Module</c> (the user declared no base).</param>
/// <param name="Params">The <c>[Param]</c> fields in declaration order.</param>
internal sealed record ModuleModel(TypeModel Type, bool AddsBaseType, EquatableArray<ParamModel> Params);

/// <summary>One <c>[Param]</c> field found by the pipeline, with the module it belongs to.</summary>
internal sealed record ParamFieldModel(TypeModel Type, bool AddsBaseType, ParamModel Param);
