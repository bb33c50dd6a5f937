namespace Nnx;

/// <summary>libtorch's errors as one-line messages show them.</summary>
internal static class NativeError
{
    /// <summary>The first line of a libtorch error, without the C++ stack frames that follow it.</summary>
    public static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
