using System.Linq;
using System.Reflection;
using Nnx.Syntax;

namespace Nnx.Runtime.Tests;

/// <summary>
/// The one Init grammar (src/Generators/Shared/InitSyntax.cs, compiled into the generator, the analyzers and this
/// runtime) names, for each form, the <see cref="Initializers"/> method the generator calls: every form must have it,
/// with its parameters in the form's order, and <see cref="Initializer.Parse"/> must build the same initializer.
/// </summary>
public class InitFormTests
{
    public static TheoryData<string> Forms => new(InitSyntax.Forms.Select(f => f.Name));

    [Theory]
    [MemberData(nameof(Forms))]
    public void Every_form_names_an_initializers_method_taking_its_parameters_in_order(string name)
    {
        InitForm form = InitSyntax.Forms.Single(f => f.Name == name);

        MethodInfo method = typeof(Initializers).GetMethod(form.Factory, BindingFlags.Public | BindingFlags.Static)!;

        Assert.NotNull(method);
        Assert.Equal(form.Parameters.Length, method.GetParameters().Length);
        Assert.Equal(typeof(Initializer), method.ReturnType);
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void The_typed_form_and_the_parsed_text_are_the_same_initializer(string name)
    {
        InitForm form = InitSyntax.Forms.Single(f => f.Name == name);
        string text = form.Parameters.Any(p => p.Default is null) ? name == "constant" ? "constant(0.5)" : "variance_scaling(2.0, fan_out, uniform)" : name;
        Assert.True(InitSyntax.TryParse(text, out InitSpec? spec, out string error), error);

        Initializer typed = InitializerFactory.Create(spec!);
        Initializer parsed = Initializer.Parse(text);

        Assert.Equal(parsed.Spec, typed.Spec);
        Assert.Equal(parsed.GetType(), typed.GetType());
    }

    [Theory]
    [InlineData("zeros", false)]
    [InlineData("ones", false)]
    [InlineData("constant(2)", false)]
    [InlineData("normal", true)]
    [InlineData("lecun_normal", true)]
    public void The_spec_says_whether_an_initializer_draws_its_key(string text, bool drawsKey)
    {
        Assert.True(InitSyntax.TryParse(text, out InitSpec? spec, out _));

        Assert.Equal(drawsKey, spec!.DrawsKey);
    }
}
