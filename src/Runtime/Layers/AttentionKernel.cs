namespace Nnx;

/// <summary>How <see cref="Attention.DotProductAttention"/> computes <c>softmax(q kᵀ / √d) v</c>.</summary>
public enum AttentionKernel
{
    /// <summary><see cref="Fused"/> unless dropout is active (it needs JAX's exact dropout mask), else <see cref="Explicit"/>.</summary>
    Auto,

    /// <summary>
    /// libtorch's <c>scaled_dot_product_attention</c>, which never materialises the weights on CPU (flash kernel).
    /// Follows <c>jax.nn.dot_product_attention</c>, the path NNX takes without dropout: masked logits get
    /// <c>-0.7 · finfo(dtype).max</c>. Cannot apply dropout.
    /// </summary>
    Fused,

    /// <summary>
    /// Matmul, softmax, matmul, as NNX's <c>dot_product_attention_weights</c>: the query is divided by <c>√d</c>
    /// first, masked logits get <c>finfo(dtype).min</c>, and dropout multiplies the weights by JAX's Bernoulli mask.
    /// </summary>
    Explicit,
}
