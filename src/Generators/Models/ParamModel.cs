using Nnx.Generators.Helpers;
using Nnx.Generators.Shared;

namespace Nnx.Generators.Models;

/// <summary>One <c>[Param]</c> field, reduced to the strings and numbers the emitter needs.</summary>
/// <param name="FieldName">The field's name, which is also its state path and registered name.</param>
/// <param name="Ordinal">Position among the type's fields, so parameters are created in declaration order.</param>
/// <param name="Shape">The parsed <c>Shape</c>.</param>
/// <param name="Init">The <c>Init</c> text, parsed by the runtime.</param>
/// <param name="Rng">The RNG stream the key is drawn from.</param>
internal sealed record ParamModel(string FieldName, int Ordinal, EquatableArray<ShapeDim> Shape, string Init, string Rng);
