using System.Collections.Generic;
using System.Linq;

namespace Nnx.Generators.Rules;

/// <summary>An option a declaration expression can name: its constructor parameter and type.</summary>
/// <param name="Name">The constructor parameter (the field's name without leading underscores).</param>
/// <param name="Type">Its type.</param>
internal sealed record OptionInfo(string Name, OptionType Type);

/// <summary>The names a module's declaration expressions can use, and the dimensions they introduce.</summary>
internal sealed class ExprScope
{
    /// <summary>Names the generated constructor uses itself, or that mean something else in expressions.</summary>
    public static readonly string[] Reserved = ["rngs", "paramDtype", "i"];

    private readonly List<string> _dimensions = [];

    public ExprScope(string typeName, IEnumerable<OptionInfo> options, IEnumerable<string> inheritedDimensions)
    {
        TypeName = typeName;
        Options = options.ToDictionary(o => o.Name, System.StringComparer.Ordinal);
        _dimensions.AddRange(inheritedDimensions);
    }

    public string TypeName { get; }

    public Dictionary<string, OptionInfo> Options { get; }

    /// <summary>Every dimension, inherited ones first, then in order of first appearance.</summary>
    public IReadOnlyList<string> Dimensions => _dimensions;

    /// <summary>Whether an unknown name becomes a new dimension (sizes) or is an error (conditions, option values).</summary>
    public bool MayIntroduce { get; set; }

    /// <summary>Whether <c>i</c> is the element index (a list's <c>Dims</c> and <c>Options</c>).</summary>
    public bool IndexAvailable { get; set; }

    public bool IsDimension(string name) => _dimensions.Contains(name);

    public void AddDimension(string name)
    {
        if (!_dimensions.Contains(name)) _dimensions.Add(name);
    }

    /// <summary>"options: a, b; dimensions: c" for messages.</summary>
    public string Known()
    {
        string options = Options.Count == 0 ? "no options" : "options: " + string.Join(", ", Options.Keys);
        string dims = _dimensions.Count == 0 ? "no dimensions" : "dimensions: " + string.Join(", ", _dimensions);
        return $"{TypeName} has {options}; {dims}";
    }
}
