using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Nnx.Generators.Models;

namespace Nnx.Generators.Rules;

/// <summary>The member kinds a module shape lists, for tie paths.</summary>
internal enum ShapeMemberKind
{
    Param,
    BatchStat,
    Sub,
    SubList,
    Fork,
    Tied,
}

/// <summary>A member of a module: its name, kind, and for a child or list, the child type.</summary>
internal sealed record ShapeMember(string Name, ShapeMemberKind Kind, INamedTypeSymbol? Child);

/// <summary>One parameter of a module's generated constructor, as a parent or a derived module needs it.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Role">Dimension, option, rngs, paramDtype or an initializer override.</param>
/// <param name="Type">An option's type; null for other roles.</param>
/// <param name="TypeCode">The fully qualified C# type.</param>
/// <param name="DefaultCode">The default's C# text; empty when required.</param>
/// <param name="Doc">The XML doc of the parameter (repeated by a derived constructor).</param>
internal sealed record ShapeParameter(string Name, ParameterRole Role, OptionType? Type, string TypeCode, string DefaultCode, string Doc);

/// <summary>
/// What a module is to its users in the rule book (a parent that declares it as <c>[Sub]</c>, a module deriving from
/// it): its constructor, its members for tie paths, and the type arguments of its <c>Nnx.Module&lt;...&gt;</c> base.
/// Read from source or from the <c>[ModuleSignature]</c> of a referenced assembly.
/// </summary>
internal sealed class ModuleShape
{
    public ModuleShape(INamedTypeSymbol type, IReadOnlyList<ShapeParameter> parameters, IReadOnlyList<ShapeMember> members, IReadOnlyList<ITypeSymbol>? forwardTypes)
    {
        Type = type;
        Parameters = parameters;
        Members = members;
        ForwardTypes = forwardTypes;
    }

    private ModuleShape(INamedTypeSymbol type, string error, IReadOnlyList<INamedTypeSymbol> cycle) : this(type, [], [], null)
    {
        Error = error;
        Cycle = cycle;
    }

    /// <summary>A type that cannot be used as a module, and why; <paramref name="cycle"/> lists the modules of a cycle it is in.</summary>
    public static ModuleShape Invalid(INamedTypeSymbol type, string error, IReadOnlyList<INamedTypeSymbol>? cycle = null) => new(type, error, cycle ?? []);

    public INamedTypeSymbol Type { get; }

    public IReadOnlyList<ShapeParameter> Parameters { get; }

    /// <summary>Members in state order: a base's first.</summary>
    public IReadOnlyList<ShapeMember> Members { get; }

    /// <summary>The type arguments of the <c>Nnx.Module&lt;...&gt;</c> base (inputs, then result); null for a plain base.</summary>
    public IReadOnlyList<ITypeSymbol>? ForwardTypes { get; }

    /// <summary>Why the module is not generated; null when it is.</summary>
    public string? Error { get; }

    /// <summary>When it is invalid because it contains itself: the modules of that cycle (else empty).</summary>
    public IReadOnlyList<INamedTypeSymbol> Cycle { get; } = [];

    /// <summary>Whether <paramref name="type"/> is one of the modules of the cycle this module is in.</summary>
    public bool CycleContains(INamedTypeSymbol type) => Cycle.Any(t => SymbolEqualityComparer.Default.Equals(t, type.OriginalDefinition));

    public IEnumerable<ShapeParameter> Dimensions => Parameters.Where(p => p.Role == ParameterRole.Dimension);

    public IEnumerable<ShapeParameter> Options => Parameters.Where(p => p.Role == ParameterRole.Option);

    public bool TakesParamDtype => Parameters.Any(p => p.Role == ParameterRole.ParamDtype);

    public string Name => Type.Name;
}
