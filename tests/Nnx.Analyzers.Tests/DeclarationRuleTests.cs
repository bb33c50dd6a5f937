using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;

namespace Nnx.Analyzers.Tests;

/// <summary>
/// NNX0009-NNX0013 and the cases a new user met with no NNX diagnostic before the rule book: each declaration the
/// generator does not build gets an error at the declaration, naming the value and what was expected.
/// </summary>
public class DeclarationRuleTests
{
    private const string Usings = """
        using Nnx;
        using TorchSharp;
        using TorchSharp.Modules;

        """;

    private static async Task Expect(string source, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest<DeclarationAnalyzer>(Usings + source);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    private static DiagnosticResult Sub(int location, string field, string why) =>
        new DiagnosticResult(Descriptors.BadSub).WithLocation(location).WithArguments(field, why);

    [Fact]
    public async Task A_sub_cycle_is_an_error_on_both_fields()
    {
        await Expect("""
            public partial class A { [{|#0:Sub|}] private B? b; }
            public partial class B { [{|#1:Sub|}] private A? a; }
            """,
            Sub(0, "b", "'A' would contain itself through 'b' (B); a module cannot contain itself, directly or through its children"),
            Sub(1, "a", "'B' would contain itself through 'a' (A); a module cannot contain itself, directly or through its children"));
    }

    [Fact]
    public async Task A_longer_cycle_names_each_module_in_it_and_a_module_outside_it_points_at_the_child()
    {
        await Expect("""
            public partial class A { [{|#0:Sub|}] private B? b; }
            public partial class B { [{|#1:Sub|}] private C? c; }
            public partial class C { [{|#2:Sub|}] private A? a; }
            public partial class Outside { [{|#3:Sub|}] private A? a; }
            """,
            Sub(0, "b", "'A' would contain itself through 'b' (B); a module cannot contain itself, directly or through its children"),
            Sub(1, "c", "'B' would contain itself through 'c' (C); a module cannot contain itself, directly or through its children"),
            Sub(2, "a", "'C' would contain itself through 'a' (A); a module cannot contain itself, directly or through its children"),
            Sub(3, "a", "its type 'A' is not generated because of its own errors (NNX0009: 'A' would contain itself through 'b' (B); a module cannot contain itself, directly or through its children); fix those first"));
    }

    [Fact]
    public async Task A_module_containing_itself_is_an_error()
    {
        await Expect("public partial class Tree { [{|#0:Sub|}] private Tree? child; }",
            Sub(0, "child", "'Tree' would contain itself through 'child' (Tree); a module cannot contain itself, directly or through its children"));
    }

    [Theory]
    [InlineData("[{|#0:Sub|}] private string? s;", "s", "'string' is not an Nnx module (a partial class with Nnx members, or a library module such as Nnx.Linear)")]
    [InlineData("[{|#0:Sub|}] private Plain? p;", "p", "'Plain' declares no Nnx members ([Param], [Sub], [Option], ...), so it is not a module")]
    [InlineData("[{|#0:Sub|}] private TorchSharp.Modules.Linear? l;", "l", "'TorchSharp.Modules.Linear' is not an Nnx module (a partial class with Nnx members, or a library module such as Nnx.Linear); Nnx's layers are in the Nnx namespace (write Nnx.Linear)")]
    [InlineData("[{|#0:Sub|}] private RngStream? r;", "r", "an RngStream is forked from the constructor's Rngs, not built: write [Fork(\"dropout\")] on 'r'")]
    [InlineData("[Sub(Count = {|#0:\"2\"|})] private Nnx.Linear? l;", "l", "Count builds a list, so field 'l' must be a ModuleList<Linear>")]
    [InlineData("[{|#0:Sub|}] private ModuleList<Nnx.Linear>? l;", "l", "field 'l' is a ModuleList; say how many children to build with Count, e.g. [Sub(Count = \"depth\")]")]
    [InlineData("[Sub(Dims = {|#0:\"inFeature=dModel\"|})] private Nnx.Linear? l;", "l", "Linear has no dimension 'inFeature' (its dimensions are inFeatures, outFeatures)")]
    [InlineData("[Sub(Dims = {|#0:\"useBias=1\"|})] private Nnx.Linear? l;", "l", "Linear has no dimension 'useBias' (its dimensions are inFeatures, outFeatures); 'useBias' is an option of Linear: give it in Options")]
    [InlineData("[Sub(Options = {|#0:\"rate=true\"|})] private Nnx.Dropout? d;", "d", "rate=true: 'true' is a condition (true or false), but a number is needed here")]
    [InlineData("[Sub(Options = {|#0:\"epsilon=1e-5\"|})] private Nnx.Dropout? d;", "d", "Dropout has no option 'epsilon' (its options are rate, broadcastDims, deterministic, rngCollection)")]
    [InlineData("[Sub(Options = {|#0:\"\"|})] private Nnx.Dropout? d;", "d", "Options is empty; remove it or give name=value pairs")]
    [InlineData("[Sub(Options = {|#0:\"rate\"|})] private Nnx.Dropout? d;", "d", "'rate' in Options is not a name=value pair such as epsilon=1e-5")]
    [InlineData("[Sub(Options = {|#0:\"outOfRange=OutOfRange.Wrap\"|})] private Nnx.Embed? e;", "e", "outOfRange=OutOfRange.Wrap: 'OutOfRange.Wrap' is not a member of OutOfRange (OutOfRange.Throw, OutOfRange.JaxClamp, OutOfRange.Fill) nor an option of that type")]
    public async Task A_sub_that_cannot_be_built_says_why(string member, string field, string why)
    {
        await Expect($$"""
            public class Plain { }
            public partial class Parent
            {
                [Param(Shape = "dModel, numFeatures")] private Parameter? w;
                {{member}}
            }
            """, Sub(0, field, why));
    }

    [Fact]
    public async Task A_required_child_option_the_parent_does_not_give_is_an_error()
    {
        await Expect("public partial class Parent { [Sub(Options = {|#0:\"broadcastDims=null\"|})] private Nnx.Dropout? d; }",
            Sub(0, "d", "Dropout needs its option 'rate' (double): give it in Options, e.g. Options = \"rate=...\""));
    }

    [Fact]
    public async Task A_count_that_is_written_empty_is_an_error()
    {
        await Expect("public partial class Parent { [Sub(Count = {|#0:\"\"|})] private ModuleList<Nnx.Linear>? l; }",
            new DiagnosticResult(Descriptors.BadShape).WithLocation(0).WithArguments("Count", "l", "Count is empty; give the number of children, e.g. \"depth\" or \"2\""));
    }

    [Fact]
    public async Task Malformed_dims_are_an_error_on_the_dims_argument()
    {
        await Expect("public partial class Parent { [Sub(Dims = {|#0:\"n==m,\"|})] private Nnx.Linear? l; }",
            Sub(0, "l", "'n==m' in Dims is not a name=value pair such as vocab=nTokens"),
            Sub(0, "l", "'' in Dims is not a name=value pair such as vocab=nTokens"));
    }

    [Theory]
    [InlineData("[{|#0:Option|}] private static int heads;", "option 'heads' is static; each module has its own options, make it an instance field")]
    [InlineData("[{|#0:Option|}] private readonly TorchSharp.torch.Device? device;", "option 'device' is a Device?; options are numbers, bool, char, string, enums, their nullable forms and one-dimensional arrays of them")]
    [InlineData("[{|#0:Option|}] private readonly long[] widths = { 1, 2 };", "option 'widths' has a default array; C# defaults are constants, so an array option's default can only be null (handle null in OnInitialized, or make it required)")]
    [InlineData("[{|#0:Option|}] private readonly int rngs;", "option 'rngs' takes the name 'rngs', which the generated constructor uses itself; rename it")]
    [InlineData("[{|#0:Option|}] private readonly double rate = System.Math.PI * 0 + Later;\nprivate static double Later = 1;", "the default of option 'rate' is not a constant; write a literal, or leave it without a default to make it required")]
    public async Task A_bad_option_says_why(string member, string why)
    {
        string field = member.Contains("heads") ? "heads" : member.Contains("device") ? "device" : member.Contains("widths") ? "widths" : member.Contains("rngs") ? "rngs" : "rate";
        await Expect($$"""
            public partial class Block
            {
                [Param(Shape = "n")] private Parameter? w;
                {{member}}
            }
            """, new DiagnosticResult(Descriptors.BadOption).WithLocation(0).WithArguments(field, why));
    }

    [Theory]
    [InlineData("public int Vocab => 3;", "Vocab", "the dimension 'vocab' would be the property 'Vocab', but 'MyEmbed' already declares 'Vocab'; rename one of them")]
    [InlineData("", "MyEmbed", "the dimension 'myEmbed' would be the property 'MyEmbed', the name of its own class; rename the dimension")]
    [InlineData("", "Summary", "the dimension 'summary' would be the property 'Summary', which every module has; rename the dimension")]
    [InlineData("", "DModel", "the dimension 'd_model' and the dimension 'dModel' would both be the property 'DModel'; rename one")]
    [InlineData("", "RngStreams", "the dimension 'rngStreams' would be the property 'RngStreams', which every module has; rename the dimension")]
    [InlineData("", "ParameterCount", "the dimension 'parameterCount' would be the property 'ParameterCount', which every module has; rename the dimension")]
    [InlineData("", "NewLike", "the dimension 'newLike' would be the property 'NewLike', which every module has; rename the dimension")]
    public async Task A_dimension_property_that_would_clash_says_with_what(string member, string property, string why)
    {
        string shape = property switch
        {
            "MyEmbed" => "myEmbed", "Summary" => "summary", "DModel" => "dModel, d_model", "RngStreams" => "rngStreams",
            "ParameterCount" => "parameterCount", "NewLike" => "newLike", _ => "vocab,dModel",
        };
        await Expect($$"""
            public partial class MyEmbed
            {
                [{|#0:Param(Shape = "{{shape}}")|}] private Parameter? embedding;
                {{member}}
            }
            """, new DiagnosticResult(Descriptors.NameClash).WithLocation(0).WithArguments(property, why));
    }

    [Fact]
    public async Task A_user_constructor_with_the_generated_signature_or_a_generated_method_is_a_clash()
    {
        await Expect("""
            public partial class MyEmbed
            {
                [{|#0:Param(Shape = "n")|}] private Parameter? embedding;
                public MyEmbed(long size, Rngs seeds, TorchSharp.torch.ScalarType? d, Initializer? i) { }
                private void RegisterComponents() { }
            }
            """,
            new DiagnosticResult(Descriptors.NameClash).WithLocation(0).WithArguments("RegisterComponents", "'MyEmbed' declares 'RegisterComponents', which the generator writes for it; remove or rename yours"),
            new DiagnosticResult(Descriptors.NameClash).WithLocation(0).WithArguments("MyEmbed(n, rngs, paramDtype, embeddingInit)",
                "'MyEmbed' declares a constructor with the parameter types of the generated one; remove it or change its parameters"));
    }

    [Theory]
    [InlineData("[Param(Shape = \"n\", Rng = {|#0:\"\"|})] private Parameter? w;", "w", "the stream name is empty; name a stream such as \"params\" or \"dropout\"")]
    [InlineData("[Param(Shape = \"n\", Rng = {|#0:\" noise\"|})] private Parameter? w;", "w", "\" noise\" has spaces or control characters around or in it; stream names are plain words such as \"dropout\"")]
    [InlineData("[Option] private readonly int stream = 1;\n[Fork({|#0:\"stream\"|})] private RngStream? r;", "r", "\"stream\" names the option 'stream', which is an int; a stream option must be a non-nullable string")]
    public async Task A_bad_stream_says_why(string member, string field, string why)
    {
        await Expect($$"""
            public partial class Noisy
            {
                {{member}}
            }
            """, new DiagnosticResult(Descriptors.BadStream).WithLocation(0).WithArguments(field, why));
    }

    [Theory]
    [InlineData("[Tied({|#0:\"embed.embeding\"|})] private Parameter? head;", "head", "\"embed.embeding\" names nothing: 'embeding' is not a member of Embedder (members: embedding)")]
    [InlineData("[Tied({|#0:\"embed\"|})] private Parameter? head;", "head", "\"embed\" names the submodule 'embed'; name one of its parameters")]
    [InlineData("[Tied({|#0:\"blocks.kernel\"|})] private Parameter? head;", "head", "\"blocks.kernel\": 'blocks' is a list, so the next segment must be an element index such as 0")]
    [InlineData("[Tied({|#0:\"stat\"|})] private Parameter? head;", "head", "\"stat\" names 'stat', a [BatchStat] buffer; only parameters can be tied")]
    [InlineData("[Sub(Dims = \"inFeatures=dModel, outFeatures=dModel\", Tied = {|#0:\"kernal=blocks.0.kernel\"|})] private Nnx.Linear? proj;", "proj", "\"kernal\" names nothing: 'kernal' is not a member of Linear (members: kernel, bias)")]
    public async Task A_tie_that_names_no_parameter_says_where_it_stops(string member, string field, string why)
    {
        await Expect($$"""
            public partial class Embedder { [Param(Shape = "vocab,dModel")] private Parameter? embedding; }
            public partial class Lm
            {
                [Sub] private Embedder? embed;
                [Sub(Count = "2", Dims = "inFeatures=dModel, outFeatures=dModel")] private ModuleList<Nnx.Linear>? blocks;
                [BatchStat(Shape = "dModel")] private TorchSharp.torch.Tensor? stat;
                {{member}}
            }
            """, new DiagnosticResult(Descriptors.BadTie).WithLocation(0).WithArguments(field, why));
    }

    [Theory]
    [InlineData("[Option] private readonly int heads = 2;\n[Param(Shape = \"n\", When = {|#0:\"heads\"|})] private Parameter? w;", "'heads' is an integer, but a condition (true or false) is needed here")]
    [InlineData("[Param(Shape = \"n\", When = {|#0:\"useIt\"|})] private Parameter? w;", "'useIt' is not an option or a dimension of Cond (Cond has no options; dimensions: n)")]
    public async Task A_condition_that_is_not_a_bool_over_options_is_an_error(string member, string why)
    {
        await Expect($$"""
            public partial class Cond
            {
                {{member}}
            }
            """, new DiagnosticResult(Descriptors.BadShape).WithLocation(0).WithArguments("When", "w", why));
    }

    [Fact]
    public async Task A_module_deriving_from_a_module_with_errors_points_at_them()
    {
        await Expect("""
            public partial class Base { [Param(Shape = "n", Init = {|#0:"gaussian"|})] private Parameter? w; }
            public partial class Derived : Base { [{|#1:Param(Shape = "n")|}] private Parameter? v; }
            """,
            new DiagnosticResult(Descriptors.BadInit).WithLocation(0).WithArguments("w", "'gaussian' is not a known initializer. Valid forms: " + Nnx.Syntax.InitSyntax.ValidForms),
            new DiagnosticResult(Descriptors.ParamMisuse).WithLocation(1).WithArguments("Param", "v",
                "its base class 'Base' is not generated (NNX0004: 'gaussian' is not a known initializer. Valid forms: " + Nnx.Syntax.InitSyntax.ValidForms + "); fix the base first"));
    }

    [Fact]
    public async Task Whole_model_declarations_report_nothing()
    {
        await Expect("""
            public partial class Block
            {
                [Option] private readonly int numHeads;
                [Option] private readonly double dropoutRate = 0.1;
                [Sub(Dims = "numFeatures=dModel", Options = "epsilon=1e-5")] private Nnx.LayerNorm? ln1;
                [Sub(Dims = "inFeatures=dModel, outFeatures=3*dModel")] private Nnx.Linear? attn;
                [Sub(Options = "rate=dropoutRate")] private Nnx.Dropout? drop;
                [Param(Shape = "dModel, 4*dModel", Init = "lecun_normal")] private Parameter? up;
                [Param(Shape = "numHeads, dModel/numHeads", When = "dropoutRate > 0")] private Parameter? heads;
                [Sub(Count = "2", Dims = "inFeatures=dModel, outFeatures=dModel", Tied = "kernel=attn.kernel", Options = "useBias=i > 0")] private ModuleList<Nnx.Linear>? extra;
            }
            public partial class Mlp
            {
                [Option] private readonly long[] widths;
                [Sub(Count = "widths.Length - 1", Dims = "inFeatures=widths[i], outFeatures=widths[i+1]")] private ModuleList<Nnx.Linear>? layers;
            }
            """);
    }
}
