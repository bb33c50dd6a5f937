using System;
using System.Linq;
using Nnx.Syntax;

namespace Nnx;

/// <summary>
/// Builds an <see cref="Initializer"/> from a parsed <c>Init</c> (<see cref="InitSyntax"/>, the grammar the analyzers and
/// the generator share): each form names the <see cref="Initializers"/> method that makes it.
/// </summary>
internal static class InitializerFactory
{
    /// <exception cref="FormatException">The text is not a valid <c>Init</c>; the message lists the valid forms.</exception>
    public static Initializer Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!InitSyntax.TryParse(spec, out InitSpec? parsed, out string error))
            throw new FormatException($"Init \"{spec}\" is not valid: {error}.");
        try
        {
            return Create(parsed!);
        }
        catch (ArgumentException e)
        {
            // The grammar checks every range the initializers check; this keeps the documented exception if one is missed.
            throw new FormatException($"Init \"{spec}\" is not valid: {e.Message}", e);
        }
    }

    public static Initializer Create(InitSpec spec)
    {
        InitValue[] v = spec.Values;
        return spec.Form.Factory switch
        {
            "Zeros" => Initializers.Zeros(),
            "Ones" => Initializers.Ones(),
            "Constant" => Initializers.Constant(v[0].Number),
            "Normal" => Initializers.Normal(v[0].Number),
            "Uniform" => Initializers.Uniform(v[0].Number),
            "TruncatedNormal" => Initializers.TruncatedNormal(v[0].Number, v[1].Number, v[2].Number),
            "VarianceScaling" => Initializers.VarianceScaling(v[0].Number,
                Enum.Parse<FanMode>(InitSyntax.FanModeMember(v[1].Word)), Enum.Parse<VarianceDistribution>(InitSyntax.DistributionMember(v[2].Word)),
                v[3].Axes, v[4].Axes, v[5].Axes),
            "LecunNormal" => Initializers.LecunNormal(v[0].Axes, v[1].Axes, v[2].Axes),
            "LecunUniform" => Initializers.LecunUniform(v[0].Axes, v[1].Axes, v[2].Axes),
            "GlorotNormal" => Initializers.GlorotNormal(v[0].Axes, v[1].Axes, v[2].Axes),
            "GlorotUniform" => Initializers.GlorotUniform(v[0].Axes, v[1].Axes, v[2].Axes),
            "XavierNormal" => Initializers.XavierNormal(v[0].Axes, v[1].Axes, v[2].Axes),
            "XavierUniform" => Initializers.XavierUniform(v[0].Axes, v[1].Axes, v[2].Axes),
            "HeNormal" => Initializers.HeNormal(v[0].Axes, v[1].Axes, v[2].Axes),
            "HeUniform" => Initializers.HeUniform(v[0].Axes, v[1].Axes, v[2].Axes),
            "KaimingNormal" => Initializers.KaimingNormal(v[0].Axes, v[1].Axes, v[2].Axes),
            "KaimingUniform" => Initializers.KaimingUniform(v[0].Axes, v[1].Axes, v[2].Axes),
            _ => throw new InvalidOperationException($"No Initializers method '{spec.Form.Factory}' for Init form '{spec.Form.Name}'."),
        };
    }
}
