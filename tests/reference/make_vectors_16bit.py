#!/usr/bin/env python3
"""Writes tests/Nnx.Runtime.Tests/Data/jax-vectors-16bit.json: float16 and bfloat16 draws of jax.random and
jax.nn.initializers computed by jaxref.py (this folder), whose 16-bit section is derived from the JAX, XLA, StableHLO
and ml_dtypes source (docs/jax-random.md#16-bit-parameters) and has not yet been compared with a real JAX run.

    python3 tests/reference/make_vectors_16bit.py

Python 3 standard library only. Values are given as 16-bit patterns ("bits", hex) and as decimals ("values").
Keys are nnx.Rngs(seed).params() = fold_in(key(seed), 0).
"""
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import jaxref as J  # noqa: E402

OUT = os.path.join(HERE, '..', 'Nnx.Runtime.Tests', 'Data', 'jax-vectors-16bit.json')
FORMATS = (J.F16, J.BF16)


def hex16(fmt, vals):
    return ['0x%04x' % fmt.bits(v) for v in vals]


def num(v):
    if v != v:
        return 'nan'
    if math.isinf(v):
        return 'inf' if v > 0 else '-inf'
    return v


def floats(fmt, vals):
    return {'bits': hex16(fmt, vals), 'values': [num(v) for v in vals]}


def case(seed, fmt, shape, partitionable):
    k = J.nnx_params_key(seed)
    return {'seed': seed, 'key': ['0x%08x' % w for w in k], 'dtype': fmt.name, 'shape': list(shape),
            'partitionable': partitionable}, k


def by_mantissa():
    """Every possible 16-bit normal: the value depends only on m = the mantissa bits of the uniform."""
    out = []
    for fmt in FORMATS:
        shift = fmt.rng_bits - fmt.nmant
        vals = [J.normal16_from_bits(m << shift, fmt) for m in range(2 ** fmt.nmant)]
        out.append({'dtype': fmt.name, 'random_bits': fmt.rng_bits, 'mantissa_bits': fmt.nmant,
                    'note': 'element m is normal for random bits m << %d' % shift, **floats(fmt, vals)})
    return out


def normal_section():
    out = []
    for fmt in FORMATS:
        for seed, shape, part in [(0, (4, 3), True), (1, (64, 48), True), (42, (5, 7), True), (0, (4, 3), False),
                                  (1701, (9, 5), False), (3, (33,), False)]:
            c, k = case(seed, fmt, shape, part)
            c.update(floats(fmt, J.normal16(k, shape, fmt, part)))
            out.append(c)
    return out


def uniform_section():
    out = []
    for fmt in FORMATS:
        for seed, lo, hi, shape, part in [(0, 0.0, 1.0, (16,), True), (7, -1.0, 1.0, (20,), True),
                                          (5, -3.7, 1.3, (6, 5), True), (9, 0.1, 0.2, (12,), True),
                                          (2, -3.7, 1.3, (7, 3), False)]:
            c, k = case(seed, fmt, shape, part)
            c.update({'minval': lo, 'maxval': hi})
            c.update(floats(fmt, J.uniform16(k, shape, fmt, lo, hi, part)))
            out.append(c)
    return out


def truncated_normal_section():
    out = []
    for fmt in FORMATS:
        for seed, lo, hi, shape, part in [(0, -2.0, 2.0, (8, 6), True), (42, 0.0, 2.0, (10,), True),
                                          (5, -1.5, 0.5, (12,), True), (11, -math.inf, 0.25, (8,), True),
                                          (3, -3.0, 3.0, (10,), True), (0, -2.0, 2.0, (5, 3), False)]:
            c, k = case(seed, fmt, shape, part)
            prm = J.truncated_normal16_params(lo, hi, fmt)
            c.update({'lower': num(lo), 'upper': num(hi),
                      'a_erf_lower': hex16(fmt, [prm['a']])[0], 'b_erf_upper': hex16(fmt, [prm['b']])[0],
                      'clip_lo': hex16(fmt, [prm['clip_lo']])[0], 'clip_hi': hex16(fmt, [prm['clip_hi']])[0]})
            c.update(floats(fmt, J.truncated_normal16(k, lo, hi, shape, fmt, part)))
            out.append(c)
    return out


