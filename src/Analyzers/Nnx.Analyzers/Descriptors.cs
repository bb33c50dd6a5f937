using Microsoft.CodeAnalysis;

namespace Nnx.Analyzers;

/// <summary>Every diagnostic Nnx reports, with its ID, default severity and help page.</summary>
/// <remarks>Severities follow DESIGN.md section 5; users change them in <c>.editorconfig</c>
/// (<c>dotnet_diagnostic.NNX0007.severity = suggestion</c>).</remarks>
public static class Descriptors
{
    public const string FloatIdsId = "NNX0001";
    public const string TransposedTableId = "NNX0002";
    public const string BadShapeId = "NNX0003";
    public const string BadInitId = "NNX0004";
    public const string ParamMisuseId = "NNX0005";
    public const string OneHotMatmulId = "NNX0006";
    public const string AdvancedIndexingId = "NNX0007";
    public const string IdOutOfRangeId = "NNX0008";

    private const string HelpRoot = "https://github.com/nnx-gen/nnx-gen/blob/main/docs/diagnostics/";
    private const string DeclarationCategory = "Nnx.Declaration";
    private const string CorrectnessCategory = "Nnx.Correctness";
    private const string PerformanceCategory = "Nnx.Performance";

    public static readonly DiagnosticDescriptor FloatIds = new(
        FloatIdsId,
        title: "Floating-point token ids reach an embedding lookup",
        messageFormat: "Token ids '{0}' are a floating-point tensor ({1}), but {2} needs Int64 or Int32 ids; convert them with {0}.to(ScalarType.Int64) or build them from a long[]",
        category: CorrectnessCategory,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "index_select, advanced indexing and Embedding reject floating-point indices at run time. Cast ids to an integer dtype before the lookup (the seed problem's \"#1 mistake\").",
        helpLinkUri: HelpRoot + FloatIdsId + ".md");

    public static readonly DiagnosticDescriptor TransposedTable = new(
        TransposedTableId,
        title: "Embedding table is transposed",
        messageFormat: "Parameter '{0}' has Shape \"{1}\" but rows are looked up along axis {2} ('{3}', named like a model width) while axis {4} ('{5}') is named like a vocabulary; write Shape = \"{6}\"",
        category: CorrectnessCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "An embedding table is (vocab, dModel): the lookup axis is the vocabulary. A (dModel, vocab) table looked up by row returns columns of the wrong size or fails for ids >= dModel.",
        helpLinkUri: HelpRoot + TransposedTableId + ".md");

    public static readonly DiagnosticDescriptor BadShape = new(
        BadShapeId,
        title: "Invalid Shape",
        messageFormat: "Shape of '{0}' is invalid: {1}",
        category: DeclarationCategory,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Shape lists dimension names (C# identifiers, each used once) or positive integer literals, separated by commas.",
        helpLinkUri: HelpRoot + BadShapeId + ".md");

    public static readonly DiagnosticDescriptor BadInit = new(
        BadInitId,
        title: "Invalid Init",
        messageFormat: "Init of '{0}' is invalid: {1}",
        category: DeclarationCategory,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Init names a jax.nn.initializers function with its arguments, e.g. normal, normal(0.02), zeros, variance_scaling(1.0, fan_in, truncated_normal).",
        helpLinkUri: HelpRoot + BadInitId + ".md");

    public static readonly DiagnosticDescriptor ParamMisuse = new(
        ParamMisuseId,
        title: "Module member cannot be generated here",
        messageFormat: "[{0}] on '{1}' is not generated: {2}",
        category: DeclarationCategory,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generator writes the constructor and registration into another part of the class, so the class and the classes around it must be partial, the class concrete, non-static, not a record, and derive directly from Nnx.Module or from nothing; the field must be a non-readonly instance field of the right type (Parameter for [Param] and [Tied], Tensor for [BatchStat]) with one generator attribute.",
        helpLinkUri: HelpRoot + ParamMisuseId + ".md");

    public static readonly DiagnosticDescriptor OneHotMatmul = new(
        OneHotMatmulId,
        title: "One-hot matmul used as an embedding lookup",
        messageFormat: "one_hot({0}, {1}) times '{2}' is a row lookup; write {2}.index_select(0, {0}) (same result without the (T, {1}) one-hot matrix)",
        category: PerformanceCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Multiplying a one-hot matrix by the table gives the same rows as indexing, but allocates T x vocab floats and does T x vocab x dModel multiply-adds.",
        helpLinkUri: HelpRoot + OneHotMatmulId + ".md");

    public static readonly DiagnosticDescriptor AdvancedIndexing = new(
        AdvancedIndexingId,
        title: "Advanced indexing of a parameter for a row lookup",
        messageFormat: "'{0}[{1}]' looks rows up through advanced indexing; {0}.index_select(0, {1}) gives the same rows 4 to 8 times faster from 64 ids up",
        category: PerformanceCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Tensor indexing with an id tensor goes through ATen's general advanced indexing; index_select is the dedicated gather. For N-D ids, flatten them and reshape the result.",
        helpLinkUri: HelpRoot + AdvancedIndexingId + ".md");

    public static readonly DiagnosticDescriptor IdOutOfRange = new(
        IdOutOfRangeId,
        title: "Constant token id out of range",
        messageFormat: "Token id {0} is out of range for {1} rows ({2}): ids must be in [0, {3}]",
        category: CorrectnessCategory,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A constant id at or beyond the vocabulary size (or negative) makes index_select and Embedding throw, and makes JAX return clamped garbage.",
        helpLinkUri: HelpRoot + IdOutOfRangeId + ".md");
}
