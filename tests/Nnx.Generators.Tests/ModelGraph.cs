using System;
using System.Collections;
using System.Collections.Generic;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Nnx.Generators.Tests;

/// <summary>Walks a pipeline model's object graph and fails on anything that would root a compilation.</summary>
internal static class ModelGraph
{
    private static readonly Type[] Forbidden = [typeof(ISymbol), typeof(SyntaxNode), typeof(Compilation), typeof(SemanticModel), typeof(Location), typeof(SyntaxTree), typeof(AttributeData)];

    public static void AssertHoldsNoRoslynObjects(object? model) => Walk(model, new HashSet<object>(ReferenceEqualityComparer.Instance), "model");

    private static void Walk(object? value, HashSet<object> seen, string path)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum) return;
        foreach (Type forbidden in Forbidden)
            Assert.False(forbidden.IsInstanceOfType(value), $"{path} holds a {forbidden.Name}");
        if (!value.GetType().IsValueType && !seen.Add(value)) return;
        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items) Walk(item, seen, $"{path}[{i++}]");
        }
        foreach (FieldInfo field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            Walk(field.GetValue(value), seen, $"{path}.{field.Name}");
    }
}
