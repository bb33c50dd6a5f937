#!/usr/bin/env python3
"""layers_ref.py: the Nnx.Gen reference for the layers of issue 15, built on jaxref.py (this folder's copy of the
shared research reference, self-tested against JAX's and Flax's published vectors): nnx.LinearGeneral,
nnx.MultiHeadAttention, nnx.dot_product_attention, nnx.BatchNorm and nnx.Conv forward. It writes
tests/Nnx.Runtime.Tests/Data/layers-ref.json:

    python3 tests/reference/layers_ref.py --layers-json tests/Nnx.Runtime.Tests/Data/layers-ref.json

Any other arguments go to jaxref.py (--selftest, --init, ...).
"""
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jaxref  # noqa: E402
from jaxref import *  # noqa: E402,F401,F403  the float32 model, keys, Rngs and initializers
from jaxref import _mean32, _seq_sum, _zeros  # noqa: E402,F401  (conv_bn_ref.py imports _mean32 from here)

# ----------------------------------------------------------------------------
# Layers for real models (added in Nnx.Gen, issue 15): nnx.LinearGeneral,
# nnx.MultiHeadAttention, nnx.dot_product_attention (both of its paths),
# nnx.BatchNorm and nnx.Conv forward.  Read from google/flax @ 18f8f311
# flax/nnx/nn/{linear,attention,normalization}.py and jax-ml/jax
# jax/_src/nn/functions.py (dot_product_attention, 'xla' implementation).
# Initial values are exact (the float32 random numbers above); forward values
# are the straightforward float32 model of the block above (sequential sums,
# FMA in dots, exp rounded once), so compare them with a tolerance.
# ----------------------------------------------------------------------------
F32_MAX = f32(3.4028234663852886e38)


def nnx_linear_general_init(rngs, in_features, out_features, use_bias=True,
                            kernel_init='lecun_normal', partitionable=True,
                            **kw):
    """nnx.LinearGeneral.__init__ without batch_axis: kernel_init draws the
    flat (prod(in), prod(out)) matrix (so the fans are those of that 2-D
    shape), reshaped row-major to in + out; then, with use_bias,
    bias_key = rngs.params() and zeros of shape out."""
    in_f, out_f = tuple(in_features), tuple(out_features)
    flat = (math.prod(in_f), math.prod(out_f))
    kernel_key = rngs.params()
    kernel = initializer(kernel_init, kernel_key, flat,
                         partitionable=partitionable, **kw)
    bias_key = rngs.params() if use_bias else None
    return {'kernel': kernel, 'kernel_shape': in_f + out_f,
            'bias': _zeros(flat[1]) if use_bias else None, 'bias_shape': out_f,
            'kernel_key': kernel_key, 'bias_key': bias_key}


def nnx_mha_init(rngs, num_heads, in_features, qkv_features=None,
                 out_features=None, in_kv_features=None, num_kv_heads=None,
                 use_bias=True, normalize_qk=False, dropout_rate=0.0,
                 keep_rngs=True, partitionable=True, **kw):
    """nnx.MultiHeadAttention.__init__: query, key, value (LinearGeneral
    in -> (heads, head_dim)), then with normalize_qk query_ln and key_ln
    (LayerNorm(head_dim, use_bias=False): one scale key each), then out
    (LinearGeneral (heads, head_dim) -> out, axis=(-2, -1)); last, with
    keep_rngs and dropout_rate > 0, rngs.dropout.fork() (one draw of the
    dropout stream, which is 'default' when there is none)."""
    qkv = qkv_features if qkv_features is not None else in_features
    out = out_features if out_features is not None else in_features
    in_kv = in_kv_features if in_kv_features is not None else in_features
    kv_heads = num_kv_heads if num_kv_heads is not None else num_heads
    if num_heads % kv_heads or qkv % num_heads:
        raise ValueError('heads do not divide')
    head_dim = qkv // num_heads
    lg = dict(use_bias=use_bias, partitionable=partitionable, **kw)
    p = {'num_heads': num_heads, 'num_kv_heads': kv_heads, 'head_dim': head_dim,
         'in_features': in_features, 'in_kv_features': in_kv,
         'out_features': out, 'normalize_qk': normalize_qk,
         'dropout_rate': dropout_rate}
    p['query'] = nnx_linear_general_init(rngs, (in_features,), (num_heads, head_dim), **lg)
    p['key'] = nnx_linear_general_init(rngs, (in_kv,), (kv_heads, head_dim), **lg)
    p['value'] = nnx_linear_general_init(rngs, (in_kv,), (kv_heads, head_dim), **lg)
    if normalize_qk:
        p['query_ln'] = nnx_norm_init(rngs, head_dim, use_bias=False)
        p['key_ln'] = nnx_norm_init(rngs, head_dim, use_bias=False)
    p['out'] = nnx_linear_general_init(rngs, (num_heads, head_dim), (out,), **lg)
    p['dropout_stream'] = (rngs.dropout.fork()
                           if keep_rngs and dropout_rate > 0 else None)
    return p


