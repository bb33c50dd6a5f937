using Microsoft.CodeAnalysis;

namespace Nnx.Analyzers;

/// <summary>Every diagnostic Nnx reports, with its ID, default severity and help page.</summary>
/// <remarks>Errors for what cannot build or run; warnings for what runs but is wrong or slow. Users change them in <c>.editorconfig</c>
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
    public const string BadSubId = "NNX0009";
    public const string BadOptionId = "NNX0010";
    public const string NameClashId = "NNX0011";
    public const string BadStreamId = "NNX0012";
    public const string BadTieId = "NNX0013";

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
        title: "Invalid Shape, Dims, Count or When",
        messageFormat: "{0} of '{1}' is invalid: {2}",
        category: DeclarationCategory,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Shape lists sizes separated by commas; Dims gives child=size pairs; Count is one size; When is a condition. Sizes are integer expressions over dimension names, integer options and positive literals with + - * / and parentheses; a constant size must be at least 1 and divide exactly.",
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
        description: "The generator writes the constructor and registration into another part of the class, so the class and the classes around it must be partial, the class concrete, non-static, not a record, and derive from nothing, from Nnx.Module or Nnx.Module<T, TResult>, or from another generated module; the field must be an instance field of the right type (Parameter for [Param] and [Tied], Tensor for [BatchStat], RngStream for [Fork]) with one Nnx attribute, and not readonly where the generated code reassigns it.",
        helpLinkUri: HelpRoot + ParamMisuseId + ".md");

    public static readonly DiagnosticDescriptor OneHotMatmul = new(
        OneHotMatmulId,
        title: "One-hot matmul used as an embedding lookup",
        messageFormat: "one_hot({0}, {1}) times '{2}' is a row lookup; write Lookup.Rows({2}, {0}) (the same rows, with its ids checked, without the (T, {1}) one-hot matrix)",
        category: PerformanceCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Multiplying a one-hot matrix by the table gives the same rows as indexing, but allocates T x vocab floats and does T x vocab x dModel multiply-adds.",
        helpLinkUri: HelpRoot + OneHotMatmulId + ".md");

    public static readonly DiagnosticDescriptor AdvancedIndexing = new(
        AdvancedIndexingId,
        title: "Advanced indexing of a parameter for a row lookup",
        messageFormat: "'{0}[{1}]' looks rows up through advanced indexing; Lookup.Rows({0}, {1}) gives the same rows, with its ids checked, 4 to 8 times faster from 64 ids up",
        category: PerformanceCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Tensor indexing with an id tensor goes through ATen's general advanced indexing; Nnx.Lookup.Rows is the dedicated gather (index_select) for ids of any rank, and checks that they are integers in range first.",
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

    public static readonly DiagnosticDescriptor BadSub = new(
        BadSubId,
        title: "Invalid [Sub]",
        messageFormat: "[Sub] '{0}' is not generated: {1}",
        category: DeclarationCategory,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A [Sub] field's type is a generated module (or a ModuleList of them, with Count); Dims names the child's dimensions, Options its options with values of their types, and the child must itself be generated and must not contain its parent.",
        helpLinkUri: HelpRoot + BadSubId + ".md");

    public static readonly DiagnosticDescriptor BadOption = new(
        BadOptionId,
        title: "Invalid [Option]",
        messageFormat: "[Option] '{0}' is not generated: {1}",
        category: DeclarationCategory,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "An option is an instance field of a number, bool, char, string or enum type, their nullable forms or one-dimensional arrays of them; its default, if any, is a constant.",
        helpLinkUri: HelpRoot + BadOptionId + ".md");

    public static readonly DiagnosticDescriptor NameClash = new(
        NameClashId,
        title: "Generated member would clash",
        messageFormat: "The generated member '{0}' would clash: {1}",
        category: DeclarationCategory,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Each dimension and option becomes a PascalCase property, and the generator writes the constructor, RegisterComponents, VisitState, Definition and RngStreams; none of these may take a name the class or its base already uses.",
        helpLinkUri: HelpRoot + NameClashId + ".md");

    public static readonly DiagnosticDescriptor BadStream = new(
        BadStreamId,
        title: "Invalid RNG stream",
        messageFormat: "The RNG stream of '{0}' is invalid: {1}",
        category: DeclarationCategory,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Rng and [Fork] name a stream of Rngs (\"params\", \"dropout\", ...) or a string option holding one.",
        helpLinkUri: HelpRoot + BadStreamId + ".md");

    public static readonly DiagnosticDescriptor BadTie = new(
        BadTieId,
        title: "Tie names no parameter",
        messageFormat: "The tie of '{0}' is invalid: {1}",
        category: DeclarationCategory,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "[Tied(\"path\")] and [Sub(Tied = \"kernel=path\")] name a parameter by its dotted path from the declaring module, e.g. \"embed.embedding\" or \"blocks.0.kernel\".",
        helpLinkUri: HelpRoot + BadTieId + ".md");

    /// <summary>The descriptor of a rule-book rule, by ID.</summary>
    public static DiagnosticDescriptor ForRule(string id) => id switch
    {
        BadShapeId => BadShape,
        BadInitId => BadInit,
        ParamMisuseId => ParamMisuse,
        BadSubId => BadSub,
        BadOptionId => BadOption,
        NameClashId => NameClash,
        BadStreamId => BadStream,
        _ => BadTie,
    };
}
