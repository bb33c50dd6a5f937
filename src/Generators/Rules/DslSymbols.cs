using System.Linq;
using Microsoft.CodeAnalysis;

namespace Nnx.Generators.Rules;

/// <summary>What kind of Nnx member an attribute declares.</summary>
internal enum DslKind
{
    Param,
    BatchStat,
    Sub,
    Tied,
    Option,
    Fork,
}

/// <summary>The Nnx and TorchSharp types the rule book looks for, resolved once per compilation.</summary>
internal sealed class DslSymbols
{
    public const string ParamAttribute = "Nnx.ParamAttribute";
    public const string BatchStatAttribute = "Nnx.BatchStatAttribute";
    public const string SubAttribute = "Nnx.SubAttribute";
    public const string TiedAttribute = "Nnx.TiedAttribute";
    public const string OptionAttribute = "Nnx.OptionAttribute";
    public const string ForkAttribute = "Nnx.ForkAttribute";
    public const string SignatureAttribute = "Nnx.Dsl.ModuleSignatureAttribute";

    /// <summary>The attribute metadata names, by kind (the generator's pipeline starts one provider per name).</summary>
    public static readonly (string Name, DslKind Kind)[] Attributes =
    [
        (ParamAttribute, DslKind.Param), (BatchStatAttribute, DslKind.BatchStat), (SubAttribute, DslKind.Sub),
        (TiedAttribute, DslKind.Tied), (OptionAttribute, DslKind.Option), (ForkAttribute, DslKind.Fork),
    ];

    private readonly INamedTypeSymbol?[] _attributes;

    public DslSymbols(Compilation compilation)
    {
        // Looked up in the two assemblies that define them: Compilation.GetTypeByMetadataName searches every reference
        // (about 170 for a .NET program), which made this the costliest step of an analyzer pass.
        IAssemblySymbol? nnx = Assembly(compilation, "Nnx.Runtime");
        IAssemblySymbol? torch = Assembly(compilation, "TorchSharp");
        _attributes = new INamedTypeSymbol?[Attributes.Length];
        for (int i = 0; i < Attributes.Length; i++) _attributes[i] = nnx?.GetTypeByMetadataName(Attributes[i].Name);
        NnxModule = nnx?.GetTypeByMetadataName("Nnx.Module");
        GenericModules =
        [
            nnx?.GetTypeByMetadataName("Nnx.Module`2"),
            nnx?.GetTypeByMetadataName("Nnx.Module`3"),
            nnx?.GetTypeByMetadataName("Nnx.Module`4"),
        ];
        Parameter = torch?.GetTypeByMetadataName("TorchSharp.Modules.Parameter");
        Tensor = torch?.GetTypeByMetadataName("TorchSharp.torch+Tensor");
        ModuleList = torch?.GetTypeByMetadataName("TorchSharp.Modules.ModuleList`1");
        Rngs = nnx?.GetTypeByMetadataName("Nnx.Rngs");
        RngStream = nnx?.GetTypeByMetadataName("Nnx.RngStream");
        Signature = nnx?.GetTypeByMetadataName(SignatureAttribute);
    }

    /// <summary>The assembly named <paramref name="name"/>: the one being compiled, or a reference.</summary>
    private static IAssemblySymbol? Assembly(Compilation compilation, string name) =>
        compilation.Assembly.Name == name
            ? compilation.Assembly
            : compilation.SourceModule.ReferencedAssemblySymbols.FirstOrDefault(a => a.Name == name);

    public INamedTypeSymbol? NnxModule { get; }

    /// <summary><c>Nnx.Module&lt;T, TResult&gt;</c> and its two- and three-argument siblings (null where missing).</summary>
    public INamedTypeSymbol?[] GenericModules { get; }

    public INamedTypeSymbol? Parameter { get; }

    public INamedTypeSymbol? Tensor { get; }

    public INamedTypeSymbol? ModuleList { get; }

    public INamedTypeSymbol? Rngs { get; }

    public INamedTypeSymbol? RngStream { get; }

    public INamedTypeSymbol? Signature { get; }

    /// <summary>Whether the Nnx runtime is referenced at all.</summary>
    public bool HasRuntime => _attributes[0] is not null;

    /// <summary>The kind <paramref name="attribute"/> declares, or null for any other attribute.</summary>
    public DslKind? KindOf(AttributeData attribute)
    {
        INamedTypeSymbol? type = attribute.AttributeClass;
        if (type is null) return null;
        for (int i = 0; i < _attributes.Length; i++)
            if (SymbolEqualityComparer.Default.Equals(type, _attributes[i])) return Attributes[i].Kind;
        return null;
    }

    /// <summary>Whether <paramref name="type"/> is <c>Nnx.Module</c> or one of its generic siblings.</summary>
    public bool IsNnxBase(INamedTypeSymbol? type) =>
        type is not null && (SymbolEqualityComparer.Default.Equals(type, NnxModule) || IsGenericNnxBase(type));

    /// <summary>Whether <paramref name="type"/> is a constructed <c>Nnx.Module&lt;...&gt;</c>.</summary>
    public bool IsGenericNnxBase(INamedTypeSymbol? type)
    {
        if (type is null || !type.IsGenericType) return false;
        foreach (INamedTypeSymbol? generic in GenericModules)
            if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, generic)) return true;
        return false;
    }

    public bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        expected is not null && type is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expected);
}
