using System.Linq;
using Microsoft.CodeAnalysis;
using Nnx.Generators.Rules;

namespace Nnx.Analyzers;

/// <summary>
/// The TorchSharp and Nnx types the analyzers look for, resolved once per compilation. <see cref="TryCreate"/>
/// returns null when neither library is referenced, so every analyzer bails out at compilation start.
/// </summary>
internal sealed class NnxSymbols
{
    private NnxSymbols(Compilation compilation)
    {
        ParamAttribute = compilation.GetTypeByMetadataName(DslSymbols.ParamAttribute);
        BatchStatAttribute = compilation.GetTypeByMetadataName(DslSymbols.BatchStatAttribute);
        Tensor = compilation.GetTypeByMetadataName("TorchSharp.torch+Tensor");
        Parameter = compilation.GetTypeByMetadataName("TorchSharp.Modules.Parameter");
        Embedding = compilation.GetTypeByMetadataName("TorchSharp.Modules.Embedding");
        TensorIndex = compilation.GetTypeByMetadataName("TorchSharp.torch+TensorIndex");
        Torch = compilation.GetTypeByMetadataName("TorchSharp.torch");
        ScalarType = compilation.GetTypeByMetadataName("TorchSharp.torch+ScalarType");
    }

    /// <summary><c>Nnx.ParamAttribute</c>, or null without the Nnx runtime.</summary>
    public INamedTypeSymbol? ParamAttribute { get; }

    /// <summary><c>Nnx.BatchStatAttribute</c>: a non-trainable variable with a Shape and an Init, like [Param].</summary>
    public INamedTypeSymbol? BatchStatAttribute { get; }

    public INamedTypeSymbol? Tensor { get; }

    public INamedTypeSymbol? Parameter { get; }

    public INamedTypeSymbol? Embedding { get; }

    public INamedTypeSymbol? TensorIndex { get; }

    public INamedTypeSymbol? Torch { get; }

    public INamedTypeSymbol? ScalarType { get; }

    public static NnxSymbols? TryCreate(Compilation compilation)
    {
        var symbols = new NnxSymbols(compilation);
        return symbols.ParamAttribute is null && symbols.Tensor is null ? null : symbols;
    }

    /// <summary>The [Param] or [BatchStat] attribute of <paramref name="field"/>: the ones with a Shape and an Init.</summary>
    public AttributeData? VariableAttribute(IFieldSymbol field) =>
        field.GetAttributes().FirstOrDefault(a => a.AttributeClass is { } c && (Is(c, ParamAttribute) || Is(c, BatchStatAttribute)));

    public bool IsTensor(ITypeSymbol? type)
    {
        for (ITypeSymbol? t = type; t is not null; t = t.BaseType)
            if (SymbolEqualityComparer.Default.Equals(t, Tensor)) return true;
        return false;
    }

    public bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        expected is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, expected);
}