def softmax32(xs):
    """jax.nn.softmax over one row: exp(x - max) / sum (exp rounded once)."""
    m = max(xs)
    ex = [f32(math.exp(sub32(x, m))) for x in xs]
    s = _seq_sum(ex)
    return [div32(e, s) for e in ex]


def dot_product_attention(q, k, v, shape_q, shape_k, dv, mask=None,
                          bias=None, is_causal=False, dropout_rate=0.0,
                          dropout_key=None, broadcast_dropout=True,
                          deterministic=False, weights_only=False, fma=True):
    """nnx.dot_product_attention on flat row-major float32 lists, q (B, T,
    H, D), k (B, S, Hk, D), v (B, S, Hk, dv); mask(b, h, t, s) -> bool and
    bias(b, h, t, s) -> float are callables.  Grouped heads: query head h
    reads key/value head h // (H // Hk).
    dropout_rate == 0: jax.nn.dot_product_attention's xla path, which NNX
    calls then (whatever deterministic says otherwise): logits = (q . k) * f32(1/sqrt(D)) (+ bias), one boolean
    mask (mask and causal) applied with f32(-0.7 * finfo.max), softmax.
    dropout_rate > 0 (or weights_only): dot_product_attention_weights: q /
    f32(sqrt(D)) first, masked logits = finfo.min, softmax, then unless
    deterministic weights * (bernoulli(key, 1 - rate, shape).astype(f32) /
    f32(1 - rate)), shape (1, 1, T, S) with broadcast_dropout.  Returns (B, T, H, dv), or the
    weights (B, H, T, S) with weights_only."""
    B, T, H, D = shape_q
    _, S, Hk, _ = shape_k
    group = H // Hk
    weights_path = dropout_rate > 0.0 or weights_only
    scale = f32(1.0 / math.sqrt(D))
    root = sqrt32(f32(D))
    masked = -F32_MAX if weights_path else f32(-0.7 * F32_MAX)
    keep = None
    if dropout_rate > 0.0 and not deterministic:
        shape = (1, 1, T, S) if broadcast_dropout else (B, H, T, S)
        keep = bernoulli(dropout_key, 1.0 - dropout_rate, shape)
        kp = f32(1.0 - dropout_rate)

    def qi(b, t, h, d):
        return ((b * T + t) * H + h) * D + d

    def ki(b, s, h, d):
        return ((b * S + s) * Hk + h) * D + d

    out, weights_out = [0.0] * (B * T * H * dv), []
    for b in range(B):
        for h in range(H):
            hk = h // group
            for t in range(T):
                logits = []
                for s in range(S):
                    acc = 0.0
                    for d in range(D):
                        a = q[qi(b, t, h, d)]
                        if weights_path:
                            a = div32(a, root)
                        acc = madd(a, k[ki(b, s, hk, d)], acc, fma)
                    if not weights_path:
                        acc = mul32(acc, scale)
                    if bias is not None:
                        acc = add32(acc, f32(bias(b, h, t, s)))
                    attend = ((mask is None or mask(b, h, t, s))
                              and (not is_causal or s <= t))
                    logits.append(acc if attend else masked)
                w = softmax32(logits)
                if keep is not None:
                    for s in range(S):
                        j = (t * S + s) if broadcast_dropout else (((b * H + h) * T + t) * S + s)
                        w[s] = mul32(w[s], div32(1.0 if keep[j] else 0.0, kp))
                weights_out.extend(w)
                for e in range(dv):
                    acc = 0.0
                    for s in range(S):
                        acc = madd(w[s], v[((b * S + s) * Hk + hk) * dv + e], acc, fma)
                    out[((b * T + t) * H + h) * dv + e] = acc
    return weights_out if weights_only else out


