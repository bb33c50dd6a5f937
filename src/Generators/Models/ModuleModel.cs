using Nnx.Generators.Helpers;

namespace Nnx.Generators.Models;

/// <summary>How the generated part relates to the module's base class.</summary>
internal enum BaseKind
{
    /// <summary>The user declared no base: the generated part adds <see cref="ModuleModel.BaseType"/>.</summary>
    Added,

    /// <summary>The user declared an Nnx base (<c>Nnx.Module</c> or <c>Nnx.Module&lt;T, TResult&gt;</c>); nothing is added.</summary>
    Declared,

    /// <summary>The user derived from another generated module, whose constructor is called with the shared arguments.</summary>
    Generated,
}

/// <summary>What a generated constructor parameter is.</summary>
internal enum ParameterRole
{
    Dimension,
    Option,
    Rngs,
    ParamDtype,
    Init,
}

/// <summary>One parameter of the generated constructor.</summary>
/// <param name="Name">Its name (an identifier, escaped when emitted).</param>
/// <param name="TypeCode">Its fully qualified C# type.</param>
/// <param name="Role">What it is.</param>
/// <param name="DefaultCode">The default value's C# text; empty for a required parameter.</param>
/// <param name="Doc">The XML doc text of the parameter.</param>
/// <param name="Inherited">Whether the base constructor takes it (a derived module passes it on).</param>
internal sealed record ParameterModel(string Name, string TypeCode, ParameterRole Role, string DefaultCode, string Doc, bool Inherited);

/// <summary>An <c>[Option]</c> field declared by the module itself.</summary>
/// <param name="FieldName">The field.</param>
/// <param name="ParameterName">The constructor parameter (the field's name without leading underscores).</param>
/// <param name="PropertyName">The get-only property (PascalCase).</param>
/// <param name="TypeCode">The fully qualified type.</param>
/// <param name="UserProperty">Whether the user declared the property themselves (of the option's type), so none is generated.</param>
internal sealed record OptionModel(string FieldName, string ParameterName, string PropertyName, string TypeCode, bool UserProperty = false);

/// <summary>The generated <c>forward</c> override: <c>TResult forward(T1 x1, ...) =&gt; Forward(x1, ...)</c>.</summary>
internal sealed record ForwardModel(EquatableArray<string> ParameterTypes, string ReturnType);

/// <summary>Everything the emitter writes for one module type; holds no symbols or syntax, so it caches by value.</summary>
/// <param name="Type">Namespace and declaration chain.</param>
/// <param name="Base">How the base class is handled.</param>
/// <param name="BaseType">The base class: for <see cref="BaseKind.Added"/> the one the generated part declares, else the user's.</param>
/// <param name="Forward">The <c>forward</c> override to write, or null.</param>
/// <param name="IsSealed">Whether the class is sealed (it declares no new virtual members).</param>
/// <param name="HasHook">Whether to declare and call <c>partial void OnInitialized()</c>.</param>
/// <param name="Parameters">The generated constructor's parameters, in order.</param>
/// <param name="Dimensions">The dimensions this type introduces (a derived type's base declares the base's), in order.</param>
/// <param name="Options">The options this type declares.</param>
/// <param name="Members">The declared members in declaration order.</param>
/// <param name="Streams">RNG streams known at compile time that this module's own members draw from.</param>
/// <param name="Signature">The <c>[ModuleSignature]</c> text other compilations read.</param>
/// <param name="Version">The generator's version, for <c>[GeneratedCode]</c>.</param>
internal sealed record ModuleModel(
    TypeModel Type, BaseKind Base, string BaseType, ForwardModel? Forward, bool IsSealed, bool HasHook,
    EquatableArray<ParameterModel> Parameters, EquatableArray<string> Dimensions, EquatableArray<OptionModel> Options,
    EquatableArray<MemberModel> Members, EquatableArray<string> Streams, string Signature, string Version);
