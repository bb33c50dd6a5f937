using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Nnx.Analyzers;

/// <summary>
/// Data flow over one method body (or other operation block): which values each local is assigned and what each
/// local function returns, gathered in one pass, then <see cref="Evaluate"/> proves a tensor's dtype from them.
/// The analysis is flow-insensitive and conservative: a local is known only when every value it is ever assigned
/// agrees, and not at all when it is passed by <c>ref</c>/<c>out</c> or assigned through a compound operator.
/// </summary>
internal sealed class TensorFlow
{
    private const int MaxDepth = 24;

    private readonly NnxSymbols _symbols;
    private readonly Dictionary<ILocalSymbol, List<IOperation>> _definitions = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ILocalSymbol> _escaped = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IMethodSymbol, List<IOperation>> _returns = new(SymbolEqualityComparer.Default);

    public TensorFlow(IEnumerable<IOperation> blocks, NnxSymbols symbols)
    {
        _symbols = symbols;
        foreach (IOperation block in blocks)
            foreach (IOperation operation in block.DescendantsAndSelf())
                Collect(operation);
    }

    /// <summary>The one value a local is ever assigned, or null when it has none or several.</summary>
    public IOperation? SingleDefinition(ILocalSymbol local) =>
        !_escaped.Contains(local) && _definitions.TryGetValue(local, out List<IOperation>? values) && values.Count == 1 ? values[0] : null;

    /// <summary>What can be proven about the tensor <paramref name="operation"/> evaluates to.</summary>
    public TensorFact Evaluate(IOperation operation) => Evaluate(operation, 0, new HashSet<ISymbol>(SymbolEqualityComparer.Default));