def nnx_mha_forward(p, xq, batch, q_len, xkv=None, kv_len=None, mask=None,
                    is_causal=False, deterministic=True, fma=True):
    """nnx.MultiHeadAttention.__call__(inputs_q, inputs_k=xkv) for rank-3
    inputs (batch, length, features): the three LinearGeneral projections,
    query_ln/key_ln (epsilon 1e-6, scale only), dot_product_attention (its
    dropout draws self.rngs(), the forked stream), and the out projection."""
    H, Hk, D = p['num_heads'], p['num_kv_heads'], p['head_dim']
    if xkv is None:
        xkv, kv_len = xq, q_len

    def project(x, rows, lg, n_in, n_out):
        return linear_forward(x, rows, lg['kernel'], lg['bias'], n_in, n_out, fma)
    q = project(xq, batch * q_len, p['query'], p['in_features'], H * D)
    k = project(xkv, batch * kv_len, p['key'], p['in_kv_features'], Hk * D)
    v = project(xkv, batch * kv_len, p['value'], p['in_kv_features'], Hk * D)
    if p['normalize_qk']:
        q = layer_norm_forward(q, D, p['query_ln']['scale'], None, 1e-6)
        k = layer_norm_forward(k, D, p['key_ln']['scale'], None, 1e-6)
    rate = p['dropout_rate']
    dkey = p['dropout_stream']() if rate > 0.0 and not deterministic else None
    x = dot_product_attention(q, k, v, (batch, q_len, H, D), (batch, kv_len, Hk, D), D,
                              mask=mask, is_causal=is_causal, dropout_rate=rate,
                              dropout_key=dkey, deterministic=deterministic, fma=fma)
    return linear_forward(x, batch * q_len, p['out']['kernel'], p['out']['bias'],
                          H * D, p['out_features'], fma)


def nnx_batch_norm_init(rngs, num_features, use_scale=True, use_bias=True):
    """nnx.BatchNorm.__init__: BatchStat mean (zeros) and var (ones) first,
    which draw no key, then scale and bias as nnx_norm_init."""
    p = nnx_norm_init(rngs, num_features, use_scale, use_bias)
    p['mean'] = _zeros(num_features)
    p['var'] = [1.0] * num_features
    return p


def batch_norm_forward(p, x, rows, features, use_running_average,
                       momentum=0.99, epsilon=1e-5):
    """nnx.BatchNorm.__call__ on (rows, features), axis -1: in training,
    batch statistics (use_fast_variance: var = max(0, E[x^2] - E[x]^2))
    normalise and update the running ones, mean <- f32(momentum) * mean +
    f32(1 - momentum) * batch_mean (likewise var); in eval the running
    statistics normalise.  y = (x - mean) * (rsqrt(var + eps) * scale) +
    bias.  Returns y and updates p['mean'], p['var'] in place."""
    cols = [[x[r * features + j] for r in range(rows)] for j in range(features)]
    if use_running_average:
        mean, var = list(p['mean']), list(p['var'])
    else:
        mean = [_mean32(c) for c in cols]
        var = [max(0.0, sub32(_mean32([mul32(a, a) for a in c]), mul32(m, m)))
               for c, m in zip(cols, mean)]
        mo, rest = f32(momentum), f32(1 - momentum)
        p['mean'] = [add32(mul32(mo, o), mul32(rest, n)) for o, n in zip(p['mean'], mean)]
        p['var'] = [add32(mul32(mo, o), mul32(rest, n)) for o, n in zip(p['var'], var)]
    eps = f32(epsilon)
    mul = [rsqrt32(add32(vj, eps)) for vj in var]
    if p['scale'] is not None:
        mul = [mul32(m, s) for m, s in zip(mul, p['scale'])]
    y = []
    for r in range(rows):
        for j in range(features):
            t = mul32(sub32(x[r * features + j], mean[j]), mul[j])
            y.append(add32(t, p['bias'][j]) if p['bias'] is not None else t)
    return y


