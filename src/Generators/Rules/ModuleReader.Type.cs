using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Nnx.Generators.Helpers;
using Nnx.Generators.Models;

namespace Nnx.Generators.Rules;

// The type, its base class, its Forward method and the OnInitialized hook.
internal sealed partial class ModuleReader
{
    private BaseKind _baseKind;
    private string _baseTypeCode = "";
    private ModuleShape? _baseShape;
    private IReadOnlyList<ITypeSymbol>? _forwardTypes;

    /// <summary>Type-level rules; a broken one is reported at every Nnx attribute of the type (each is not generated).</summary>
    private TypeModel? ReadType()
    {
        string? why = null;
        string makePartial = "";
        INamedTypeSymbol? notPartial = NotPartial();
        if (_type.IsStatic)
            why = $"class '{TypeName}' is static; a module is an object with parameters, remove 'static'";
        else if (_type.TypeKind != TypeKind.Class)
            why = $"'{TypeName}' is {CodeText.Article(TypeModels.Kind(_type))}; a module is a class, write 'public partial class {TypeName}'";
        else if (_type.IsRecord)
            why = $"'{TypeName}' is a record; a module is a plain class, write 'public partial class {TypeName}'";
        else if (_type.IsAbstract)
            why = $"class '{TypeName}' is abstract; the generated constructor must be able to build it, remove 'abstract'";
        else if (notPartial is not null)
        {
            why = SymbolEqualityComparer.Default.Equals(notPartial, _type)
                ? $"class '{TypeName}' is not partial; declare it 'partial class {TypeName}' so the generated constructor can be added"
                : $"'{notPartial.Name}', which contains '{TypeName}', is not partial; declare it 'partial' so the generated part can be nested in it";
            makePartial = notPartial.Name;
        }
        if (why is null)
        {
            if (TypeModels.TryGet(_type, Compilation, out string reason) is { } model) return model;
            why = reason;
        }
        foreach (Draft draft in _drafts)
            _problems.Add(new Problem(RuleIds.BadPlacement, draft.Field.Location, new[] { draft.Field.AttributeName, draft.Field.Field.Name, why }.ToEquatableArray(), makePartial));
        return null;
    }

    private INamedTypeSymbol? NotPartial()
    {
        for (INamedTypeSymbol? t = _type; t is not null; t = t.ContainingType)
            if (!Declarations.IsPartial(t)) return t;
        return null;
    }

    /// <summary>
    /// Decides how the generated part meets the base class: none declared (the generated part adds an Nnx base),
    /// an Nnx base declared by the user, or another generated module (NNX's <c>super().__init__</c>).
    /// </summary>
    private void ReadBase()
    {
        INamedTypeSymbol? declared = Declarations.DeclaredBase(_type, Compilation);
        if (declared is null || declared.SpecialType == SpecialType.System_Object)
        {
            _baseKind = BaseKind.Added;
            return;
        }
        _baseTypeCode = declared.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        if (declared.TypeKind == TypeKind.Error)
        {
            ReportAtAll(RuleIds.BadPlacement, $"the base class '{declared.Name}' does not compile; fix that error first");
            return;
        }
        if (_symbols.IsNnxBase(declared))
        {
            _baseKind = BaseKind.Declared;
            _forwardTypes = _symbols.IsGenericNnxBase(declared) ? declared.TypeArguments : null;
            return;
        }
        ModuleShape shape = _book.ShapeOf(declared, _visiting, _cancellationToken);
        if (shape.Error is null)
        {
            _baseKind = BaseKind.Generated;
            _baseShape = shape;
            _baseTypeCode = declared.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            _forwardTypes = shape.ForwardTypes;
            return;
        }
        bool isModule = declared.DeclaringSyntaxReferences.Length > 0 ? Declarations.DslFields(declared, _symbols).Any() : !shape.Error.Contains("is not an Nnx module");
        ReportAtAll(RuleIds.BadPlacement, isModule
            ? $"its base class '{declared.Name}' is not generated ({shape.Error}); fix the base first"
            : $"class '{TypeName}' derives from '{declared.ToDisplayString()}'; a module derives from Nnx.Module, Nnx.Module<T, TResult>, another generated module, or declares no base class");
    }

    private void ReportAtAll(string ruleId, string why)
    {
        foreach (Draft draft in _drafts) Report(ruleId, draft.Field.Location, draft.Field.AttributeName, draft.Field.Field.Name, why);
    }

