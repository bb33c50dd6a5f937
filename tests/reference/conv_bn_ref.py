#!/usr/bin/env python3
"""conv_bn_ref.py: more nnx.Conv and nnx.BatchNorm reference cases than
layers_ref.py has (issue 15), from the same stdlib-only float32 model.  It writes
tests/Nnx.Runtime.Tests/Data/conv-bn-ref.json:

    python3 tests/reference/conv_bn_ref.py tests/Nnx.Runtime.Tests/Data/conv-bn-ref.json
    python3 tests/reference/conv_bn_ref.py --selftest   # agrees with layers_ref.py on its cases

Read from google/flax @ 18f8f311 (flax/nnx/nn/linear.py: Conv.__init__,
Conv.__call__, canonicalize_padding; flax/nnx/nn/normalization.py: BatchNorm,
_compute_stats, _normalize) and jax-ml/jax (lax.conv_general_dilated and
lax.padtype_to_pads; jnp.pad's 'wrap' and 'reflect' modes), covering what
layers_ref.py's conv_forward and batch_norm_forward leave out:

- Conv: input (lhs) dilation, 'REFLECT' and 'SAME_LOWER', periodic padding
  wider than the input, negative (cropping) padding, per-axis strides and
  dilations, mixed int/pair padding sequences, three spatial axes, inputs with
  no batch axis or two batch axes (flattened, as Conv.__call__ does), no bias.
- BatchNorm: another feature axis, a mask, use_fast_variance=False, momentum
  and epsilon other than the defaults, non-trivial scale and bias, no scale or
  bias.

Initial values are exact float32 (JAX's random numbers via layers_ref.py);
forward values are sequential float32 sums with FMA in dots, as layers_ref.py:
compare them within rtol=1e-5, atol=1e-6.  No value comes from Nnx.Gen code.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from layers_ref import (NnxRngs, _floats, _key_hex, _mean32, _ndindex, add32,  # noqa: E402
                        compact_json, f32, key, madd, mul32, nnx_conv_init,
                        nnx_norm_init, rsqrt32, sub32, uniform)

TOL = 'float32 model with sequential sums: compare with rtol=1e-5, atol=1e-6'


def _flat(pos, shape):
    i = 0
    for p, n in zip(pos, shape):
        i = i * n + p
    return i


def _source_index(i, n, mode):
    """jnp.pad's index map: position i of the padded axis (0 = first original
    element) reads element ... of an axis of n, or None for zero padding."""
    if 0 <= i < n:
        return i
    if mode == 'wrap':
        return i % n
    if mode == 'reflect':                      # numpy's reflect: period 2(n - 1), edges not repeated
        if n == 1:
            return 0
        j = i % (2 * (n - 1))
        return j if j < n else 2 * (n - 1) - j
    return None


def _canon(v, rank):
    if v is None:
        return (1,) * rank
    return (v,) * rank if isinstance(v, int) else tuple(v)


def conv_general(x, in_shape, kernel, kernel_size, in_features, out_features, bias,
                 strides=1, padding='SAME', input_dilation=1, kernel_dilation=1,
                 feature_group_count=1, fma=True):
    """nnx.Conv.__call__ on channels-last x of shape (*batch, *spatial, in):
    batch axes flattened to one (or one added), CIRCULAR/REFLECT/CAUSAL as
    jnp.pad before a VALID convolution, then lax.conv_general_dilated: the
    input dilated by input_dilation (d - 1 zeros between elements), padded
    with (low, high) zeros per axis (negative crops), windows at stride s of
    the kernel dilated by kernel_dilation; sums over kernel positions
    (row-major) then input channels of the group, FMA; then + bias."""
    rank = len(kernel_size)
    batch_shape = list(in_shape[:len(in_shape) - rank - 1])
    batch = 1
    for n in batch_shape:
        batch *= n
    spatial = list(in_shape[len(batch_shape):-1])
    s, ld, kd = _canon(strides, rank), _canon(input_dilation, rank), _canon(kernel_dilation, rank)
    dk = [(k - 1) * d + 1 for k, d in zip(kernel_size, kd)]

    pre_mode, pre = None, [(0, 0)] * rank
    if isinstance(padding, str) and padding in ('CIRCULAR', 'REFLECT'):
        pre_mode = 'wrap' if padding == 'CIRCULAR' else 'reflect'
        pre = [((k - 1) // 2, k // 2) for k in dk]
        padding = 'VALID'
    elif padding == 'CAUSAL':
        assert rank == 1
        pre_mode, pre = 'constant', [(kd[0] * (kernel_size[0] - 1), 0)]
        padding = 'VALID'
    pre_spatial = [n + lo + hi for n, (lo, hi) in zip(spatial, pre)]

    if isinstance(padding, str):
        assert all(d == 1 for d in ld), 'lax: string padding with input dilation is not implemented'
        if padding == 'VALID':
            pads = [(0, 0)] * rank
        else:                                   # SAME, SAME_LOWER (lax.padtype_to_pads)
            pads = []
            for n, k, st in zip(pre_spatial, dk, s):
                out = -(-n // st)
                total = max((out - 1) * st + k - n, 0)
                small = total // 2
                pads.append((small, total - small) if padding == 'SAME' else (total - small, small))
    elif isinstance(padding, int):
        pads = [(padding, padding)] * rank
    else:
        pads = [(p, p) if isinstance(p, int) else tuple(p) for p in padding]

    dilated = [(n - 1) * d + 1 if n > 0 else 0 for n, d in zip(pre_spatial, ld)]
    padded = [n + lo + hi for n, (lo, hi) in zip(dilated, pads)]
    out_sp = [max(0, (p - k) // st + 1) for p, k, st in zip(padded, dk, s)]

    def read(b, pos, c):
        src = []
        for ax, q in enumerate(pos):
            q -= pads[ax][0]                    # position in the dilated input
            if not 0 <= q < dilated[ax] or q % ld[ax]:
                return 0.0
            q //= ld[ax]                        # position in the pre-padded input
            i = _source_index(q - pre[ax][0], spatial[ax], pre_mode)
            if i is None:
                return 0.0
            src.append(i)
        return x[_flat([b] + src + [c], [batch] + spatial + [in_features])]

    cin_g = in_features // feature_group_count
    cout_g = out_features // feature_group_count
    y = []
    for b in range(batch):
        for opos in _ndindex(out_sp):
            for o in range(out_features):
                g = o // cout_g
                acc = 0.0
                for kp in _ndindex(kernel_size):
                    ipos = [op * st + kk * d for op, st, kk, d in zip(opos, s, kp, kd)]
                    kflat = _flat(kp, kernel_size)
                    for c in range(cin_g):
                        acc = madd(read(b, ipos, g * cin_g + c), kernel[(kflat * cin_g + c) * out_features + o], acc, fma)
                y.append(add32(acc, bias[o]) if bias is not None else acc)
    return y, batch_shape + out_sp + [out_features]


def batch_norm_general(p, x, shape, axis=-1, use_running_average=False, momentum=0.99,
                       epsilon=1e-5, use_fast_variance=True, mask=None):
    """nnx.BatchNorm.__call__ on a float32 x of any shape: statistics per
    feature over every other axis (of the elements where mask is true),
    sequential sums; with use_fast_variance var = max(0, E[x^2] - E[x]^2), else
    E[(x - E[x])^2]; running <- f32(momentum) * running + f32(1 - momentum) *
    batch in training; y = (x - mean) * (rsqrt(var + eps) * scale) + bias.
    mask(pos) -> bool.  Updates p['mean'], p['var'] in place."""
    rank = len(shape)
    ax = axis % rank
    positions = _ndindex(shape)
    nf = shape[ax]
    if use_running_average:
        mean, var = list(p['mean']), list(p['var'])
    else:
        mean, var = [], []
        for j in range(nf):
            vals = [x[_flat(pos, shape)] for pos in positions
                    if pos[ax] == j and (mask is None or mask(pos))]
            mu = _mean32(vals)
            if use_fast_variance:
                v = max(0.0, sub32(_mean32([mul32(a, a) for a in vals]), mul32(mu, mu)))
            else:
                v = _mean32([mul32(sub32(a, mu), sub32(a, mu)) for a in vals])
            mean.append(mu)
            var.append(v)
        mo, rest = f32(momentum), f32(1 - momentum)
        p['mean'] = [add32(mul32(mo, o), mul32(rest, n)) for o, n in zip(p['mean'], mean)]
        p['var'] = [add32(mul32(mo, o), mul32(rest, n)) for o, n in zip(p['var'], var)]
    eps = f32(epsilon)
    mul = [rsqrt32(add32(v, eps)) for v in var]
    if p['scale'] is not None:
        mul = [mul32(m, sc) for m, sc in zip(mul, p['scale'])]
    y = []
    for pos in positions:
        j = pos[ax]
        t = mul32(sub32(x[_flat(pos, shape)], mean[j]), mul[j])
        y.append(add32(t, p['bias'][j]) if p['bias'] is not None else t)
    return y


def inputs(seed, shape, scale=1.0):
    n = 1
    for d in shape:
        n *= d
    vals = uniform(key(seed), (n,), -1.0, 1.0)
    return [mul32(v, f32(scale)) for v in vals]


def conv_cases():
    cases = []
    specs = (
        ('input_dilation', 3, 3, 2, (3,), (2, 4, 3), dict(padding=[(1, 2)], input_dilation=2)),
        ('input_dilation_2d_int_padding', 4, 2, 3, (2, 2), (1, 3, 4, 2), dict(padding=1, strides=2, input_dilation=(2, 1))),
        ('reflect', 5, 2, 3, (3,), (1, 5, 2), dict(padding='REFLECT')),
        ('reflect_wider_than_input', 6, 2, 2, (5,), (1, 3, 2), dict(padding='REFLECT', kernel_dilation=2)),
        ('circular_wider_than_input', 7, 2, 2, (7,), (1, 2, 2), dict(padding='CIRCULAR')),
        ('same_lower', 8, 2, 3, (4,), (1, 5, 2), dict(padding='SAME_LOWER')),
        ('negative_padding', 9, 2, 3, (2, 2), (1, 5, 4, 2), dict(padding=[(-1, 2), (1, -1)])),
        ('mixed_padding_sequence', 10, 2, 2, (2, 3), (1, 4, 4, 2), dict(padding=[1, (0, 2)])),
        ('per_axis_strides_and_dilation', 11, 2, 3, (3, 2), (1, 6, 5, 2), dict(padding='SAME', strides=(1, 2), kernel_dilation=(2, 1))),
        ('three_spatial_axes_groups', 12, 2, 2, (2, 2, 2), (1, 3, 3, 3, 2), dict(padding='SAME', feature_group_count=2)),
        ('no_batch_axis', 13, 3, 4, (3,), (5, 3), dict(padding='SAME')),
        ('two_batch_axes', 14, 3, 4, (3,), (2, 2, 5, 3), dict(padding='VALID', strides=2)),
        ('no_bias', 15, 3, 2, (2,), (2, 4, 3), dict(padding='CAUSAL', use_bias=False)),
        ('kernel_larger_than_input', 16, 2, 2, (4,), (1, 3, 2), dict(padding='VALID')),
    )
    for name, seed, fin, fout, ks, in_shape, kw in specs:
        kw = dict(kw)
        use_bias = kw.pop('use_bias', True)
        rngs = NnxRngs(seed)
        c = nnx_conv_init(rngs, fin, fout, ks, use_bias=use_bias,
                          feature_group_count=kw.get('feature_group_count', 1))
        x = inputs(100 + seed, in_shape)
        y, y_shape = conv_general(x, in_shape, c['kernel'], ks, fin, fout, c['bias'], **kw)
        options = {}
        for k, v in kw.items():
            if isinstance(v, (list, tuple)):
                v = [list(e) if isinstance(e, tuple) else e for e in v]
            options[k] = v
        if not use_bias:
            options['use_bias'] = False
        args = ', '.join('%s=%r' % kv for kv in list(kw.items()) + ([('use_bias', False)] if not use_bias else []))
        cases.append({'name': name, 'module': 'nnx.Conv(%d, %d, kernel_size=%s, %s, rngs=nnx.Rngs(%d))' % (fin, fout, ks, args, seed),
                      'seed': seed, 'in_features': fin, 'out_features': fout, 'kernel_size': list(ks),
                      'options': options, 'kernel_shape': list(c['kernel_shape']), 'kernel': _floats(c['kernel']),
                      'kernel_key': _key_hex(c['kernel_key']), 'params_count': rngs.stream('params').count,
                      'x_shape': list(in_shape), 'x': _floats(x), 'y_shape': y_shape, 'y': _floats(y)})
    return cases


def batch_norm_cases():
    cases = []

    def case(name, seed, num_features, shape, steps, options, scale=None, bias=None, mask_rows=None):
        rngs = NnxRngs(seed)
        p = nnx_norm_init(rngs, num_features, options.get('use_scale', True), options.get('use_bias', True))
        p['mean'], p['var'] = [0.0] * num_features, [1.0] * num_features
        if scale is not None:
            p['scale'] = [f32(v) for v in scale]
        if bias is not None:
            p['bias'] = [f32(v) for v in bias]
        kw = {k: v for k, v in options.items() if k not in ('use_scale', 'use_bias')}
        mask = (lambda pos: mask_rows[pos[0]]) if mask_rows is not None else None
        out = {'name': name, 'seed': seed, 'num_features': num_features, 'options': options,
               'params_count': rngs.stream('params').count,
               'scale': p['scale'], 'bias': p['bias'], 'steps': []}
        if mask_rows is not None:
            out['mask_rows'] = mask_rows
        for i, mode in enumerate(steps):
            x = inputs(200 + 10 * seed + i, shape, 3.0)
            y = batch_norm_general(p, x, shape, use_running_average=(mode == 'eval'), mask=mask, **kw)
            out['steps'].append({'mode': mode, 'x_shape': list(shape), 'x': _floats(x), 'y': _floats(y),
                                 'mean_after': _floats(p['mean']), 'var_after': _floats(p['var'])})
        cases.append(out)

    case('feature_axis_1_exact_variance', 1, 3, (2, 3, 4), ('train', 'train', 'eval'),
         dict(axis=1, momentum=0.9, epsilon=1e-3, use_fast_variance=False))
    case('mask', 2, 2, (5, 2), ('train', 'eval'), dict(), mask_rows=[True, True, False, True, False])
    case('scale_and_bias', 3, 3, (4, 3), ('train', 'eval'), dict(), scale=[0.5, 2.0, -1.0], bias=[0.1, 0.0, -0.2])
    case('no_scale_no_bias', 4, 3, (4, 3), ('train',), dict(use_scale=False, use_bias=False))
    return cases


def selftest():
    """The general forms reproduce layers_ref.py's conv_forward and batch_norm_forward bit for bit on its cases."""
    from layers_ref import bits_f32, layers_vectors

    def floats(e):
        return [bits_f32(int(b, 16)) for b in e['bits']]
    doc = layers_vectors()
    failures = 0
    for c in doc['conv']:
        opts = dict(c['options'])
        if isinstance(opts.get('padding'), list):
            opts['padding'] = [tuple(q) for q in opts['padding']]
        y, shape = conv_general(floats(c['x']), c['x_shape'], floats(c['kernel']), c['kernel_size'],
                                c['in_features'], c['out_features'], c['bias'], **opts)
        failures += (y != floats(c['y'])) + (shape != c['y_shape'])
    bn = doc['batch_norm']
    p = {'scale': bn['scale'], 'bias': bn['bias'], 'mean': list(bn['mean']), 'var': list(bn['var'])}
    for step in bn['steps']:
        y = batch_norm_general(p, floats(step['x']), step['x_shape'], use_running_average=step['mode'] == 'eval')
        failures += (y != floats(step['y'])) + (p['mean'] != floats(step['mean_after'])) + (p['var'] != floats(step['var_after']))
    print('selftest: %d conv and %d batch-norm cases of layers_ref.py, %d mismatches'
          % (len(doc['conv']), len(bn['steps']), failures))
    return failures


def main(argv):
    if len(argv) == 2 and argv[1] == '--selftest':
        return 1 if selftest() else 0
    if len(argv) != 2:
        print(__doc__)
        return 2
    doc = {'about': ('More nnx.Conv and nnx.BatchNorm reference cases (Flax google/flax @ 18f8f311, JAX partitionable '
                     'threefry), written by tests/reference/conv_bn_ref.py from layers_ref.py\'s stdlib-only float32 model. '
                     'Initial values are exact float32 (bits); forward values are a sequential float32 model. '
                     'No value comes from Nnx.Gen code.'),
           'tolerance': TOL, 'conv': conv_cases(), 'batch_norm': batch_norm_cases()}
    with open(argv[1], 'w') as f:
        f.write(compact_json(doc) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
