using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Nnx.Generators.Helpers;
using Nnx.Generators.Models;
using Nnx.Generators.Shared;

namespace Nnx.Generators;

/// <summary>
/// Turns symbols into models. Anything the analyzers report as an error yields null here: the generator stays quiet
/// and never emits code that cannot compile.
/// </summary>
internal static class Parser
{
    public const string ParamAttributeName = "Nnx.ParamAttribute";
    public const string BatchStatAttributeName = "Nnx.BatchStatAttribute";
    public const string SubAttributeName = "Nnx.SubAttribute";
    public const string TiedAttributeName = "Nnx.TiedAttribute";
    public const string ModuleTypeName = "Nnx.Module";
    public const string ParameterTypeName = "TorchSharp.Modules.Parameter";
    public const string TensorTypeName = "TorchSharp.torch.Tensor";
    public const string ModuleListTypeName = "TorchSharp.Modules.ModuleList<T>";
    public const string RngsTypeName = "Nnx.Rngs";
    public const string GeneratorName = "Nnx.Generators";

    /// <summary>Names the generated constructor uses itself, so no dimension may take them.</summary>
    public static readonly string[] ReservedNames = ["rngs", "paramDtype"];

    // Modules nest a few levels in practice; the bound keeps a pathological chain from running away.
    private const int MaxNesting = 32;

