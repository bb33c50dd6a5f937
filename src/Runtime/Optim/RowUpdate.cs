namespace Nnx;

/// <summary>
/// How an <see cref="Optimizer"/> applies a table's row gradients (from lookups with <c>sparseGradient: true</c>, see
/// <see cref="RowGradients"/>).
/// </summary>
public enum RowUpdate
{
    /// <summary>
    /// Every row is updated exactly as with the dense gradient: the rows no id touched see a zero gradient, so their
    /// moments decay and Adam keeps moving them, bit for bit as a dense step would. Only the zero gradient is never
    /// built, scattered into or read. The default.
    /// </summary>
    DenseExact,

    /// <summary>
    /// Only the rows some id touched are updated, their moments and parameters; the others keep stale moments and do
    /// not move (PyTorch's <c>SparseAdam</c>, TensorFlow Addons' <c>LazyAdam</c>). Much cheaper for a large table
    /// and a small batch, but not the same optimizer: with momentum, untouched rows stop where a dense step would
    /// carry them on. For plain SGD both modes give the same result.
    /// </summary>
    Lazy,
}