def _conv_pads(padding, spatial, kernel_size, strides, dilation):
    """lax.padtype_to_pads and nnx.Conv's own forms: (pre-padding with its
    jnp.pad mode or None, the (low, high) pairs lax then applies)."""
    rank = len(kernel_size)
    dilated = [(k - 1) * d + 1 for k, d in zip(kernel_size, dilation)]
    if padding == 'VALID':
        return None, [(0, 0)] * rank
    if padding == 'SAME':
        pads = []
        for n, k, s in zip(spatial, dilated, strides):
            out = -(-n // s)
            total = max((out - 1) * s + k - n, 0)
            pads.append((total // 2, total - total // 2))
        return None, pads
    if padding == 'CIRCULAR':
        return ('wrap', [((k - 1) // 2, k // 2) for k in dilated]), [(0, 0)] * rank
    if padding == 'CAUSAL':
        return ('constant', [(dilation[0] * (kernel_size[0] - 1), 0)]), [(0, 0)]
    if isinstance(padding, int):
        return None, [(padding, padding)] * rank
    return None, [(p, p) if isinstance(p, int) else tuple(p) for p in padding]


def conv_forward(x, in_shape, kernel, kernel_size, in_features, out_features,
                 bias, strides=1, padding='SAME', kernel_dilation=1,
                 feature_group_count=1, fma=True):
    """nnx.Conv.__call__ for channels-last x (batch, *spatial, in) and kernel
    (*kernel_size, in // groups, out): lax.conv_general_dilated (cross-
    correlation, no kernel flip) with nnx.Conv's padding forms, then + bias.
    Sums run over kernel positions (row-major), then input channels."""
    rank = len(kernel_size)
    strides = (strides,) * rank if isinstance(strides, int) else tuple(strides)
    dil = ((kernel_dilation,) * rank if isinstance(kernel_dilation, int)
           else tuple(kernel_dilation))
    batch, spatial = in_shape[0], list(in_shape[1:-1])
    pre, pads = _conv_pads(padding, spatial, kernel_size, strides, dil)

    def read(n, pos, c):
        """x at spatial position pos (already in pre-padded coordinates)."""
        src = []
        for ax, i in enumerate(pos):
            if pre is not None:
                lo = pre[1][ax][0]
                i -= lo
                if pre[0] == 'wrap':
                    i %= spatial[ax]
                elif not 0 <= i < spatial[ax]:
                    return 0.0
            src.append(i)
        flat = n
        for ax, i in enumerate(src):
            flat = flat * spatial[ax] + i
        return x[flat * in_features + c]
    padded = [n + (sum(pre[1][ax]) if pre is not None else 0) for ax, n in enumerate(spatial)]
    out_sp = [(n + lo + hi - ((k - 1) * d + 1)) // s + 1
              for n, (lo, hi), k, d, s in zip(padded, pads, kernel_size, dil, strides)]
    cin_g = in_features // feature_group_count
    cout_g = out_features // feature_group_count
    kpos_all = _ndindex(kernel_size)
    y = []
    for n in range(batch):
        for opos in _ndindex(out_sp):
            for o in range(out_features):
                g = o // cout_g
                acc = 0.0
                for kp in kpos_all:
                    ipos = [op * s + kk * d - lo for op, s, kk, d, (lo, _)
                            in zip(opos, strides, kp, dil, pads)]
                    if not all(0 <= i < pn for i, pn in zip(ipos, padded)):
                        continue
                    kflat = 0
                    for ax, kk in enumerate(kp):
                        kflat = kflat * kernel_size[ax] + kk
                    for c in range(cin_g):
                        w = kernel[(kflat * cin_g + c) * out_features + o]
                        acc = madd(read(n, ipos, g * cin_g + c), w, acc, fma)
                y.append(add32(acc, bias[o]) if bias is not None else acc)
    return y, [batch] + out_sp + [out_features]


def _ndindex(shape):
    idx = [[]]
    for n in shape:
        idx = [i + [j] for i in idx for j in range(n)]
    return idx


def _floats(vals):
    return {'bits': ['0x%08x' % f32_bits(v) for v in vals],
            'values': [float(fmt9(v)) for v in vals]}


def _key_hex(k):
    return ['0x%08x' % k[0], '0x%08x' % k[1]]


def _linear_general_json(lg):
    return {'kernel_shape': list(lg['kernel_shape']), 'kernel': _floats(lg['kernel']),
            'kernel_key': _key_hex(lg['kernel_key']),
            'bias_shape': list(lg['bias_shape']),
            'bias': lg['bias'], 'bias_key': _key_hex(lg['bias_key']) if lg['bias_key'] else None}


def _mha_json(p):
    out = {n: _linear_general_json(p[n]) for n in ('query', 'key', 'value', 'out')}
    for n in ('query_ln', 'key_ln'):
        if n in p:
            out[n] = {'scale': p[n]['scale'], 'scale_key': _key_hex(p[n]['keys'][0])}
    return out


def compact_json(doc):
    """json.dumps with indentation, but every list of numbers or strings on one line."""
    import json
    import re
    text = json.dumps(doc, indent=1)
    return re.sub(r'\[\s*([^\[\]{}]*?)\s*\]',
                  lambda m: '[' + re.sub(r',\s+', ', ', m.group(1)) + ']', text)


def layers_vectors():
    """The golden data of tests/Nnx.Runtime.Tests/Data/layers-ref.json."""
    doc = {'about': (
        'Reference values for nnx.LinearGeneral, nnx.MultiHeadAttention, nnx.dot_product_attention, nnx.BatchNorm and '
        'nnx.Conv (Flax google/flax @ 18f8f311, JAX partitionable threefry), written by tests/reference/layers_ref.py '
        '--layers-json (these layers, built on the project\'s stdlib-only jaxref.py reference). '
        'Initial values are exact float32 (bits); forward values are a sequential float32 model: compare them with '
        'the stated tolerance. No value comes from Nnx.Gen code.')}
    tol = 'float32 model with sequential sums and exp rounded once: compare with rtol=1e-5, atol=1e-6'

    # LinearGeneral: the kernel is drawn flat, so lecun_normal's fan_in is prod(in_features).
    lgs = []
    for seed, fin, fout in ((0, (4,), (2, 3)), (1, (2, 3), (5,))):
        rngs = NnxRngs(seed)
        lg = nnx_linear_general_init(rngs, fin, fout)
        case = {'module': 'nnx.LinearGeneral(%s, %s, axis=%s, rngs=nnx.Rngs(%d))'
                % (fin, fout, '(-2, -1)' if len(fin) == 2 else '-1', seed),
                'seed': seed, 'in_features': list(fin), 'out_features': list(fout)}
        case.update(_linear_general_json(lg))
        case['params_count'] = rngs.stream('params').count
        lgs.append(case)
    doc['linear_general'] = lgs

    configs = [
        ('self', 0, dict(num_heads=2, in_features=4)),
        ('sizes', 1, dict(num_heads=2, in_features=6, qkv_features=8, out_features=5)),
        ('normalize_qk_dropout', 2, dict(num_heads=2, in_features=4, normalize_qk=True, dropout_rate=0.5)),
        ('grouped_no_bias', 3, dict(num_heads=4, in_features=8, num_kv_heads=2, use_bias=False)),
    ]
    inits, mhas = [], {}
    for name, seed, cfg in configs:
        rngs = NnxRngs(seed)
        p = nnx_mha_init(rngs, **cfg)
        mhas[name] = (p, cfg)
        args = ', '.join('%s=%r' % kv for kv in cfg.items())
        case = {'name': name, 'module': 'nnx.MultiHeadAttention(%s, rngs=nnx.Rngs(%d))' % (args, seed),
                'seed': seed, 'config': cfg, 'head_dim': p['head_dim'],
                'default_count_after_init': rngs.stream('default').count}
        case.update(_mha_json(p))
        if p['dropout_stream'] is not None:
            case['dropout_stream_key'] = _key_hex(p['dropout_stream'].key)
        inits.append(case)
    doc['multi_head_attention_init'] = inits

    def inputs(seed, shape):
        return uniform(key(seed), shape, -1.0, 1.0)

    fwd = []

    def mha_case(name, config, batch, q_len, kv_len=None, ids=None, causal=False, deterministic=True):
        p, cfg = mhas[config]
        xq = inputs(10, (batch, q_len, cfg['in_features']))
        xkv = inputs(11, (batch, kv_len, cfg['in_features'])) if kv_len else None
        mask = None
        if ids is not None:
            mask = lambda b, h, t, s: ids[b][t] > 0 and ids[b][s] > 0
        y = nnx_mha_forward(p, xq, batch, q_len, xkv, kv_len, mask, causal, deterministic)
        case = {'name': name, 'init': config, 'xq_shape': [batch, q_len, cfg['in_features']], 'xq': _floats(xq),
                'is_causal': causal, 'deterministic': deterministic,
                'y_shape': [batch, q_len, p['out_features']], 'y': _floats(y), 'tolerance': tol}
        if xkv is not None:
            case['xkv_shape'] = [batch, kv_len, cfg['in_features']]
            case['xkv'] = _floats(xkv)
        if ids is not None:
            case['ids'] = ids
            case['mask'] = 'nnx.make_attention_mask(ids > 0, ids > 0): fully masked (padded) query rows get the mean of the values'
        fwd.append(case)

    mha_case('self_attention', 'self', 2, 3)
    mha_case('causal', 'self', 2, 3, causal=True)
    mha_case('padding_mask', 'self', 2, 3, ids=[[5, 3, 0], [2, 0, 0]])
    mha_case('cross_attention', 'sizes', 2, 2, kv_len=4)
    mha_case('normalize_qk_deterministic', 'normalize_qk_dropout', 1, 3)
    mha_case('grouped_heads', 'grouped_no_bias', 1, 3)
    # Dropout draws from the stream forked at init, after the deterministic call above drew nothing.
    mha_case('normalize_qk_dropout', 'normalize_qk_dropout', 1, 3, deterministic=False)
    doc['multi_head_attention_forward'] = fwd

    # The functions themselves: q (1, 3, 2, 3), k and v (1, 4, 2, 3).
    shape_q, shape_k = (1, 3, 2, 3), (1, 4, 2, 3)
    q, k, v = inputs(20, shape_q), inputs(21, shape_k), inputs(22, shape_k)
    bias_vals = inputs(23, (1, 2, 3, 4))
    dropout_key = key(24)
    pad = [1, 1, 1, 0]
    fns = []
    for name, kwargs in (
            ('plain', {}),
            ('padding_mask', dict(mask=lambda b, h, t, s: pad[s] == 1)),
            ('bias', dict(bias=lambda b, h, t, s: bias_vals[((b * 2 + h) * 3 + t) * 4 + s])),
            ('causal', dict(is_causal=True)),
            ('dropout', dict(dropout_rate=0.5, dropout_key=dropout_key)),
            ('dropout_not_broadcast', dict(dropout_rate=0.25, dropout_key=dropout_key, broadcast_dropout=False)),
            ('weights_causal', dict(is_causal=True, weights_only=True))):
        y = dot_product_attention(q, k, v, shape_q, shape_k, 3, **kwargs)
        fns.append({'name': name, 'y': _floats(y),
                    'y_shape': [1, 2, 3, 4] if kwargs.get('weights_only') else [1, 3, 2, 3]})
    doc['dot_product_attention'] = {
        'q_shape': list(shape_q), 'q': _floats(q), 'kv_shape': list(shape_k), 'k': _floats(k), 'v': _floats(v),
        'bias_shape': [1, 2, 3, 4], 'bias': _floats(bias_vals), 'key_padding': pad,
        'dropout_key': _key_hex(dropout_key), 'tolerance': tol, 'cases': fns,
        'note': 'dropout cases and weights_* follow dot_product_attention_weights (q / sqrt(d) first, finfo.min); '
                'the others jax.nn.dot_product_attention (scale after the product, -0.7 * finfo.max)'}

    rngs = NnxRngs(0)
    bn = nnx_batch_norm_init(rngs, 3)
    bn_case = {'module': 'nnx.BatchNorm(3, rngs=nnx.Rngs(0))', 'momentum': 0.99, 'epsilon': 1e-5,
               'scale': bn['scale'], 'bias': bn['bias'], 'mean': bn['mean'], 'var': bn['var'],
               'keys': [_key_hex(kk) for kk in bn['keys']], 'params_count': rngs.stream('params').count,
               'tolerance': tol, 'steps': []}
    for i, (mode, seed) in enumerate((('train', 30), ('train', 31), ('eval', 32))):
        x = [mul32(v, f32(3.0)) for v in inputs(seed, (4, 3))]
        y = batch_norm_forward(bn, x, 4, 3, use_running_average=(mode == 'eval'))
        bn_case['steps'].append({'mode': mode, 'x_shape': [4, 3], 'x': _floats(x), 'y': _floats(y),
                                 'mean_after': _floats(bn['mean']), 'var_after': _floats(bn['var'])})
    doc['batch_norm'] = bn_case

    convs = []
    for seed, fin, fout, ks, in_shape, kw in (
            (0, 3, 4, (3,), (2, 5, 3), dict(padding='SAME')),
            (0, 3, 4, (3,), (2, 5, 3), dict(padding='VALID')),
            (0, 3, 4, (3,), (2, 5, 3), dict(padding='CAUSAL')),
            (0, 3, 4, (3,), (2, 5, 3), dict(padding='CIRCULAR')),
            (0, 3, 4, (3,), (2, 6, 3), dict(padding=1, strides=2)),
            (0, 3, 4, (2,), (1, 6, 3), dict(padding='SAME', kernel_dilation=2)),
            (1, 4, 6, (3,), (1, 5, 4), dict(padding='SAME', feature_group_count=2)),
            (2, 2, 3, (2, 2), (1, 4, 4, 2), dict(padding='SAME')),
            (2, 2, 3, (3, 3), (1, 5, 5, 2), dict(padding='VALID', strides=2)),
            (2, 2, 3, (2, 3), (1, 4, 4, 2), dict(padding=[(1, 0), (0, 1)]))):
        rngs = NnxRngs(seed)
        c = nnx_conv_init(rngs, fin, fout, ks, feature_group_count=kw.get('feature_group_count', 1))
        x = inputs(40 + len(convs), in_shape)
        y, y_shape = conv_forward(x, in_shape, c['kernel'], ks, fin, fout, c['bias'], **kw)
        args = ', '.join('%s=%r' % kv for kv in kw.items())
        convs.append({'module': 'nnx.Conv(%d, %d, kernel_size=%s, %s, rngs=nnx.Rngs(%d))' % (fin, fout, ks, args, seed),
                      'seed': seed, 'in_features': fin, 'out_features': fout, 'kernel_size': list(ks),
                      'options': {kk: (vv if not isinstance(vv, list) else [list(p) for p in vv]) for kk, vv in kw.items()},
                      'kernel_shape': list(c['kernel_shape']), 'kernel': _floats(c['kernel']),
                      'kernel_key': _key_hex(c['kernel_key']), 'bias': c['bias'],
                      'x_shape': list(in_shape), 'x': _floats(x), 'y_shape': y_shape, 'y': _floats(y),
                      'tolerance': tol})
    doc['conv'] = convs
    return doc


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if len(args) == 2 and args[0] == '--layers-json':
        with open(args[1], 'w') as f:
            f.write(compact_json(layers_vectors()) + '\n')
        return 0
    return jaxref.main(args)


if __name__ == '__main__':
    sys.exit(main())
