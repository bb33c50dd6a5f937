using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Nnx.Generators.Helpers;
using Nnx.Generators.Models;

namespace Nnx.Generators;

/// <summary>
/// Completes every partial class that declares <c>[Param]</c> fields: constructor, dimension properties,
/// parameter creation from <c>Rngs</c> in declaration order, and reflection-free TorchSharp registration.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ModuleGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Each [Param] field becomes a small value model; declarations the analyzers reject become null and drop out.
        IncrementalValuesProvider<ParamFieldModel> fields = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                Parser.ParamAttributeName,
                predicate: static (node, _) => node is VariableDeclaratorSyntax { Parent.Parent: FieldDeclarationSyntax },
                transform: static (ctx, ct) => Parser.ParseField(ctx, ct))
            .Where(static field => field is not null)
            .Select(static (field, _) => field!)
            .WithTrackingName(TrackingNames.ParamFields);

        // Fields of one type (across partial declarations) become one module, ordered as declared.
        IncrementalValuesProvider<ModuleModel> modules = fields
            .Collect()
            .SelectMany(static (all, _) => all
                .GroupBy(static f => (f.Type, f.AddsBaseType))
                .Select(static g => new ModuleModel(
                    g.Key.Type,
                    g.Key.AddsBaseType,
                    g.Select(static f => f.Param).OrderBy(static p => p.Ordinal).ToEquatableArray())))
            .WithTrackingName(TrackingNames.Modules);

        // One file per module.
        context.RegisterSourceOutput(modules, static (spc, module) => spc.AddSource(module.Type.HintName, Emitter.Emit(module)));
    }
}