def initializer_section():
    out = []
    for fmt in FORMATS:
        for name, seed, shape, part in [('lecun_normal', 0, (16, 8), True), ('lecun_uniform', 1, (16, 8), True),
                                        ('glorot_normal', 42, (5, 3), True), ('glorot_uniform', 0, (5, 3), True),
                                        ('he_normal', 1, (3, 3, 4, 8), True), ('he_uniform', 42, (16, 8), True),
                                        ('lecun_normal', 7, (12, 5), False)]:
            c, k = case(seed, fmt, shape, part)
            scale, mode, dist = J.NAMED_INITIALIZERS[name]
            prm = J.variance_scaling16_params(shape, scale, mode, dist, fmt)
            c.update({'initializer': name, 'variance': hex16(fmt, [prm['variance']])[0],
                      'multiplier': hex16(fmt, [prm['multiplier']])[0]})
            c.update(floats(fmt, J.initializer16(name, k, shape, fmt, partitionable=part)))
            out.append(c)
        for name, arg, seed, shape in [('normal', 0.02, 3, (8, 8)), ('uniform', 0.1, 4, (8, 8)),
                                       ('truncated_normal', 0.02, 5, (8, 8))]:
            c, k = case(seed, fmt, shape, True)
            fn = {'normal': J.init_normal16, 'uniform': J.init_uniform16,
                  'truncated_normal': J.init_truncated_normal16}[name]
            c.update({'initializer': name, 'stddev_or_scale': arg})
            c.update(floats(fmt, fn(k, shape, fmt, arg)))
            out.append(c)
        for mode, dist, out_axis, seed, shape in [('fan_geo_avg', 'normal', -1, 6, (6, 10)),
                                                  ('fan_out', 'uniform', -1, 8, (6, 10)),
                                                  ('fan_in', 'normal', 0, 9, (50, 4))]:
            c, k = case(seed, fmt, shape, True)
            prm = J.variance_scaling16_params(shape, 1.0, mode, dist, fmt, out_axis=out_axis)
            c.update({'initializer': 'variance_scaling', 'scale': 1.0, 'mode': mode, 'distribution': dist,
                      'out_axis': out_axis, 'variance': hex16(fmt, [prm['variance']])[0],
                      'multiplier': hex16(fmt, [prm['multiplier']])[0]})
            c.update(floats(fmt, J.variance_scaling16(k, shape, 1.0, mode, dist, fmt, out_axis=out_axis)))
            out.append(c)
    return out


def constants_section():
    """jnp.full / jnp.array of Python floats: float16 rounds the double directly, bfloat16 through float32.
    The first two values are chosen so that the two rules differ."""
    values = [1.0 + 2.0 ** -11 + 2.0 ** -40, 1.0 + 2.0 ** -8 + 2.0 ** -40, 0.1, -2.5, 1e-7, 70000.0, 3.0e38]
    out = []
    for fmt in FORMATS:
        out.append({'dtype': fmt.name, 'inputs': [repr(v) for v in values],
                    'bits': hex16(fmt, [J.constant16(v, fmt) for v in values])})
    return out


def main():
    doc = {
        'about': 'float16/bfloat16 jax.random and jax.nn.initializers from tests/reference/jaxref.py (16-bit section '
                 'derived from the JAX, XLA, StableHLO and ml_dtypes source; NOT yet compared with a real JAX run). '
                 'XLA:CPU model: erf_inv/erf in float32 (log1p with the Cephes log), every 16-bit op rounded to '
                 'nearest even, no FMA across 16-bit ops.',
        'normal_by_mantissa': by_mantissa(),
        'normal': normal_section(),
        'uniform': uniform_section(),
        'truncated_normal': truncated_normal_section(),
        'initializers': initializer_section(),
        'constants': constants_section(),
    }
    with open(OUT, 'w') as f:
        json.dump(doc, f, indent=1)
        f.write('\n')
    print('wrote', os.path.normpath(OUT))


if __name__ == '__main__':
    main()
