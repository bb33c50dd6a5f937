using Nnx.Generators.Helpers;

namespace Nnx.Generators.Models;

/// <summary>One type declaration in the chain that encloses a module (outermost first), as it must be re-declared.</summary>
/// <param name="Keyword">"class", "record" or "struct".</param>
/// <param name="Name">The simple name.</param>
/// <param name="TypeParameters">"&lt;T, U&gt;" or empty.</param>
/// <param name="Accessibility">"public", "internal", ... or empty for the default.</param>
internal sealed record TypeDeclModel(string Keyword, string Name, string TypeParameters, string Accessibility);

/// <summary>Where a generated module lives: namespace and enclosing types, with the module's own declaration last.</summary>
/// <param name="Namespace">Dotted namespace, empty for the global namespace.</param>
/// <param name="Chain">Enclosing type declarations, the module itself last.</param>
internal sealed record TypeModel(string Namespace, EquatableArray<TypeDeclModel> Chain)
{
    public TypeDeclModel Self => Chain[Chain.Count - 1];

    /// <summary>The name <c>GetTypeByMetadataName</c> resolves: <c>Ns.Outer+Inner`1</c>.</summary>
    public string MetadataName
    {
        get
        {
            var text = new System.Text.StringBuilder();
            if (Namespace.Length > 0) text.Append(Namespace).Append('.');
            for (int i = 0; i < Chain.Count; i++)
            {
                if (i > 0) text.Append('+');
                text.Append(Chain[i].Name);
                int arity = Chain[i].TypeParameters.Length == 0 ? 0 : Chain[i].TypeParameters.Split(',').Length;
                if (arity > 0) text.Append('`').Append(arity);
            }
            return text.ToString();
        }
    }

    /// <summary>A unique, file-safe hint name: <c>Namespace.Outer.Inner_1.g.cs</c>.</summary>
    public string HintName
    {
        get
        {
            var parts = new System.Collections.Generic.List<string>();
            if (Namespace.Length > 0) parts.Add(Namespace);
            foreach (TypeDeclModel t in Chain)
            {
                int arity = t.TypeParameters.Length == 0 ? 0 : t.TypeParameters.Split(',').Length;
                parts.Add(arity == 0 ? t.Name : t.Name + "_" + arity);
            }
            return string.Join(".", parts) + ".g.cs";
        }
    }
}
