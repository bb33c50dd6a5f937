using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Nnx.Generators.Helpers;
using Nnx.Generators.Models;

namespace Nnx.Generators.Rules;

/// <summary>What the rule book made of one module type: a model when it can be generated, else its problems.</summary>
/// <param name="Model">The model to emit; null when there is any problem.</param>
/// <param name="Problems">Every broken rule, each at the declaration it concerns.</param>
/// <param name="Shape">The module as its parents and derived modules see it (invalid when there are problems).</param>
internal sealed record ModuleReading(ModuleModel? Model, EquatableArray<Problem> Problems, ModuleShape Shape);

/// <summary>
/// The one place that decides what a declaration means and whether it is valid, used by the generator (which emits
/// the models) and by the analyzers (which report the problems). One instance per compilation caches the readings, so
/// a child read for several parents, or by the generator and an analyzer, is read once.
/// </summary>
internal sealed class RuleBook
{
    private static readonly ConditionalWeakTable<Compilation, RuleBook> Books = new();

    private readonly ConcurrentDictionary<ISymbol, ModuleReading> _readings = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ITypeSymbol, string> _codes = new(SymbolEqualityComparer.IncludeNullability);

    private RuleBook(Compilation compilation)
    {
        Compilation = compilation;
        Symbols = new DslSymbols(compilation);
    }

    public Compilation Compilation { get; }

    public DslSymbols Symbols { get; }

    public static RuleBook For(Compilation compilation) => Books.GetValue(compilation, static c => new RuleBook(c));

    /// <summary>Reads the module declared by <paramref name="type"/> (which has at least one Nnx member).</summary>
    public ModuleReading Read(INamedTypeSymbol type, CancellationToken cancellationToken) =>
        Read(type, ImmutableList<INamedTypeSymbol>.Empty, cancellationToken);

    internal ModuleReading Read(INamedTypeSymbol type, ImmutableList<INamedTypeSymbol> visiting, CancellationToken cancellationToken)
    {
        INamedTypeSymbol definition = type.OriginalDefinition;
        if (_readings.TryGetValue(definition, out ModuleReading? reading)) return reading;
        reading = new ModuleReader(this, definition, visiting.Add(definition), cancellationToken).Read();
        return _readings.GetOrAdd(definition, reading);
    }

    /// <summary>
    /// <paramref name="type"/> as a child or base: its shape read from source or from its <c>[ModuleSignature]</c>,
    /// or an invalid shape saying why it is not a module.
    /// </summary>
    internal ModuleShape ShapeOf(INamedTypeSymbol type, ImmutableList<INamedTypeSymbol> visiting, CancellationToken cancellationToken)
    {
        INamedTypeSymbol definition = type.OriginalDefinition;
        if (definition.DeclaringSyntaxReferences.Length == 0)
            return MetadataShapes.Read(this, definition);
        if (!Declarations.DslFields(definition, Symbols).Any())
            return ModuleShape.Invalid(definition, $"'{definition.Name}' declares no Nnx members ([Param], [Sub], [Option], ...), so it is not a module");
        int onStack = visiting.FindIndex(t => SymbolEqualityComparer.Default.Equals(t, definition));
        if (onStack >= 0)
            // The modules from the first visit of this one up to here form the cycle.
            return ModuleShape.Invalid(definition, $"'{definition.Name}' contains itself", visiting.Skip(onStack).ToList());
        return Read(definition, visiting, cancellationToken).Shape;
    }

    /// <summary>A type as fully qualified C# (nullable annotations included), computed once per type: display strings are costly.</summary>
    public string Code(ITypeSymbol type) => _codes.GetOrAdd(type, static t => t.ToDisplayString(OptionType.CodeFormat));

    /// <summary>Whether <paramref name="tree"/> is a file this generator wrote (ignored when looking at user code).</summary>
    public static bool IsGenerated(SyntaxTree? tree) =>
        tree is not null && tree.FilePath.Replace('\\', '/').Contains("Nnx.Generators/Nnx.Generators.ModuleGenerator/");
}
