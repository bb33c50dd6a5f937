using Nnx.Generators.Helpers;

namespace Nnx.Generators.Models;

/// <summary>One declared member of a module, in declaration order; each kind below adds what it needs.</summary>
/// <param name="FieldName">The field, which is also the registered name and the state path segment.</param>
/// <param name="When">The condition under which the member exists, or null when it always does.</param>
internal abstract record MemberModel(string FieldName, ExprModel? When);

/// <summary>Where a key is drawn: a stream named in the declaration, or the stream an option names.</summary>
/// <param name="Code">A C# string literal, or the option's constructor parameter.</param>
/// <param name="Default">The stream name when it is known at compile time (the literal, or the option's default), else empty.</param>
internal sealed record StreamModel(string Code, string Default);

/// <summary><c>[Param]</c> or <c>[BatchStat]</c>: a variable created from an initializer.</summary>
/// <param name="IsParam">Param (trainable, draws a key) or BatchStat (a buffer, draws none).</param>
/// <param name="Shape">One size expression per axis.</param>
/// <param name="InitText">The <c>Init</c> as written, for documentation.</param>
/// <param name="InitCode">The C# expression that builds the initializer (a typed <c>Nnx.Initializers</c> call).</param>
/// <param name="InitArgument">The constructor argument that replaces the initializer, or empty.</param>
/// <param name="Stream">Param: where its key comes from.</param>
/// <param name="Dtype">The <c>ScalarType</c> member name.</param>
internal sealed record VariableModel(
    string FieldName, ExprModel? When, bool IsParam, EquatableArray<ExprModel> Shape, string InitText, string InitCode,
    string InitArgument, StreamModel? Stream, string Dtype) : MemberModel(FieldName, When);

/// <summary>One argument of a child's constructor: its parameter name and the parent's value for it.</summary>
/// <param name="Name">The child constructor's parameter.</param>
/// <param name="Value">The value, in the parent's terms.</param>
/// <param name="IsDimension">Whether the parameter is a dimension (a size, checked to be at least 1) rather than an option.</param>
/// <param name="ToInt32">Whether an integer value must be narrowed to an <c>int</c> parameter.</param>
/// <param name="Cast">A cast the value needs (<c>(float)</c>), or empty.</param>
internal sealed record ChildArgument(string Name, ExprModel Value, bool IsDimension, bool ToInt32, string Cast);

/// <summary>A tie of a child's parameter to another module's: <c>[Sub(Tied = "kernel=bar.kernel")]</c>.</summary>
/// <param name="ChildPath">The path below the child of the module owning the parameter (empty for the child itself).</param>
/// <param name="Variable">The parameter's name in that module.</param>
/// <param name="SourcePath">The shared parameter's path from the declaring module.</param>
internal sealed record TieModel(string ChildPath, string Variable, string SourcePath);

/// <summary><c>[Sub]</c> (one child) or <c>[Sub(Count = ...)]</c> (a <c>ModuleList</c>).</summary>
/// <param name="ChildType">The fully qualified child type.</param>
/// <param name="Count">For a list, the number of elements; null for a single child.</param>
/// <param name="Arguments">The child constructor's arguments besides <c>rngs</c> and <c>paramDtype</c>, by name.</param>
/// <param name="TakesParamDtype">Whether the child's constructor has a <c>paramDtype</c> argument.</param>
/// <param name="Ties">Parameters of the child (of every element) tied to another module's.</param>
internal sealed record SubModel(
    string FieldName, ExprModel? When, string ChildType, ExprModel? Count, EquatableArray<ChildArgument> Arguments,
    bool TakesParamDtype, EquatableArray<TieModel> Ties) : MemberModel(FieldName, When);

/// <summary><c>[Tied("path")]</c>: the field is the same object as the parameter at <paramref name="Path"/>.</summary>
internal sealed record TiedModel(string FieldName, string Path) : MemberModel(FieldName, null);

/// <summary><c>[Fork("stream")]</c>: a stream of the module's own, forked from the constructor's <c>Rngs</c>.</summary>
internal sealed record ForkModel(string FieldName, ExprModel? When, StreamModel Stream) : MemberModel(FieldName, When);
