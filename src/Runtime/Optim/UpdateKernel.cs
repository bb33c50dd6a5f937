using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nnx;

/// <summary>
/// One update of one parameter span, fused: a single pass reads parameter, gradient and state once and writes
/// parameter and state once, where a tensor-op optimizer makes about ten passes. The vector loop and its scalar twin
/// (<c>vectorized: false</c>) compute the same operations in the same order, so they agree bit for bit.
/// </summary>
/// <remarks>
/// The scalars follow optax in the parameter's precision: decay rates, epsilons and the learning rate are rounded to
/// <typeparamref name="T"/>, and the bias corrections are <c>1 - b^t</c> with <c>b</c> rounded first, as
/// <c>1 - decay**count</c> evaluates in float32 under JAX. Products are never fused into multiply-adds.
/// </remarks>
internal readonly unsafe struct UpdateKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly UpdateKind _kind;
    private readonly bool _momentum, _nesterov, _decay, _epsRoot, _vectorized;
    private readonly T _negLr, _b1, _oneMinusB1, _b2, _oneMinusB2, _correction1, _correction2, _eps, _epsRootValue, _weightDecay, _mu;

    private UpdateKernel(UpdateRule rule, long t, double learningRate, bool decay, bool vectorized)
    {
        _kind = rule.Kind;
        _vectorized = vectorized && Vector256.IsHardwareAccelerated;
        _negLr = T.CreateTruncating(-learningRate);
        _momentum = rule.Momentum is not null;
        _nesterov = rule.Nesterov;
        _mu = T.CreateTruncating(rule.Momentum ?? 0);
        _b1 = T.CreateTruncating(rule.B1);
        _b2 = T.CreateTruncating(rule.B2);
        _oneMinusB1 = T.CreateTruncating(1 - rule.B1);
        _oneMinusB2 = T.CreateTruncating(1 - rule.B2);
        _correction1 = T.One - T.CreateTruncating(Math.Pow(double.CreateTruncating(_b1), t));
        _correction2 = T.One - T.CreateTruncating(Math.Pow(double.CreateTruncating(_b2), t));
        _eps = T.CreateTruncating(rule.Eps);
        _epsRoot = rule.EpsRoot != 0;
        _epsRootValue = T.CreateTruncating(rule.EpsRoot);
        // optax skips add_decayed_weights for a zero decay, which matters for -0 and non-finite parameters.
        _decay = decay && rule.WeightDecay != 0;
        _weightDecay = T.CreateTruncating(rule.WeightDecay);
    }

    /// <summary>The kernel of one update.</summary>
    /// <param name="rule">The rule.</param>
    /// <param name="t">The update number, 1 for the first (Adam's bias corrections).</param>
    /// <param name="learningRate">The rate for this update.</param>
    /// <param name="decay">Whether AdamW's weight decay applies to this parameter (its mask).</param>
    /// <param name="vectorized">False runs the scalar twin.</param>
    public static UpdateKernel<T> For(UpdateRule rule, long t, double learningRate, bool decay, bool vectorized = true) =>
        new(rule, t, learningRate, decay, vectorized);

    /// <summary>
    /// Whether a zero gradient leaves parameter and state exactly as they are (plain SGD with a non-negative rate:
    /// <c>p + (-lr · 0) = p + (-0) = p</c>, signed zeros included), so untouched rows need no pass at all.
    /// </summary>
    public bool ZeroGradientIsNoOp => _kind == UpdateKind.Sgd && !_momentum && T.IsNegative(_negLr);

    /// <summary>Updates <paramref name="n"/> elements in place.</summary>
    /// <param name="p">The parameter.</param>
    /// <param name="grad">The gradient source.</param>
    /// <param name="first">Adam's <c>mu</c> or SGD's <c>trace</c>; unused by plain SGD.</param>
    /// <param name="second">Adam's <c>nu</c>; unused by SGD.</param>
    /// <param name="n">The element count.</param>
    public void Run<TGrad>(T* p, TGrad grad, T* first, T* second, long n) where TGrad : struct, IGradSource<T, TGrad>
    {
        if (_kind == UpdateKind.Adam) Adam(p, grad, first, second, n);
        else if (_momentum) Momentum(p, grad, first, n);
        else Plain(p, grad, n);
    }

    private void Adam<TGrad>(T* p, TGrad grad, T* m, T* v, long n) where TGrad : struct, IGradSource<T, TGrad>
    {
        long i = 0;
        if (_vectorized)
        {
            Vector256<T> b1 = Vector256.Create(_b1), oneMinusB1 = Vector256.Create(_oneMinusB1);
            Vector256<T> b2 = Vector256.Create(_b2), oneMinusB2 = Vector256.Create(_oneMinusB2);
            Vector256<T> correction1 = Vector256.Create(_correction1), correction2 = Vector256.Create(_correction2);
            Vector256<T> eps = Vector256.Create(_eps), epsRoot = Vector256.Create(_epsRootValue);
            Vector256<T> weightDecay = Vector256.Create(_weightDecay), negLr = Vector256.Create(_negLr);
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
            {
                Vector256<T> g = grad.Load(i);
                Vector256<T> mi = oneMinusB1 * g + b1 * Vector256.Load(m + i);
                Vector256<T> vi = oneMinusB2 * (g * g) + b2 * Vector256.Load(v + i);
                mi.Store(m + i);
                vi.Store(v + i);
                Vector256<T> vHat = vi / correction2;
                if (_epsRoot) vHat += epsRoot;
                Vector256<T> update = mi / correction1 / (Vector256.Sqrt(vHat) + eps);
                Vector256<T> pi = Vector256.Load(p + i);
                if (_decay) update += weightDecay * pi;
                (pi + negLr * update).Store(p + i);
            }
        }
        for (; i < n; i++)
        {
            T g = grad.At(i);
            T mi = _oneMinusB1 * g + _b1 * m[i];
            T vi = _oneMinusB2 * (g * g) + _b2 * v[i];
            m[i] = mi;
            v[i] = vi;
            T vHat = vi / _correction2;
            if (_epsRoot) vHat += _epsRootValue;
            T update = mi / _correction1 / (T.Sqrt(vHat) + _eps);
            if (_decay) update += _weightDecay * p[i];
            p[i] += _negLr * update;
        }
    }

    private void Momentum<TGrad>(T* p, TGrad grad, T* trace, long n) where TGrad : struct, IGradSource<T, TGrad>
    {
        long i = 0;
        if (_vectorized)
        {
            Vector256<T> mu = Vector256.Create(_mu), negLr = Vector256.Create(_negLr);
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
            {
                Vector256<T> g = grad.Load(i);
                Vector256<T> t = g + mu * Vector256.Load(trace + i);
                t.Store(trace + i);
                Vector256<T> update = _nesterov ? g + mu * t : t;
                (Vector256.Load(p + i) + negLr * update).Store(p + i);
            }
        }
        for (; i < n; i++)
        {
            T g = grad.At(i);
            T t = g + _mu * trace[i];
            trace[i] = t;
            T update = _nesterov ? g + _mu * t : t;
            p[i] += _negLr * update;
        }
    }

    private void Plain<TGrad>(T* p, TGrad grad, long n) where TGrad : struct, IGradSource<T, TGrad>
    {
        long i = 0;
        if (_vectorized)
        {
            Vector256<T> negLr = Vector256.Create(_negLr);
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                (Vector256.Load(p + i) + negLr * grad.Load(i)).Store(p + i);
        }
        for (; i < n; i++) p[i] += _negLr * grad.At(i);
    }
}