    public static ModuleFieldModel? ParseField(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IFieldSymbol field || field.ContainingType is not INamedTypeSymbol type)
            return null;
        if (!TryGetBaseKind(type, out bool addsBaseType))
            return null;
        TypeModel? typeModel = TryGetTypeModel(type, context.SemanticModel.Compilation, cancellationToken);
        if (typeModel is null)
            return null;
        var visiting = new HashSet<ISymbol>(SymbolEqualityComparer.Default) { type.OriginalDefinition };
        MemberModel? member = ParseMember(field, Ordinal(type, field), context.SemanticModel.Compilation, visiting, cancellationToken);
        return member is null ? null : new ModuleFieldModel(typeModel, addsBaseType, HasHook(type), member);
    }

    /// <summary>
    /// Whether the generated part may declare and call <c>partial void OnInitialized()</c>: the user declared nothing of
    /// that name, or exactly one private partial implementation of it. Anything else (a plain method, a property, a
    /// duplicate) would clash, so the hook is left out and the user's member stays theirs.
    /// </summary>
    private static bool HasHook(INamedTypeSymbol type)
    {
        ImmutableArray<ISymbol> members = type.GetMembers(Emitter.HookName);
        if (members.Length == 0) return true;
        return members.Length == 1 && members[0] is IMethodSymbol { IsStatic: false, ReturnsVoid: true, Parameters.Length: 0, TypeParameters.Length: 0 } method &&
               method.DeclaringSyntaxReferences.Length == 1 &&
               method.DeclaringSyntaxReferences[0].GetSyntax() is MethodDeclarationSyntax { Modifiers.Count: 1 } syntax &&
               syntax.Modifiers[0].IsKind(SyntaxKind.PartialKeyword) && (syntax.Body is not null || syntax.ExpressionBody is not null);
    }

    private static int Ordinal(INamedTypeSymbol type, IFieldSymbol field) =>
        type.GetMembers().OfType<IFieldSymbol>().TakeWhile(f => !SymbolEqualityComparer.Default.Equals(f, field)).Count();

    private static MemberModel? ParseMember(IFieldSymbol field, int ordinal, Compilation compilation, HashSet<ISymbol> visiting, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (field.IsStatic || field.IsConst || field.IsReadOnly || field.IsImplicitlyDeclared)
            return null;
        AttributeData? attribute = null;
        foreach (AttributeData candidate in field.GetAttributes())
        {
            if (KindOf(candidate) is null) continue;
            if (attribute is not null) return null;   // two of our attributes on one field: ambiguous, the analyzer's case
            attribute = candidate;
        }
        if (attribute is null || attribute.AttributeClass is not { TypeKind: not TypeKind.Error })
            return null;
        string type = field.Type.ToDisplayString();
        return KindOf(attribute) switch
        {
            MemberKind.Param when type == ParameterTypeName => ParseVariable(MemberKind.Param, field.Name, ordinal, attribute),
            MemberKind.BatchStat when type == TensorTypeName => ParseVariable(MemberKind.BatchStat, field.Name, ordinal, attribute),
            MemberKind.Tied when type == ParameterTypeName => ParseTied(field.Name, ordinal, attribute),
            MemberKind.Sub => ParseSub(field, ordinal, attribute, compilation, visiting, cancellationToken),
            _ => null,
        };
    }

    private static MemberKind? KindOf(AttributeData attribute) => attribute.AttributeClass?.ToDisplayString() switch
    {
        ParamAttributeName => MemberKind.Param,
        BatchStatAttributeName => MemberKind.BatchStat,
        SubAttributeName => MemberKind.Sub,
        TiedAttributeName => MemberKind.Tied,
        _ => null,
    };

    private static MemberModel? ParseVariable(MemberKind kind, string name, int ordinal, AttributeData attribute)
    {
        string shapeText = "";
        string init = kind == MemberKind.Param ? "normal" : "zeros";
        string rng = "params";
        string dtype = "Float32";
        if (attribute.ConstructorArguments.Length != 0)
            return null;
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            TypedConstant value = argument.Value;
            switch (argument.Key)
            {
                case "Shape" when value.Value is string s: shapeText = s; break;
                case "Init" when value.Value is string s: init = s; break;
                case "Rng" when kind == MemberKind.Param && value.Value is string s && s.Length > 0: rng = s; break;
                case "Dtype" when EnumMemberName(value) is string d: dtype = d; break;
                default: return null;
            }
        }
        if (!TryParseShape(shapeText, out EquatableArray<ShapeDim> shape))
            return null;
        return new MemberModel(kind, name, ordinal, shape, init, rng, dtype, "", default, false, default, "");
    }

    private static MemberModel? ParseTied(string name, int ordinal, AttributeData attribute)
    {
        if (attribute.NamedArguments.Length != 0 || attribute.ConstructorArguments.Length != 1 ||
            attribute.ConstructorArguments[0].Value is not string path || !IsPath(path))
            return null;
        return new MemberModel(MemberKind.Tied, name, ordinal, default, "", "", "", "", default, false, default, path);
    }

    private static MemberModel? ParseSub(IFieldSymbol field, int ordinal, AttributeData attribute, Compilation compilation, HashSet<ISymbol> visiting, CancellationToken cancellationToken)
    {
        string dims = "";
        string countText = "";
        if (attribute.ConstructorArguments.Length != 0)
            return null;
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            switch (argument.Key)
            {
                case "Dims" when argument.Value.Value is string s: dims = s; break;
                case "Count" when argument.Value.Value is string s: countText = s; break;
                default: return null;
            }
        }
        if (field.Type is not INamedTypeSymbol fieldType)
            return null;
        bool isList = countText.Trim().Length > 0;
        INamedTypeSymbol child = fieldType;
        ShapeDim count = default;
        if (isList)
        {
            if (fieldType.OriginalDefinition.ToDisplayString() != ModuleListTypeName || fieldType.TypeArguments[0] is not INamedTypeSymbol element)
                return null;
            if (!TryParseShape(countText, out EquatableArray<ShapeDim> countDims) || countDims.Count != 1)
                return null;
            child = element;
            count = countDims[0];
        }
        ChildSignature? signature = TryGetChildSignature(child, compilation, visiting, cancellationToken);
        if (signature is null || !TryMapDims(dims, signature.Dims, out EquatableArray<DimArgument> childDims))
            return null;
        string childType = child.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        return new MemberModel(isList ? MemberKind.SubList : MemberKind.Sub, field.Name, ordinal, default, "", "", "",
            childType, childDims, signature.TakesParamDtype, count, "");
    }

    private sealed record ChildSignature(List<string> Dims, bool TakesParamDtype);

    /// <summary>
    /// The dimensions the child's generated constructor takes. A child in this compilation has no constructor yet, so its
    /// declarations are parsed exactly as its own generation will parse them; a child from a reference shows its
    /// generated constructor.
    /// </summary>
    private static ChildSignature? TryGetChildSignature(INamedTypeSymbol child, Compilation compilation, HashSet<ISymbol> visiting, CancellationToken cancellationToken)
    {
        if (child.TypeKind != TypeKind.Class || child.IsAbstract || visiting.Count > MaxNesting)
            return null;
        INamedTypeSymbol definition = child.OriginalDefinition;
        if (definition.DeclaringSyntaxReferences.Length == 0)
            return TryGetReferencedSignature(child);
        if (!TryGetBaseKind(definition, out _) || TryGetTypeModel(definition, compilation, cancellationToken) is null)
            return null;
        if (!visiting.Add(definition))
            return null;   // a module that contains itself would recurse forever
        try
        {
            var members = new List<MemberModel>();
            int ordinal = 0;
            foreach (IFieldSymbol f in definition.GetMembers().OfType<IFieldSymbol>())
            {
                if (f.GetAttributes().Any(a => KindOf(a) is not null) && ParseMember(f, ordinal, compilation, visiting, cancellationToken) is MemberModel m)
                    members.Add(m);
                ordinal++;
            }
            if (members.Count == 0 || !Emitter.CanEmit(members, definition.Name))
                return null;
            return new ChildSignature(ModuleModel.DimensionsOf(members), TakesParamDtype: true);
        }
        finally
        {
            visiting.Remove(definition);
        }
    }

    private static ChildSignature? TryGetReferencedSignature(INamedTypeSymbol child)
    {
        foreach (IMethodSymbol ctor in child.InstanceConstructors)
        {
            if (ctor.DeclaredAccessibility != Microsoft.CodeAnalysis.Accessibility.Public || !IsGenerated(ctor))
                continue;
            var dims = new List<string>();
            int i = 0;
            for (; i < ctor.Parameters.Length && ctor.Parameters[i].Type.SpecialType == SpecialType.System_Int64; i++)
                dims.Add(ctor.Parameters[i].Name);
            if (i >= ctor.Parameters.Length || ctor.Parameters[i].Type.ToDisplayString() != RngsTypeName)
                continue;
            if (ctor.Parameters.Skip(i + 1).Any(p => !p.IsOptional))
                continue;
            return new ChildSignature(dims, ctor.Parameters.Any(p => p.Name == "paramDtype" && p.IsOptional));
        }
        return null;
    }

    private static bool IsGenerated(IMethodSymbol ctor) =>
        ctor.GetAttributes().Any(a =>
            a.AttributeClass?.ToDisplayString() == "System.CodeDom.Compiler.GeneratedCodeAttribute" &&
            a.ConstructorArguments.Length == 2 && a.ConstructorArguments[0].Value as string == GeneratorName);

    /// <summary>Reads <c>Dims = "vocab=nTokens, dModel=64"</c>; every child dimension gets a source, by default its own name.</summary>
    private static bool TryMapDims(string text, List<string> childDims, out EquatableArray<DimArgument> result)
    {
        result = default;
        var sources = new Dictionary<string, ShapeDim>(System.StringComparer.Ordinal);
        if (text.Trim().Length > 0)
        {
            foreach (string pair in text.Split(','))
            {
                string[] sides = pair.Split('=');
                if (sides.Length != 2) return false;
                string name = sides[0].Trim();
                if (!childDims.Contains(name) || sources.ContainsKey(name)) return false;
                if (!TryParseShape(sides[1], out EquatableArray<ShapeDim> source) || source.Count != 1) return false;
                sources[name] = source[0];
            }
        }
        foreach (string reserved in ReservedNames)
            if (childDims.Contains(reserved) && !sources.ContainsKey(reserved)) return false;
        result = childDims.Select(d => new DimArgument(d, sources.TryGetValue(d, out ShapeDim s) ? s : new ShapeDim(d, 0))).ToEquatableArray();
        return true;
    }

    private static bool TryParseShape(string text, out EquatableArray<ShapeDim> shape)
    {
        shape = default;
        if (!ShapeSyntax.TryParse(text, out List<ShapeDim> dims, out _) || dims.Any(d => d.IsNamed && ReservedNames.Contains(d.Name!)))
            return false;
        shape = dims.ToEquatableArray();
        return true;
    }

    private static bool IsPath(string path) =>
        path.Length > 0 && path.Split('.').All(s => s.Length > 0 && (SyntaxFacts.IsValidIdentifier(s) || s.All(char.IsDigit)));

    private static string? EnumMemberName(TypedConstant value)
    {
        if (value.Kind != TypedConstantKind.Enum || value.Type is not INamedTypeSymbol enumType || enumType.ToDisplayString() != "TorchSharp.torch.ScalarType")
            return null;
        return enumType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value.Value))?.Name;
    }

    // A module either declares no base (the generated part adds Nnx.Module) or derives directly from Nnx.Module.
    // Deriving from another generated module is not supported: its constructor needs arguments we cannot invent.
    private static bool TryGetBaseKind(INamedTypeSymbol type, out bool addsBaseType)
    {
        INamedTypeSymbol? baseType = type.BaseType;
        addsBaseType = baseType is null || baseType.SpecialType == SpecialType.System_Object;
        return addsBaseType || baseType!.ToDisplayString() == ModuleTypeName;
    }

    /// <summary>
    /// The declaration chain to re-declare, or null when it cannot be re-declared. The model must name the type back
    /// exactly (<c>GetTypeByMetadataName</c>), which rules out half-typed names, duplicate types and error recovery
    /// artefacts such as a class parsed into a namespace named <c>partial</c>.
    /// </summary>
    private static TypeModel? TryGetTypeModel(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
    {
        TypeModel? model = TryBuildTypeModel(type, cancellationToken);
        if (model is null || !SymbolEqualityComparer.Default.Equals(compilation.GetTypeByMetadataName(model.MetadataName), type.OriginalDefinition))
            return null;
        return model;
    }

    private static TypeModel? TryBuildTypeModel(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var chain = new List<TypeDeclModel>();
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (t.IsStatic || !IsPartial(t) || !SyntaxFacts.IsValidIdentifier(t.Name)) return null;
            if (t.TypeParameters.Any(p => !SyntaxFacts.IsValidIdentifier(p.Name) || p.ConstraintTypes.Any(c => c.TypeKind == TypeKind.Error)))
                return null;   // NewLike would not compile
            string keyword;
            if (t.TypeKind == TypeKind.Class) keyword = t.IsRecord ? "record" : "class";
            else if (t.TypeKind == TypeKind.Struct && !ReferenceEquals(t, type)) keyword = t.IsRecord ? "record struct" : "struct";
            else if (t.TypeKind == TypeKind.Interface && !ReferenceEquals(t, type)) keyword = "interface";
            else return null;
            if (ReferenceEquals(t, type) && (t.IsRecord || t.IsAbstract)) return null;
            string typeParameters = t.TypeParameters.Length == 0 ? "" : "<" + string.Join(", ", t.TypeParameters.Select(p => p.Name)) + ">";
            chain.Insert(0, new TypeDeclModel(keyword, t.Name, typeParameters, Accessibility(t.DeclaredAccessibility)));
        }
        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
        return new TypeModel(ns, chain.ToEquatableArray());
    }

    private static bool IsPartial(INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences.Length > 0 &&
        type.DeclaringSyntaxReferences.All(r => r.GetSyntax() is TypeDeclarationSyntax d && d.Modifiers.Any(SyntaxKind.PartialKeyword));

    private static string Accessibility(Microsoft.CodeAnalysis.Accessibility accessibility) => accessibility switch
    {
        Microsoft.CodeAnalysis.Accessibility.Public => "public",
        Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
        Microsoft.CodeAnalysis.Accessibility.Private => "private",
        Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
        Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
        Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
        _ => "",
    };
}
