using System.Globalization;

namespace Nnx.Analyzers;

/// <summary>Recognises dimension names that mean a vocabulary size or a model width, in any common spelling.</summary>
internal static class AxisNames
{
    public static bool IsVocabularyLike(string name)
    {
        string n = Normalize(name);
        return n.Contains("vocab") || n.Contains("token") || n is "numembeddings" or "nembeddings" or "embeddings" or "v";
    }

    public static bool IsWidthLike(string name)
    {
        string n = Normalize(name);
        return n is "d" or "dim" or "dims" or "dmodel" or "modeldim" or "width" or "hidden" or "hiddensize" or "hiddendim"
            or "features" or "numfeatures" or "nfeatures" or "embeddim" or "embeddingdim" or "embeddingdims" or "embdim"
            or "dembed" or "demb" or "nembd" or "nembed" or "dhidden" or "dff";
    }

    private static string Normalize(string name) => name.Replace("_", "").ToLower(CultureInfo.InvariantCulture);
}