    /// <summary>
    /// The <c>forward</c> override to write: a public <c>Forward</c> of one to three required arguments makes the
    /// module a <c>torch.nn.Module&lt;T..., TResult&gt;</c> (it goes into <c>Sequential</c>, <c>call</c> runs hooks).
    /// </summary>
    private ForwardModel? ReadForward()
    {
        IMethodSymbol? forward = ForwardMethod();
        bool userForward = Declarations.UserMembers(_type, "forward").Any();
        switch (_baseKind)
        {
            case BaseKind.Added:
                if (forward is null)
                {
                    _baseTypeCode = "global::Nnx.Module";
                    return null;
                }
                _forwardTypes = ForwardTypes(forward);
                _baseTypeCode = $"global::Nnx.Module<{string.Join(", ", _forwardTypes.Select(Code))}>";
                return userForward ? null : Model(_forwardTypes);
            default:
                if (_forwardTypes is null || userForward) return null;
                if (forward is not null && ForwardTypes(forward).Zip(_forwardTypes, (a, b) => SymbolEqualityComparer.Default.Equals(a, b)).All(x => x) && ForwardTypes(forward).Count == _forwardTypes.Count)
                    return Model(_forwardTypes);
                if (_baseKind == BaseKind.Declared)
                    ReportAtAll(RuleIds.BadPlacement,
                        $"class '{TypeName}' derives from Nnx.Module<{string.Join(", ", _forwardTypes.Select(t => t.ToDisplayString()))}> but declares no public Forward with those types; add it, or derive from Nnx.Module");
                return null;
        }
    }

    private IMethodSymbol? ForwardMethod()
    {
        IMethodSymbol[] candidates = Declarations.UserMembers(_type, "Forward").OfType<IMethodSymbol>()
            .Where(m => m.DeclaredAccessibility == Accessibility.Public && !m.IsStatic && !m.IsGenericMethod && !m.ReturnsVoid && m.RefKind == RefKind.None &&
                        m.Parameters.All(p => p.RefKind == RefKind.None && !p.IsParams) &&
                        m.Parameters.Count(p => !p.IsOptional) is >= 1 and <= 3 &&
                        m.Parameters.Take(m.Parameters.Count(p => !p.IsOptional)).All(p => !p.IsOptional))
            .ToArray();
        // A type that does not compile yet would make the generated base list fail too: leave the base plain until it does.
        return candidates.Length == 1 && ForwardTypes(candidates[0]).All(Compiles) ? candidates[0] : null;
    }

    private static bool Compiles(ITypeSymbol type) => type switch
    {
        { TypeKind: TypeKind.Error } => false,
        INamedTypeSymbol named => named.TypeArguments.All(Compiles),
        IArrayTypeSymbol array => Compiles(array.ElementType),
        _ => true,
    };

    private static List<ITypeSymbol> ForwardTypes(IMethodSymbol forward) =>
        forward.Parameters.Where(p => !p.IsOptional).Select(p => p.Type).Append(forward.ReturnType).ToList();

    private ForwardModel Model(IReadOnlyList<ITypeSymbol> types) =>
        new(types.Take(types.Count - 1).Select(Code).ToEquatableArray(), Code(types[types.Count - 1]));

    private string Code(ITypeSymbol type) => _book.Code(type);

    /// <summary>
    /// Whether the generated part may declare and call <c>partial void OnInitialized()</c>: the user wrote nothing of
    /// that name, or exactly one private partial implementation of it. Anything else would clash, so the hook is left
    /// out and the user's member stays theirs.
    /// </summary>
    private bool HasHook()
    {
        var declarations = _type.GetMembers("OnInitialized")
            .SelectMany(m => m.DeclaringSyntaxReferences)
            .Where(r => !RuleBook.IsGenerated(r.SyntaxTree))
            .Select(r => r.GetSyntax())
            .ToArray();
        if (declarations.Length == 0) return true;
        return declarations.Length == 1 && declarations[0] is MethodDeclarationSyntax { Modifiers.Count: 1, ParameterList.Parameters.Count: 0, Arity: 0 } method &&
               method.Modifiers[0].ValueText == "partial" && method.ReturnType.ToString() == "void" &&
               (method.Body is not null || method.ExpressionBody is not null);
    }
}
