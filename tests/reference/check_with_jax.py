#!/usr/bin/env python3
"""Compares tests/Nnx.Runtime.Tests/Data/jax-vectors-16bit.json with a real JAX installation (CPU backend):

    JAX_PLATFORMS=cpu python3 tests/reference/check_with_jax.py [path/to/jax-vectors-16bit.json]

For every case it rebuilds the key from its two words, sets the case's bits layout, makes the same eager call in
float16 or bfloat16 and compares the 16-bit patterns: exact count and largest distance in ulp per section. Needs
jax, jaxlib and numpy; not run in this repository's tests (no JAX there).
"""
import json
import os
import sys


def main():
    import jax
    import jax.numpy as jnp
    import numpy as np

    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', 'Nnx.Runtime.Tests', 'Data',
                                                               'jax-vectors-16bit.json')
    doc = json.load(open(path))
    print('jax', jax.__version__, 'backend', jax.default_backend())
    dtypes = {'float16': jnp.float16, 'bfloat16': jnp.bfloat16}

    def key_of(c):
        return jax.random.wrap_key_data(np.array([int(w, 16) for w in c['key']], dtype=np.uint32))

    def ordered(bits):
        # sign-magnitude 16-bit patterns on one integer line, for ulp distances
        return np.where(bits & 0x8000, 0x8000 - bits, bits)

    def bound(v):
        return float(v)        # numbers, or the strings "inf" / "-inf"

    def call(section, c):
        k, shape, dt = key_of(c), tuple(c['shape']), dtypes[c['dtype']]
        if section == 'normal':
            return jax.random.normal(k, shape, dt)
        if section == 'uniform':
            return jax.random.uniform(k, shape, dt, c['minval'], c['maxval'])
        if section == 'truncated_normal':
            return jax.random.truncated_normal(k, bound(c['lower']), bound(c['upper']), shape, dt)
        init = jax.nn.initializers
        name = c['initializer']
        if 'stddev_or_scale' in c:
            return getattr(init, name)(c['stddev_or_scale'])(k, shape, dt)
        if name == 'variance_scaling':
            return init.variance_scaling(c['scale'], c['mode'], c['distribution'], out_axis=c['out_axis'])(k, shape, dt)
        return getattr(init, name)()(k, shape, dt)

    total = exact = 0
    for section in ('normal', 'uniform', 'truncated_normal', 'initializers'):
        for c in doc[section]:
            jax.config.update('jax_threefry_partitionable', bool(c['partitionable']))
            got = np.asarray(call(section, c)).reshape(-1).view(np.uint16).astype(np.int64)
            want = np.array([int(b, 16) for b in c['bits']], dtype=np.int64)
            n = int((got == want).sum())
            worst = int(np.abs(ordered(got) - ordered(want)).max()) if len(want) else 0
            total += len(want)
            exact += n
            print('%-17s %-9s seed=%-5s %-22s %s: %d/%d exact, max %d ulp' % (
                section, c['dtype'], c['seed'], c.get('initializer', ''), 'partitionable' if c['partitionable']
                else 'legacy', n, len(want), worst))
    print('TOTAL %d/%d exact' % (exact, total))


if __name__ == '__main__':
    main()
