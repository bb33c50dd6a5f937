using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Nnx.Generators.Helpers;
using Nnx.Generators.Models;

namespace Nnx.Generators;

/// <summary>
/// Completes every partial class that declares <c>[Param]</c>, <c>[BatchStat]</c>, <c>[Sub]</c> or <c>[Tied]</c>
/// fields: constructor, dimension properties, creation in declaration order from <c>Rngs</c>, reflection-free
/// TorchSharp registration, <c>to()</c> support and state visiting.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ModuleGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Each attributed field becomes a small value model; declarations the analyzers reject become null and drop out.
        IncrementalValuesProvider<ModuleFieldModel> paramFields = Fields(context, Parser.ParamAttributeName, TrackingNames.ParamFields);
        IncrementalValuesProvider<ModuleFieldModel> batchStatFields = Fields(context, Parser.BatchStatAttributeName, TrackingNames.BatchStatFields);
        IncrementalValuesProvider<ModuleFieldModel> subFields = Fields(context, Parser.SubAttributeName, TrackingNames.SubFields);
        IncrementalValuesProvider<ModuleFieldModel> tiedFields = Fields(context, Parser.TiedAttributeName, TrackingNames.TiedFields);

        // Fields of one type (across partial declarations and attribute kinds) become one module, ordered as declared.
        IncrementalValuesProvider<ModuleModel> modules = paramFields.Collect()
            .Combine(batchStatFields.Collect())
            .Combine(subFields.Collect())
            .Combine(tiedFields.Collect())
            .SelectMany(static (all, _) => Group(all.Left.Left.Left.AddRange(all.Left.Left.Right).AddRange(all.Left.Right).AddRange(all.Right)))
            .WithTrackingName(TrackingNames.Modules);

        // One file per module.
        context.RegisterSourceOutput(modules, static (spc, module) => spc.AddSource(module.Type.HintName, Emitter.Emit(module)));
    }

    private static IncrementalValuesProvider<ModuleFieldModel> Fields(IncrementalGeneratorInitializationContext context, string attribute, string trackingName) =>
        context.SyntaxProvider
            .ForAttributeWithMetadataName(
                attribute,
                predicate: static (node, _) => node is VariableDeclaratorSyntax { Parent.Parent: FieldDeclarationSyntax },
                transform: static (ctx, ct) => Parser.ParseField(ctx, ct))
            .Where(static field => field is not null)
            .Select(static (field, _) => field!)
            .WithTrackingName(trackingName);

    private static ImmutableArray<ModuleModel> Group(ImmutableArray<ModuleFieldModel> fields) =>
        fields
            .GroupBy(static f => (f.Type, f.AddsBaseType, f.HasHook))
            .Select(static g => new ModuleModel(g.Key.Type, g.Key.AddsBaseType, g.Key.HasHook, g.Select(static f => f.Member).OrderBy(static m => m.Ordinal).ToEquatableArray()))
            .Where(static m => Emitter.CanEmit(m.Members, m.Type.Self.Name))
            .ToImmutableArray();
}
