using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Nnx.Analyzers;

/// <summary>
/// NNX0006: <c>one_hot(ids, V)</c>, converted to floats, times a table: the seed's "bare matmul instead of indexing".
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class OneHotMatmulAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.OneHotMatmul);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            NnxSymbols? symbols = NnxSymbols.TryCreate(start.Compilation);
            if (symbols?.Tensor is null) return;
            start.RegisterOperationBlockAction(block => AnalyzeBlock(block, symbols));
        });
    }

    private static void AnalyzeBlock(OperationBlockAnalysisContext context, NnxSymbols symbols)
    {
        TensorFlow? flow = null;
        foreach (IOperation operation in context.OperationBlocks.SelectMany(b => b.DescendantsAndSelf()))
        {
            if (operation is not IInvocationOperation { TargetMethod.Name: "matmul" or "mm" } matmul || !symbols.IsTensor(matmul.Type)) continue;
            (IOperation? left, IOperation? right) = matmul.TargetMethod.IsStatic
                ? (matmul.Arguments.ElementAtOrDefault(0)?.Value, matmul.Arguments.ElementAtOrDefault(1)?.Value)
                : (matmul.Instance, matmul.Arguments.ElementAtOrDefault(0)?.Value);
            if (left is null || right is null) continue;
            flow ??= new TensorFlow(context.OperationBlocks, symbols);
            if (OneHot(left, flow) is not { Arguments.Length: > 0 } oneHot) continue;
            IOperation ids = oneHot.Arguments[0].Value;
            string classes = oneHot.Arguments.FirstOrDefault(a => a.Parameter?.Name == "num_classes" && a.ArgumentKind != ArgumentKind.DefaultValue)?.Value.Syntax.ToString() ?? "V";
            IOperation table = LookupSite.Unwrap(right);
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.OneHotMatmul, matmul.Syntax.GetLocation(),
                additionalLocations: new[] { table.Syntax.GetLocation(), ids.Syntax.GetLocation() },
                ids.Syntax.ToString(), classes, table.Syntax.ToString()));
        }
    }

    // one_hot(...) itself, or after dtype conversions and locals: one_hot(ids, V).to(ScalarType.Float32).
    private static IInvocationOperation? OneHot(IOperation operation, TensorFlow flow)
    {
        IOperation current = operation;
        for (int i = 0; i < 16; i++)
        {
            current = LookupSite.Unwrap(current);
            switch (current)
            {
                case IInvocationOperation { TargetMethod: { Name: "one_hot", IsStatic: true, ContainingType.Name: "functional" } } oneHot:
                    return oneHot;
                case IInvocationOperation { Instance: { } instance, TargetMethod.Name: "to" or "to_type" or "type" or "float" or "double" or "half" or "bfloat16" }:
                    current = instance;
                    continue;
                case ILocalReferenceOperation { Local: var local } when flow.SingleDefinition(local) is { } definition:
                    current = definition;
                    continue;
                default:
                    return null;
            }
        }
        return null;
    }
}
