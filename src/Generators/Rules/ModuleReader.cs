using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Nnx.Generators.Helpers;
using Nnx.Generators.Models;

namespace Nnx.Generators.Rules;

/// <summary>
/// Reads one module type against every rule: the type, its base, its options, each member in declaration order,
/// the expressions, the children, the names the generated part would declare. Every broken rule becomes a
/// <see cref="Problem"/> at the declaration it concerns; with none, the result carries the model to emit.
/// </summary>
/// <remarks>
/// Reading goes in two passes over the members: sizes first (<c>Shape</c>, <c>Count</c>, <c>Dims</c>), which may
/// introduce dimensions, then everything that may only use known names (<c>When</c>, <c>Options</c>, streams, ties).
/// The parts live in the other <c>ModuleReader.*.cs</c> files.
/// </remarks>
internal sealed partial class ModuleReader
{
    private readonly RuleBook _book;
    private readonly DslSymbols _symbols;
    private readonly INamedTypeSymbol _type;
    private readonly ImmutableList<INamedTypeSymbol> _visiting;
    private readonly CancellationToken _cancellationToken;
    private readonly List<Problem> _problems = [];
    private readonly List<Draft> _drafts = [];
    private readonly List<(int Ordinal, string Name)> _introducedDimensions = [];
    private ExprScope _scope = null!;

    public ModuleReader(RuleBook book, INamedTypeSymbol type, ImmutableList<INamedTypeSymbol> visiting, CancellationToken cancellationToken)
    {
        _book = book;
        _symbols = book.Symbols;
        _type = type;
        _visiting = visiting;
        _cancellationToken = cancellationToken;
    }

    private string TypeName => _type.Name;

    private Compilation Compilation => _book.Compilation;

    public ModuleReading Read()
    {
        _drafts.AddRange(Declarations.DslFields(_type, _symbols).Select(f => new Draft(f)));
        if (_drafts.Count == 0) return Invalid($"'{TypeName}' declares no Nnx members");

        TypeModel? typeModel = ReadType();
        if (typeModel is null) return Invalid($"'{TypeName}' cannot be generated (see its NNX0005 errors)");
        ReadBase();
        ReadOptions();
        foreach (Draft draft in _drafts) CheckField(draft);

        _scope = new ExprScope(TypeName, InheritedOptions().Concat(_options.Select(o => o.Info)), InheritedDimensions());
        foreach (Draft draft in _drafts.Where(d => !d.Broken))
        {
            _cancellationToken.ThrowIfCancellationRequested();
            int known = _scope.Dimensions.Count;
            ReadSizes(draft);
            for (int i = known; i < _scope.Dimensions.Count; i++) _introducedDimensions.Add((draft.Field.Ordinal, _scope.Dimensions[i]));
        }
        foreach (Draft draft in _drafts.Where(d => !d.Broken)) ReadTheRest(draft);

        List<ParameterModel> parameters = Parameters();
        CheckNames(parameters);
        ForwardModel? forward = ReadForward();
        bool hasHook = HasHook();

        if (_problems.Count > 0) return Invalid(Summary());
        List<ShapeMember> members = Members().ToList();
        var model = new ModuleModel(
            typeModel, _baseKind, _baseTypeCode, forward, _type.IsSealed, hasHook, parameters.ToEquatableArray(),
            OwnDimensions().ToEquatableArray(), _options.Select(o => o.Model).ToEquatableArray(),
            _drafts.Where(d => d.Model is not null).Select(d => d.Model!).ToEquatableArray(), Streams().ToEquatableArray(),
            SignatureText.Write(parameters.Where(p => p.Role == ParameterRole.Dimension).Select(p => p.Name), members),
            GeneratorVersion.Text);
        return new ModuleReading(model, EquatableArray<Problem>.Empty, new ModuleShape(_type, ShapeParameters(parameters), members, _forwardTypes));
    }

    private ModuleReading Invalid(string why) =>
        new(null, _problems.ToEquatableArray(), ModuleShape.Invalid(_type, why, _cycle));

    // The modules of a cycle this one is part of, as a child's reading found it.
    private IReadOnlyList<INamedTypeSymbol>? _cycle;

    // The first problem, for parents that report "child is not generated: ...".
    private string Summary()
    {
        Problem first = _problems[0];
        return $"{first.RuleId}: {string.Join(": ", first.Arguments.Skip(first.Arguments.Count - 1))}";
    }

    private void Report(string ruleId, LocationInfo? location, params string[] arguments) =>
        _problems.Add(new Problem(ruleId, location, arguments.ToEquatableArray()));

    /// <summary>The dimensions this type introduces (a base's belong to the base), in order of first appearance.</summary>
    private IEnumerable<string> OwnDimensions() => _introducedDimensions.Select(d => d.Name);

    /// <summary>RNG stream names known at compile time that the module's own members draw from.</summary>
    private IEnumerable<string> Streams() =>
        _drafts.Select(d => d.Stream?.Default ?? "").Where(s => s.Length > 0).Distinct();
}
