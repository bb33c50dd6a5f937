using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Nnx.Generators.Emit;
using Nnx.Generators.Models;
using Nnx.Generators.Rules;

namespace Nnx.Generators;

/// <summary>
/// Completes every partial class that declares Nnx members (<c>[Param]</c>, <c>[BatchStat]</c>, <c>[Sub]</c>,
/// <c>[Tied]</c>, <c>[Option]</c>, <c>[Fork]</c>): constructor, dimension and option properties, creation in
/// declaration order from <c>Rngs</c>, reflection-free TorchSharp registration, <c>to()</c> support, state visiting
/// and the module's definition. What is valid is decided by the rule book, which the analyzers report from.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ModuleGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // One step per attribute: a type is read by the step of its first Nnx field, so each module is read once and
        // comes out of exactly one step; a module with any problem yields nothing (the analyzers say why).
        for (int i = 0; i < DslSymbols.Attributes.Length; i++)
        {
            IncrementalValuesProvider<ModuleModel> modules = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    DslSymbols.Attributes[i].Name,
                    predicate: static (node, _) => node is VariableDeclaratorSyntax { Parent.Parent: FieldDeclarationSyntax },
                    transform: static (ctx, ct) => ReadModule(ctx, ct))
                .Where(static model => model is not null)
                .Select(static (model, _) => model!)
                .WithTrackingName(TrackingNames.All[i]);

            // One file per module.
            context.RegisterSourceOutput(modules, static (spc, module) => spc.AddSource(module.Type.HintName, Emitter.Emit(module)));
        }
    }

    private static ModuleModel? ReadModule(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IFieldSymbol { ContainingType: { } type } field) return null;
        RuleBook book = RuleBook.For(context.SemanticModel.Compilation);
        DslField? first = Declarations.DslFields(type, book.Symbols).FirstOrDefault();
        if (first is null || !SymbolEqualityComparer.Default.Equals(first.Field, field)) return null;
        return book.Read(type, cancellationToken).Model;
    }
}