    private void Collect(IOperation operation)
    {
        switch (operation)
        {
            case IVariableDeclaratorOperation declarator when declarator.GetVariableInitializer() is { Value: var value }:
                Define(declarator.Symbol, value);
                break;
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation { Local: var local }, Value: var value }:
                Define(local, value);
                break;
            case ICompoundAssignmentOperation { Target: ILocalReferenceOperation { Local: var local } }:
                _escaped.Add(local);
                break;
            case ICoalesceAssignmentOperation { Target: ILocalReferenceOperation { Local: var local } }:
                _escaped.Add(local);
                break;
            case IDeconstructionAssignmentOperation deconstruction:
                foreach (ILocalReferenceOperation target in deconstruction.Target.DescendantsAndSelf().OfType<ILocalReferenceOperation>())
                    _escaped.Add(target.Local);
                break;
            case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: var value }:
                foreach (ILocalReferenceOperation target in value.DescendantsAndSelf().OfType<ILocalReferenceOperation>())
                    _escaped.Add(target.Local);
                break;
            case ILocalReferenceOperation { IsDeclaration: true, Local: var declared }:
                _escaped.Add(declared); // out var x, or a deconstruction into new locals
                break;
            case IReturnOperation { ReturnedValue: { } returned } when EnclosingLocalFunction(operation) is { } function:
                if (!_returns.TryGetValue(function, out List<IOperation>? values))
                    _returns.Add(function, values = new List<IOperation>());
                values.Add(returned);
                break;
        }
    }

    private void Define(ILocalSymbol local, IOperation value)
    {
        if (!_definitions.TryGetValue(local, out List<IOperation>? values))
            _definitions.Add(local, values = new List<IOperation>());
        values.Add(value);
    }

    private static IMethodSymbol? EnclosingLocalFunction(IOperation operation)
    {
        for (IOperation? o = operation.Parent; o is not null; o = o.Parent)
        {
            if (o is ILocalFunctionOperation function) return function.Symbol;
            if (o is IAnonymousFunctionOperation) return null;
        }
        return null;
    }

    private TensorFact Evaluate(IOperation operation, int depth, HashSet<ISymbol> visiting)
    {
        if (depth > MaxDepth) return TensorFact.Unknown;
        operation = LookupSite.Unwrap(operation);
        switch (operation)
        {
            case ILocalReferenceOperation { Local: var local }:
                return EvaluateLocal(local, depth, visiting);
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                return TensorFact.Join(Evaluate(conditional.WhenTrue, depth + 1, visiting), Evaluate(whenFalse, depth + 1, visiting));
            case ICoalesceOperation coalesce:
                return TensorFact.Join(Evaluate(coalesce.Value, depth + 1, visiting), Evaluate(coalesce.WhenNull, depth + 1, visiting));
            case ISwitchExpressionOperation { Arms.Length: > 0 } switchExpression:
                return switchExpression.Arms.Select(a => Evaluate(a.Value, depth + 1, visiting)).Aggregate(TensorFact.Join);
            case IInvocationOperation invocation:
                return EvaluateInvocation(invocation, depth, visiting);
            case IBinaryOperation binary when _symbols.IsTensor(binary.Type):
                return EvaluateArithmetic(binary.OperatorKind switch
                {
                    BinaryOperatorKind.Divide => "/",
                    BinaryOperatorKind.Add => "+",
                    BinaryOperatorKind.Subtract => "-",
                    BinaryOperatorKind.Multiply => "*",
                    _ => "",
                }, binary.LeftOperand, binary.RightOperand, depth, visiting);
            default:
                return TensorFact.Unknown;
        }
    }

    private TensorFact EvaluateLocal(ILocalSymbol local, int depth, HashSet<ISymbol> visiting)
    {
        if (_escaped.Contains(local) || !_definitions.TryGetValue(local, out List<IOperation>? values) || !visiting.Add(local))
            return TensorFact.Unknown;
        try
        {
            // Constant ids survive only a single definition (Join drops them): with several, which one reaches is unknown.
            return values.Count == 1 ? Evaluate(values[0], depth + 1, visiting) : values.Select(v => Evaluate(v, depth + 1, visiting)).Aggregate(TensorFact.Join);
        }
        finally
        {
            visiting.Remove(local);
        }
    }

    private TensorFact EvaluateInvocation(IInvocationOperation invocation, int depth, HashSet<ISymbol> visiting)
    {
        IMethodSymbol method = invocation.TargetMethod;
        if (method.MethodKind == MethodKind.LocalFunction)
        {
            if (!_returns.TryGetValue(method.OriginalDefinition, out List<IOperation>? returned) || !visiting.Add(method.OriginalDefinition))
                return TensorFact.Unknown;
            try
            {
                return returned.Select(r => Evaluate(r, depth + 1, visiting)).Aggregate(TensorFact.Join);
            }
            finally
            {
                visiting.Remove(method.OriginalDefinition);
            }
        }
        if (!_symbols.IsTensor(method.ReturnType)) return TensorFact.Unknown;
        if (method.IsStatic && SymbolEqualityComparer.Default.Equals(method.ContainingType, _symbols.Torch))
            return TensorFactories.Evaluate(invocation, _symbols);
        if (method.IsStatic || invocation.Instance is null || !_symbols.IsTensor(method.ContainingType))
            return TensorFact.Unknown;

        TensorFact receiver = Evaluate(invocation.Instance, depth + 1, visiting);
        switch (method.Name)
        {
            case "to" or "to_type" or "type":
                IArgumentOperation? dtype = invocation.Arguments.FirstOrDefault(a => _symbols.Is(a.Parameter?.Type, _symbols.ScalarType));
                if (dtype is not null) return TensorFactories.FromDtype(dtype.Value, _symbols, receiver) ?? TensorFact.Unknown;
                // to(device) keeps the dtype and the values; to(other tensor) takes the other's dtype.
                return invocation.Arguments.Any(a => _symbols.IsTensor(a.Parameter?.Type)) ? TensorFact.Unknown : receiver;
            case "float" or "double" or "half" or "bfloat16":
                return TensorFact.Floating($".{method.Name}()");
            case "long" or "int":
                return receiver.Kind == DtypeKind.Integer ? receiver : TensorFact.Integer($".{method.Name}()");
            case "reshape" or "view" or "flatten" or "ravel" or "squeeze" or "unsqueeze" or "clone" or "detach" or "contiguous"
                or "cpu" or "cuda" or "alias" or "requires_grad_":
                return receiver;
            case "t" or "transpose" or "permute" or "narrow" or "slice" or "flip" or "expand" or "repeat" or "index_select" or "neg" or "abs":
                return receiver with { Constants = null };
            case "sqrt" or "rsqrt" or "exp" or "log" or "sigmoid" or "tanh" or "sin" or "cos" or "reciprocal":
                return TensorFact.Floating($".{method.Name}()");
            case "div" or "true_divide" or "divide":
                return invocation.Arguments.Any(a => a.Parameter?.Name == "rounding_mode" && a.ArgumentKind != ArgumentKind.DefaultValue)
                    ? TensorFact.Unknown : TensorFact.Floating($".{method.Name}()");
            case "mul" or "multiply" or "add" or "sub" or "subtract" when invocation.Arguments.Length >= 1:
                return EvaluateArithmetic("*", invocation.Instance, invocation.Arguments[0].Value, depth, visiting);
            default:
                return TensorFact.Unknown;
        }
    }

    // Type promotion as PyTorch does it: true division always yields floats; otherwise a floating tensor or a
    // floating C# number on either side makes the result floating, and two integer operands stay integer.
    private TensorFact EvaluateArithmetic(string op, IOperation left, IOperation right, int depth, HashSet<ISymbol> visiting)
    {
        if (op == "/") return TensorFact.Floating("division");
        if (op.Length == 0) return TensorFact.Unknown;
        DtypeKind l = OperandKind(left, depth, visiting), r = OperandKind(right, depth, visiting);
        if (l == DtypeKind.Floating || r == DtypeKind.Floating) return TensorFact.Floating("floating-point arithmetic");
        return l == DtypeKind.Integer && r == DtypeKind.Integer ? TensorFact.Integer("integer arithmetic") : TensorFact.Unknown;
    }

    private DtypeKind OperandKind(IOperation operand, int depth, HashSet<ISymbol> visiting)
    {
        IOperation value = LookupSite.Unwrap(operand);
        if (_symbols.IsTensor(value.Type)) return Evaluate(value, depth + 1, visiting).Kind;
        return value.Type?.SpecialType switch
        {
            SpecialType.System_Single or SpecialType.System_Double => DtypeKind.Floating,
            SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16 or SpecialType.System_Byte => DtypeKind.Integer,
            _ => DtypeKind.Unknown,
        };
    }
}
