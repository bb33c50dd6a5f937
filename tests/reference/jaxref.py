#!/usr/bin/env python3
# ---------------------------------------------------------------------------------------------------------------------
# Origin: a copy of the project's shared research reference `jax/jaxref.py` (the version whose log1p uses XLA:CPU's
# float32 Cephes log by default; its --selftest passes 86 known-answer vectors from JAX's and Flax's own tests and docs).
# Changes made in Nnx.Gen (everything else is unchanged):
#   * a "float16 / bfloat16" section (functions ending in 16, class Fmt16, F16, BF16) that models jax.random.uniform,
#     normal, truncated_normal and jax.nn.initializers for 16-bit dtypes as JAX + XLA:CPU compute them, derived from
#     their source (docs/jax-random.md#16-bit-parameters in this repository gives the derivation and the sources);
#   * internal checks of that section appended to --selftest;
#   * --dtype {float32,float16,bfloat16} for --init.
# The 16-bit values are derived from the source and have NOT yet been compared with a real JAX run.
# "SPEC.md" below means the specification beside the original in the shared research folder (not in this repository);
# docs/jax-random.md describes the same pipeline in this repository.
# ---------------------------------------------------------------------------------------------------------------------
"""Independent pure-Python (stdlib only) reference for the numbers produced by

    import jax, jax.numpy as jnp
    from flax import nnx
    class MyEmbed(nnx.Module):
        def __init__(self, vocab_size, d_model, rngs):
            key = rngs.params()
            self.embedding = nnx.Param(jax.random.normal(key, (vocab_size, d_model)))
        def __call__(self, token_ids):
            return self.embedding[token_ids]
    def embed_forward(seed, token_ids, vocab_size, d_model):
        model = MyEmbed(int(vocab_size), int(d_model), nnx.Rngs(int(seed)))
        return model(token_ids.astype(jnp.int32)).reshape(-1)

(JAX threefry2x32 PRNG, jax.random.uniform / jax.random.normal in float32,
XLA's float32 ErfInv, Flax NNX Rngs).  Also: jax.random.truncated_normal (with
XLA:CPU's float32 erf), bernoulli, uniform on general ranges, the
jax.nn.initializers (variance_scaling and the named lecun/glorot/he forms),
and Flax NNX Linear / Conv / Embed / LayerNorm / RMSNorm / Dropout
initialisation, Rngs key order and forward numerics (SPEC.md section 16).
See SPEC.md next to this file for the specification and the sources every
step was taken from.

No numpy.  uint32 arithmetic is emulated with "& 0xFFFFFFFF"; every float32
operation is rounded to float32 (struct.pack('<f')), fused multiply-adds are
rounded once (exactly).

Command line:
    python3 jaxref.py --seed 0 --ids 1,2,3 --vocab 10 --dmodel 4
    python3 jaxref.py --init lecun_normal --shape 16,8 --seed 0
    python3 jaxref.py --selftest
Options: --legacy (jax_threefry_partitionable=False path), --no-fma,
         --log1p {xla,xla_fixed,cr}, --log {cephes,cr} (default cephes: XLA:CPU float32 log, pinned by real JAX outputs)
"""

import argparse
import decimal
import hashlib
import math
import struct
import sys
import zlib

M32 = 0xFFFFFFFF
M64 = 0xFFFFFFFFFFFFFFFF

# ----------------------------------------------------------------------------
# float32 helpers
# ----------------------------------------------------------------------------
_F = struct.Struct('<f')
_I = struct.Struct('<I')


def f32(x):
    """Round a Python float (double) to the nearest float32 (ties to even)."""
    try:
        return _F.unpack(_F.pack(x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def f32_bits(x):
    return _I.unpack(_F.pack(x))[0]


def bits_f32(b):
    return _F.unpack(_I.pack(b & M32))[0]


def _f32_step(r, toward):
    """Adjacent float32 of float32 r in the direction of `toward` (r != toward)."""
    b = f32_bits(r)
    if r == 0.0:
        return bits_f32(1) if toward > 0 else bits_f32(0x80000001)
    up = toward > r
    if (b >> 31) == 0:
        b = b + 1 if up else b - 1
    else:
        b = b - 1 if up else b + 1
    return bits_f32(b)


def _round_sum_to_f32(s, err):
    """float32 nearest to the exact value s + err, where s = fl64(s+err) and
    err is the exact rounding error of that double sum (TwoSum)."""
    r = f32(s)
    if err == 0.0 or r == s:
        return r
    other = _f32_step(r, s)
    mid = (r + other) * 0.5          # exact in double
    if s != mid:                     # s is not a float32 tie: single rounding ok
        return r
    return max(r, other) if err > 0 else min(r, other)


def add32(a, b):
    return f32(a + b)        # double result then float32: exact emulation of f32 add


def sub32(a, b):
    return f32(a - b)


def mul32(a, b):
    return f32(a * b)


def div32(a, b):
    return f32(a / b)


def sqrt32(a):
    return f32(math.sqrt(a))


def fma32(a, b, c):
    """fused multiply-add with a single float32 rounding (a, b, c float32)."""
    p = a * b                     # exact: 24x24-bit product fits in 53 bits
    s = p + c
    bb = s - p
    err = (p - (s - bb)) + (c - bb)   # TwoSum: s + err == p + c exactly
    return _round_sum_to_f32(s, err)


def madd(a, b, c, fma):
    """a*b + c as XLA:CPU emits it: an FMA when contraction happens (default
    on FMA-capable hosts), otherwise two separately rounded float32 ops."""
    return fma32(a, b, c) if fma else add32(mul32(a, b), c)


# ----------------------------------------------------------------------------
# Threefry-2x32 (jax/_src/random/threefry2x32.py: _threefry2x32_lowering)
# ----------------------------------------------------------------------------
ROTATIONS = ((13, 15, 26, 6), (17, 29, 16, 24))
PARITY = 0x1BD11BDA


def _rotl32(x, r):
    return ((x << r) | (x >> (32 - r))) & M32


def threefry2x32(key, count):
    """Threefry-2x32, 20 rounds. key=(k0,k1), count=(x0,x1) -> (y0,y1)."""
    k0, k1 = key[0] & M32, key[1] & M32
    x0, x1 = count[0] & M32, count[1] & M32
    ks = (k0, k1, k0 ^ k1 ^ PARITY)
    x0 = (x0 + ks[0]) & M32
    x1 = (x1 + ks[1]) & M32
    for i in range(5):
        for r in ROTATIONS[i % 2]:
            x0 = (x0 + x1) & M32
            x1 = _rotl32(x1, r)
            x1 ^= x0
        x0 = (x0 + ks[(i + 1) % 3]) & M32
        x1 = (x1 + ks[(i + 2) % 3] + i + 1) & M32
    return x0, x1


def threefry_2x32_array(key, counts):
    """jax threefry_2x32(keypair, count) on a flat uint32 list: pad odd length
    with one 0, pair element j of the first half with element j of the second
    half, hash, concatenate [all y0..., all y1...], drop the pad."""
    n = len(counts)
    padded = list(counts) + ([0] if n % 2 else [])
    h = len(padded) // 2
    y0, y1 = [], []
    for j in range(h):
        a, b = threefry2x32(key, (padded[j], padded[j + h]))
        y0.append(a)
        y1.append(b)
    out = y0 + y1
    return out[:n]


# ----------------------------------------------------------------------------
# Keys: seed, fold_in, split
# ----------------------------------------------------------------------------
def key(seed, x64=False, seed_offset=0):
    """jax.random.key(seed) / PRNGKey(seed) for a Python int seed -> (k0, k1).

    prng.random_seed: Python int -> np.int64 (OverflowError outside int64);
    with x64 disabled the int64 is canonicalised (wrapped) to int32, so
    k0 = int32 >> 32 (logical) = 0 and k1 = low 32 bits.  With x64 enabled
    (k0, k1) = (high, low) 32-bit words of the int64 two's complement.
    jax_random_seed_offset (default 0) is added after the conversion."""
    seed = int(seed)
    if not (-2 ** 63 <= seed < 2 ** 63):
        raise OverflowError('seed does not fit in int64')
    if x64:
        v = (seed + seed_offset) & M64
        return (v >> 32) & M32, v & M32
    v = ((seed & M32) + seed_offset) & M32
    return 0, v


def fold_in(k, data):
    """jax.random.fold_in: threefry_2x32(key, threefry_seed(uint32(data)))
    = threefry2x32(key, (0, data)).  Same with or without partitionable."""
    data = int(data)
    if not 0 <= data <= M32:
        raise OverflowError('fold_in data must fit in uint32')
    return threefry2x32(k, (0, data))


def split(k, num=2, partitionable=True):
    """jax.random.split(key, num) -> list of num keys."""
    if partitionable:
        # _threefry_split_foldlike: key i = threefry(key, (hi32(i), lo32(i)))
        return [threefry2x32(k, ((i >> 32) & M32, i & M32)) for i in range(num)]
    # _threefry_split_original: threefry_2x32(key, iota(2*num)).reshape(num, 2)
    out = threefry_2x32_array(k, list(range(2 * num)))
    return [(out[2 * i], out[2 * i + 1]) for i in range(num)]


# ----------------------------------------------------------------------------
# random_bits
# ----------------------------------------------------------------------------
_BLOCK = 0xFFFFFFFF   # dtypes.iinfo(np.uint32).max


def _iota_hash_at(k, n, length):
    """Element n of threefry_2x32(k, iota(uint32, length)): pad an odd length
    with one 0, pair element j with element j+h (h = ceil(length/2)), output
    [y0 of all pairs..., y1 of all pairs...] without the pad."""
    h = (length + 1) // 2
    if n < h:
        c1 = n + h if n + h < length else 0      # odd length: padded with 0
        return threefry2x32(k, (n, c1))[0]
    j = n - h
    return threefry2x32(k, (j, j + h))[1]


def _orig_word_at(k, n, max_count):
    """Element n of the legacy 32-bit word stream of length max_count
    (_threefry_random_bits_original before the dtype handling).  Streams of
    2**32-1 words or more are cut into blocks of 2**32-1 words, each hashed
    with its own key from split(key, nblocks+1) (legacy split)."""
    nblocks, rem = divmod(max_count, _BLOCK)
    if nblocks:
        keys = split(k, nblocks + 1, partitionable=False)
        b, n = divmod(n, _BLOCK)
        if b < nblocks:
            return _iota_hash_at(keys[b], n, _BLOCK)
        return _iota_hash_at(keys[-1], n, rem)
    return _iota_hash_at(k, n, max_count)


def random_bits_at(k, n, size, bit_width=32, partitionable=True):
    """Element n (row-major flat index) of random_bits(key, bit_width, shape)
    for an array of `size` elements."""
    if partitionable:
        b1, b2 = threefry2x32(k, ((n >> 32) & M32, n & M32))
        if bit_width == 64:
            return (b1 << 32) | b2
        v = b1 ^ b2
        return v & ((1 << bit_width) - 1)
    if bit_width == 32:
        return _orig_word_at(k, n, size)
    if bit_width == 64:
        mc = 2 * size
        return (_orig_word_at(k, n, mc) << 32) | _orig_word_at(k, size + n, mc)
    per = 32 // bit_width
    mc = -(-bit_width * size // 32)
    w = _orig_word_at(k, n // per, mc)
    return (w >> (bit_width * (n % per))) & ((1 << bit_width) - 1)


def random_bits(k, shape, bit_width=32, partitionable=True):
    size = math.prod(shape)
    return [random_bits_at(k, n, size, bit_width, partitionable)
            for n in range(size)]


# ----------------------------------------------------------------------------
# uniform (float32)
# ----------------------------------------------------------------------------
def uniform_from_bits(bits, minval=0.0, maxval=1.0, fma=True):
    lo = f32(minval)
    hi = f32(maxval)
    f = sub32(bits_f32((bits >> 9) | 0x3F800000), 1.0)   # exact, in [0, 1)
    v = madd(f, sub32(hi, lo), lo, fma)                  # floats*(max-min)+min
    return v if v >= lo else lo                           # lax.max(minval, .)


def uniform(k, shape=(), minval=0.0, maxval=1.0, partitionable=True, fma=True):
    size = math.prod(shape)
    return [uniform_from_bits(random_bits_at(k, n, size, 32, partitionable),
                              minval, maxval, fma) for n in range(size)]


# ----------------------------------------------------------------------------
# log1p / log models (the one backend-dependent piece)
# ----------------------------------------------------------------------------
# XLA:CPU Log1p (xla/codegen/intrinsic/log1p.cc, formerly
# ElementalIrEmitter::EmitLog1p): Cephes-style rational approximation for
# |x| < sqrt(2)-1, log(1+x) otherwise.  Coefficients are doubles rounded to f32.
L1P_THRESH = f32(0.41421356237309504880)
L1P_FIXED_LO = f32(-0.29289321881345248)   # proposed fix, openxla/xla PR 46765
L1P_NUM = [f32(c) for c in (
    4.5270000862445199635215E-5, 4.9854102823193375972212E-1,
    6.5787325942061044846969E0, 2.9911919328553073277375E1,
    6.0949667980987787057556E1, 5.7112963590585538103336E1,
    2.0039553499201281259648E1)]
L1P_DEN = [f32(c) for c in (
    1., 1.5062909083469192043167E1, 8.3047565967967209469434E1,
    2.2176239823732856465394E2, 3.0909872225312059774938E2,
    2.1642788614495947685003E2, 6.0118660497603843919306E1)]

# XLA:CPU runtime logf approximation (Eigen/Cephes plog, from
# xla/service/cpu/llvm_ir_runtime.cc EmitVectorF32LogIfNeeded)
_LOG_P = [f32(c) for c in (7.0376836292E-2, -1.1514610310E-1, 1.1676998740E-1,
                           -1.2420140846E-1, +1.4249322787E-1, -1.6668057665E-1,
                           +2.0000714765E-1, -2.4999993993E-1, +3.3333331174E-1)]
_LOG_Q1 = f32(-2.12194440e-4)
_LOG_Q2 = f32(0.693359375)
_SQRTHF = f32(0.707106781186547524)


def log_cr(y):
    """float32 log, correctly rounded (double log rounded to float32)."""
    if y == 0.0:
        return -math.inf
    if y < 0.0 or y != y:
        return math.nan
    return f32(math.log(y))


def log_cephes(y, fma=True):
    """XLA:CPU's historical float32 log polynomial (Eigen plog_float)."""
    if y == 0.0:
        return -math.inf
    if y < 0.0 or y != y:
        return math.nan
    y = max(y, bits_f32(0x00800000))
    b = f32_bits(y)
    emm0 = (b >> 23) - 0x7F
    x = bits_f32((b & ~0x7F800000 & M32) | f32_bits(0.5))   # mantissa in [0.5,1)
    e = add32(1.0, float(emm0))
    if x < _SQRTHF:
        tmp = x
        e = sub32(e, 1.0)
    else:
        tmp = 0.0
    x = sub32(x, 1.0)
    x = add32(x, tmp)
    x2 = mul32(x, x)
    x3 = mul32(x2, x)
    p = _LOG_P
    y0 = madd(x, p[0], p[1], fma)
    y1 = madd(x, p[3], p[4], fma)
    y2 = madd(x, p[6], p[7], fma)
    y0 = madd(y0, x, p[2], fma)
    y1 = madd(y1, x, p[5], fma)
    y2 = madd(y2, x, p[8], fma)
    y0 = madd(y0, x3, y1, fma)
    y0 = madd(y0, x3, y2, fma)
    # y = y*x3 + q1*e   (LLVM contracts the first product into the add)
    y0 = madd(y0, x3, mul32(_LOG_Q1, e), fma)
    x = sub32(x, mul32(0.5, x2))          # 0.5*x2 is exact
    x = add32(x, y0)
    x = add32(x, mul32(_LOG_Q2, e))       # q2*e is exact
    return x


def log1p32(x, model='xla', log_model='cephes', fma=True):
    if model == 'cr':
        if x <= -1.0:
            return -math.inf if x == -1.0 else math.nan
        return f32(math.log1p(x))
    if model == 'xla':
        small = abs(x) < L1P_THRESH
    elif model == 'xla_fixed':
        small = L1P_FIXED_LO <= x <= L1P_THRESH
    else:
        raise ValueError(model)
    if small:
        x2 = mul32(x, x)
        num = 0.0
        for c in L1P_NUM:
            num = madd(num, x, c, fma)
        den = 0.0
        for c in L1P_DEN:
            den = madd(den, x, c, fma)
        r = div32(num, den)
        r = mul32(mul32(x, x2), r)
        r = madd(-0.5, x2, r, fma)         # -0.5*x2 exact: fused or not, same
        return add32(x, r)
    y = add32(x, 1.0)
    return log_cephes(y, fma) if log_model == 'cephes' else log_cr(y)


# ----------------------------------------------------------------------------
# erf_inv (float32): stablehlo/transforms/ChloLegalizeToStablehlo.cpp erfInv32
# (same as xla/hlo/builder/lib/math.cc ErfInv32)
# ----------------------------------------------------------------------------
ERFINV_LT5 = [f32(c) for c in (
    2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06,
    0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941)]
ERFINV_GE5 = [f32(c) for c in (
    -0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844,
    0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682)]


def erf_inv32(x, log1p_model='xla', log_model='cephes', fma=True):
    if abs(x) == 1.0:
        return x * math.inf
    minus_x_sq = mul32(x, -x)
    w = -log1p32(minus_x_sq, log1p_model, log_model, fma)
    if w < 5.0:
        c = ERFINV_LT5
        w = sub32(w, 2.5)
    else:
        c = ERFINV_GE5
        w = sub32(sqrt32(w), 3.0)
    p = c[0]
    for ci in c[1:]:
        p = madd(p, w, ci, fma)            # coefficient(i) + p*w
    return mul32(p, x)


SQRT2_F32 = f32(math.sqrt(2.0))            # 1.41421354 = 0x3FB504F3
NORMAL_LO = bits_f32(0xBF7FFFFF)           # nextafter(-1, 0) = -0.99999994


def normal_from_bits(bits, log1p_model='xla', log_model='cephes', fma=True):
    u = uniform_from_bits(bits, NORMAL_LO, 1.0, fma)
    return mul32(SQRT2_F32, erf_inv32(u, log1p_model, log_model, fma))


def normal(k, shape=(), partitionable=True, **kw):
    size = math.prod(shape)
    return [normal_from_bits(random_bits_at(k, n, size, 32, partitionable), **kw)
            for n in range(size)]


def _kw_uniform(kw):
    """The uniform sampler only takes the FMA switch of the float models."""
    return {'fma': kw['fma']} if 'fma' in kw else {}


# ----------------------------------------------------------------------------
# erf (float32), needed by truncated_normal
# ----------------------------------------------------------------------------
# jax lax.erf lowers to chlo.erf (jax/_src/lax/special.py).  XLA keeps it as a
# high-level op (ChloLegalizeToHighLevelMhlo: chlo.erf -> mhlo.erf -> HLO
# kErf) and XLA:CPU emits kErf F32 with EmitErfF32 (xla/service/llvm_ir/
# math_ops.cc; since 2025 the intrinsic xla/codegen/intrinsic/erf.cc, also
# used by the MLIR fusion emitters via LowerXlaIntrinsicLib).  That is Eigen's
# generic_fast_erf_float: an odd/even rational x*P(x^2)/Q(x^2), Horner steps
# emitted as llvm.fma (always fused, whatever the contraction setting), and
# |x| >= 3.832506856900711f selects copysign(1, x) instead.
# Coefficients are C++ float literals; rounding the decimal once to float32
# equals f32(double) for every one of them (checked in the self-test).
ERF_ALPHA = [f32(c) for c in (             # alpha_9, alpha_7, ..., alpha_1
    0.00022905065861350646, 0.0034082910107109506, 0.050955695062380861,
    0.18520832239976145, 1.128379143519084)]
ERF_BETA = [f32(c) for c in (              # beta_12, beta_10, ..., beta_0
    -1.1791602954361697e-7, 0.000023547966471313185, 0.0010179625278914885,
    0.014070470171167667, 0.11098505178285362, 0.49746925110067538, 1.0)]
ERF_ONE_FROM = f32(3.832506856900711)      # 0x407547CB, XLA:CPU: |x| >= -> +-1
ERF_CLAMP = f32(3.7439211627767994)        # 0x406F9C68, math.cc / GPU: clamp x
# StableHLO's own CHLO decomposition (ChloLegalizeToStablehlo.cpp
# materializeErfApproximationF32, the older Eigen rational): x clamped to
# [-4, 4], erf = x*alpha(x^2)/beta(x^2) clamped to [-1, 1], Horner as
# stablehlo mul + add (contracted to FMA by XLA:CPU).  Not what JAX -> XLA
# runs today (erf is kept as mhlo.erf); kept for comparison.
ERF_CHLO_ALPHA = [f32(c) for c in (
    -2.72614225801306e-10, 2.77068142495902e-08, -2.10102402082508e-06,
    -5.69250639462346e-05, -7.34990630326855e-04, -2.95459980854025e-03,
    -1.60960333262415e-02)]
ERF_CHLO_BETA = [f32(c) for c in (
    -1.45660718464996e-05, -2.13374055278905e-04, -1.68282697438203e-03,
    -7.37332916720468e-03, -1.42647390514189e-02)]


def _erf_rational(x):
    x2 = mul32(x, x)
    p = ERF_ALPHA[0]
    for c in ERF_ALPHA[1:]:
        p = fma32(x2, p, c)
    p = mul32(x, p)
    q = ERF_BETA[0]
    for c in ERF_BETA[1:]:
        q = fma32(x2, q, c)
    return div32(p, q)


def erf32(x, variant='xla_cpu', fma=True):
    """float32 erf as XLA computes lax.erf.

    variant 'xla_cpu' (default): XLA:CPU EmitErfF32 / intrinsic xla.erf.f32.
    variant 'clamp': same rational with x clamped to +-3.7439211627767994f
      (xla/hlo/builder/lib/math.cc Erf and the GPU emitters' expand_float_ops;
      identical to 'xla_cpu' for |x| < 3.7439212).
    variant 'chlo': StableHLO CHLO decomposition (older coefficients)."""
    if variant == 'xla_cpu':
        if ERF_ONE_FROM <= abs(x):               # fcmp ole; false for NaN
            return math.copysign(1.0, x)
        return _erf_rational(x)
    if variant == 'clamp':
        return _erf_rational(min(max(x, -ERF_CLAMP), ERF_CLAMP))
    if variant == 'chlo':
        x = min(max(x, -4.0), 4.0)
        x2 = mul32(x, x)
        p = ERF_CHLO_ALPHA[0]
        for c in ERF_CHLO_ALPHA[1:]:
            p = madd(p, x2, c, fma)
        q = ERF_CHLO_BETA[0]
        for c in ERF_CHLO_BETA[1:]:
            q = madd(q, x2, c, fma)
        return min(max(div32(mul32(x, p), q), -1.0), 1.0)
    raise ValueError(variant)


def nextafter32(x, toward):
    """lax.nextafter in float32 (chlo.next_after: bit arithmetic, exact)."""
    if x != x or toward != toward:
        return math.nan
    if x == toward:
        return toward
    return _f32_step(x, toward)


# ----------------------------------------------------------------------------
# truncated_normal (jax/_src/random/core.py _truncated_normal)
# ----------------------------------------------------------------------------
# sqrt2 = np.array(np.sqrt(2), float32) is an HLO constant, so XLA's
# AlgebraicSimplifier rewrites `lower / sqrt2` into `lower * (1/sqrt2)` (rule
# "A / Const => A * (1 / Const)", the inverse computed in float32).  For the
# bounds 0, +-0.5, +-1, +-2, +-2.5, +-4 both forms give the same float32 (so
# do the erf values for +-3); for +-1.5 they do not (SPEC.md 16.3).
RECIP_SQRT2_F32 = div32(1.0, SQRT2_F32)    # 0.70710677 = 0x3F3504F3


def truncated_normal_params(lower, upper, erf_variant='xla_cpu', recip=True,
                            fma=True):
    """Scalars of truncated_normal for float32 bounds: the uniform range
    [a, b) = [erf(lower/sqrt2), erf(upper/sqrt2)) and the clip bounds
    (nextafter(lower, +inf), nextafter(upper, -inf))."""
    lo, hi = f32(lower), f32(upper)
    scale = (lambda v: mul32(v, RECIP_SQRT2_F32)) if recip else \
        (lambda v: div32(v, SQRT2_F32))
    a = erf32(scale(lo), erf_variant, fma)
    b = erf32(scale(hi), erf_variant, fma)
    return {'lower': lo, 'upper': hi, 'a': a, 'b': b,
            'clip_lo': nextafter32(lo, math.inf),
            'clip_hi': nextafter32(hi, -math.inf)}


def truncated_normal_from_bits(bits, prm, log1p_model='xla', log_model='cephes',
                               fma=True):
    # u = uniform(key, shape, f32, minval=a, maxval=b): f*(b-a)+a, FMA on CPU
    u = uniform_from_bits(bits, prm['a'], prm['b'], fma)
    out = mul32(SQRT2_F32, erf_inv32(u, log1p_model, log_model, fma))
    # jnp.clip(out, lo', hi') = minimum(hi', maximum(lo', out))
    return min(prm['clip_hi'], max(prm['clip_lo'], out))


def truncated_normal(k, lower, upper, shape=(), partitionable=True,
                     erf_variant='xla_cpu', recip=True, **kw):
    """jax.random.truncated_normal(key, lower, upper, shape) (float32, scalar
    bounds).  kw: log1p_model, log_model, fma (as for normal)."""
    prm = truncated_normal_params(lower, upper, erf_variant, recip,
                                  kw.get('fma', True))
    size = math.prod(shape)
    return [truncated_normal_from_bits(
        random_bits_at(k, n, size, 32, partitionable), prm, **kw)
        for n in range(size)]


# ----------------------------------------------------------------------------
# bernoulli (jax/_src/random/core.py _bernoulli)
# ----------------------------------------------------------------------------
def bernoulli(k, p=0.5, shape=(), partitionable=True, mode='low'):
    """jax.random.bernoulli(key, p, shape) for a Python-float p (x64 off, so
    p's dtype is float32).  'low': uniform(key, shape) < f32(p) - with
    minval 0 / maxval 1 the uniform is exactly m * 2^-23 (m = bits >> 9).
    'high': u1, u2 = uniform(key, (2,)+shape); u2 * 2^-23 < f32(p) - u1."""
    pf = f32(p)
    size = math.prod(shape)
    if mode == 'low':
        return [uniform_from_bits(random_bits_at(k, n, size, 32,
                                                 partitionable)) < pf
                for n in range(size)]
    if mode != 'high':
        raise ValueError(mode)
    out = []
    for n in range(size):
        u1 = uniform_from_bits(random_bits_at(k, n, 2 * size, 32, partitionable))
        u2 = uniform_from_bits(random_bits_at(k, size + n, 2 * size, 32,
                                              partitionable))
        out.append(mul32(u2, 2.0 ** -23) < sub32(pf, u1))
    return out


# ----------------------------------------------------------------------------
# jax.nn.initializers (jax/_src/nn/initializers.py), float32, eager semantics
# ----------------------------------------------------------------------------
# The 0.87962566103423978 constant is the stddev of a standard normal
# truncated to (-2, 2); jnp.array(.87962566103423978, float32) = 0x3F612F26.
TN_STDDEV_CORR = f32(.87962566103423978)


def compute_fans(shape, in_axis=-2, out_axis=-1, batch_axis=()):
    """_compute_fans, with the same Python int/float operations (the
    receptive field is a true division, so fans are Python floats)."""
    if isinstance(in_axis, int) and in_axis == -2 and len(shape) <= 1:
        raise ValueError('need a >= 2-D shape with the default in_axis')

    def size(ax):
        if isinstance(ax, int):
            return shape[ax]
        return math.prod([shape[i] for i in ax])
    in_size, out_size, batch_size = size(in_axis), size(out_axis), size(batch_axis)
    receptive_field_size = math.prod(shape) / in_size / out_size / batch_size
    return in_size * receptive_field_size, out_size * receptive_field_size


def variance_scaling_params(shape, scale, mode, distribution, in_axis=-2,
                            out_axis=-1, batch_axis=(), jit=False):
    """The scalars of variance_scaling: fans (Python floats), variance =
    jnp.array(scale / denominator, float32) (double division, one rounding)
    and the float32 multiplier applied to the samples.

    jit=False: eager op-by-op float32 (what nnx.Linear(...) built outside
    any jit does).  jit=True (unverified alternative): inside a jit the
    scalars are HLO constants and XLA's AlgebraicSimplifier turns
    sqrt(var) / c into sqrt(var) * f32(1 / c) before constant folding."""
    fan_in, fan_out = compute_fans(shape, in_axis, out_axis, batch_axis)
    if mode == 'fan_in':
        den = fan_in
    elif mode == 'fan_out':
        den = fan_out
    elif mode == 'fan_avg':
        den = (fan_in + fan_out) / 2
    elif mode == 'fan_geo_avg':
        den = (fan_in * fan_out) ** 0.5
    else:
        raise ValueError(mode)
    variance = f32(scale / den)
    if distribution == 'truncated_normal':
        if jit:
            mult = mul32(sqrt32(variance), div32(1.0, TN_STDDEV_CORR))
        else:
            mult = div32(sqrt32(variance), TN_STDDEV_CORR)  # sqrt(var) / .8796...
    elif distribution == 'normal':
        mult = sqrt32(variance)
    elif distribution == 'uniform':
        mult = sqrt32(mul32(3.0, variance))            # sqrt(3 * variance)
    else:
        raise ValueError(distribution)
    return {'fan_in': fan_in, 'fan_out': fan_out, 'denominator': den,
            'variance': variance, 'multiplier': mult}


def variance_scaling(k, shape, scale, mode, distribution, in_axis=-2,
                     out_axis=-1, batch_axis=(), partitionable=True, jit=False,
                     **kw):
    """jax.nn.initializers.variance_scaling(...)(key, shape, float32)."""
    prm = variance_scaling_params(shape, scale, mode, distribution, in_axis,
                                  out_axis, batch_axis, jit)
    m = prm['multiplier']
    if distribution == 'truncated_normal':
        vals = truncated_normal(k, -2, 2, shape, partitionable, **kw)
    elif distribution == 'normal':
        vals = normal(k, shape, partitionable, **kw)
    else:                                   # uniform(key, shape, f32, -1) in [-1, 1)
        vals = uniform(k, shape, -1.0, 1.0, partitionable, **_kw_uniform(kw))
    return [mul32(v, m) for v in vals]


def init_normal(k, shape, stddev=1e-2, partitionable=True, **kw):
    """jax.nn.initializers.normal(stddev): normal * jnp.array(stddev, f32)."""
    s = f32(stddev)
    return [mul32(v, s) for v in normal(k, shape, partitionable, **kw)]


def init_uniform(k, shape, scale=1e-2, partitionable=True, **kw):
    """jax.nn.initializers.uniform(scale): uniform[0,1) * jnp.array(scale)."""
    s = f32(scale)
    return [mul32(v, s) for v in uniform(k, shape, 0.0, 1.0, partitionable,
                                         **_kw_uniform(kw))]


def init_truncated_normal(k, shape, stddev=1e-2, lower=-2.0, upper=2.0,
                          partitionable=True, **kw):
    """jax.nn.initializers.truncated_normal(stddev, lower=-2., upper=2.)."""
    s = f32(stddev)
    return [mul32(v, s) for v in truncated_normal(k, lower, upper, shape,
                                                  partitionable, **kw)]


# name -> (scale, mode, distribution); xavier_* = glorot_*, kaiming_* = he_*
NAMED_INITIALIZERS = {
    'lecun_normal': (1.0, 'fan_in', 'truncated_normal'),
    'lecun_uniform': (1.0, 'fan_in', 'uniform'),
    'glorot_normal': (1.0, 'fan_avg', 'truncated_normal'),
    'glorot_uniform': (1.0, 'fan_avg', 'uniform'),
    'he_normal': (2.0, 'fan_in', 'truncated_normal'),
    'he_uniform': (2.0, 'fan_in', 'uniform'),
}
NAMED_INITIALIZERS['xavier_normal'] = NAMED_INITIALIZERS['glorot_normal']
NAMED_INITIALIZERS['xavier_uniform'] = NAMED_INITIALIZERS['glorot_uniform']
NAMED_INITIALIZERS['kaiming_normal'] = NAMED_INITIALIZERS['he_normal']
NAMED_INITIALIZERS['kaiming_uniform'] = NAMED_INITIALIZERS['he_uniform']


def initializer(name, k, shape, in_axis=-2, out_axis=-1, batch_axis=(),
                partitionable=True, jit=False, **kw):
    """A named jax.nn.initializers.<name>()(key, shape, float32)."""
    scale, mode, dist = NAMED_INITIALIZERS[name]
    return variance_scaling(k, shape, scale, mode, dist, in_axis, out_axis,
                            batch_axis, partitionable, jit, **kw)



# ----------------------------------------------------------------------------
# float16 / bfloat16 (added in Nnx.Gen; derived from the JAX, XLA, StableHLO
# and ml_dtypes sources, not yet compared with a real JAX run)
# ----------------------------------------------------------------------------
# * random bits: _uniform uses rng_bits = nbits (16 for float16) unless
#   finfo.nmant < 8, then 8 (bfloat16, nmant 7); 8/16-bit random_bits are the
#   low bits of y0 ^ y1 (partitionable) or a little-endian view of the 32-bit
#   words (legacy), as random_bits_at already implements.
# * floats = bitcast((bits >> (rng_bits - nmant)) | one) - 1 = m * 2^-nmant.
# * every HLO op in a 16-bit dtype rounds to that dtype: XLA:CPU wraps bf16
#   arithmetic in converts to f32 and back (FloatNormalization; the f32 -> bf16
#   -> f32 pairs stay, SimplifyFPConversions only runs in oneDNN builds), f16
#   arithmetic is LLVM `half`, promoted to f32 per op on x86 without
#   AVX512-FP16.  f32 has p = 24 >= 2p' + 2 for p' = 11 and 8, so each op is
#   the correctly rounded 16-bit result; no FMA is formed across the rounding.
# * erf_inv: CHLO's ConvertErfInvOp upcasts f16/bf16 to f32, runs erfInv32
#   (erf_inv32 here, with its log1p) and converts the result back (RNE).
# * erf: XLA:CPU EmitErf upcasts f16 to f32 (bf16 via FloatNormalization) and
#   rounds Eigen's f32 erf back.
# * `bound / sqrt2` becomes bound * (1 / sqrt2) with the inverse computed in
#   the 16-bit type (AlgebraicSimplifier InvertConstant<half / bfloat16>).
# * Python floats: np.asarray(x, float16) rounds the double directly;
#   ml_dtypes' bfloat16(double) goes through float32 first (from_python).
#   Python scalars passed to a jitted sampler (bounds, minval, maxval) become
#   weak float32 first, then convert in XLA (from_traced).

def _round_binary(x, p, emin, emax):
    """x (a double holding the exact or an innocuously rounded value) rounded
    to nearest-even in a binary format with a p-bit significand, normal
    exponents emin..emax, gradual underflow and overflow to infinity."""
    if x != x or x == 0.0 or math.isinf(x):
        return x
    from fractions import Fraction
    a = abs(x)
    e = max(math.frexp(a)[1] - 1, emin)
    q = Fraction(2) ** (e - p + 1)
    v = round(Fraction(a) / q) * q            # Fraction round: half to even
    if v > (2 - Fraction(2) ** (1 - p)) * Fraction(2) ** emax:
        return math.copysign(math.inf, x)
    return math.copysign(float(v), x)


class Fmt16:
    """A 16-bit float format: float16 (p = 11) or bfloat16 (p = 8)."""

    def __init__(self, name, p, emin, emax, rng_bits, direct_from_double):
        self.name, self.p, self.emin, self.emax = name, p, emin, emax
        self.nmant = p - 1
        self.rng_bits = rng_bits
        self.direct_from_double = direct_from_double
        self.sqrt2 = self.from_python(math.sqrt(2.0))   # np.array(np.sqrt(2), dtype)

    def round(self, x):
        return _round_binary(x, self.p, self.emin, self.emax)

    def from_python(self, d):
        """np.asarray(python_float, dtype) / jnp.array(python_float, dtype)."""
        return self.round(d) if self.direct_from_double else self.round(f32(d))

    def from_traced(self, d):
        """A Python scalar passed to a jitted sampler: weak float32, then an
        XLA convert to the 16-bit type."""
        return self.round(f32(d))

    def bits(self, v):
        if self.name == 'bfloat16':
            b = f32_bits(v)
            assert b & 0xFFFF == 0, 'not a bfloat16 value'
            return b >> 16
        return struct.unpack('<H', struct.pack('<e', v))[0]

    def from_bits(self, b):
        if self.name == 'bfloat16':
            return bits_f32(b << 16)
        return struct.unpack('<e', struct.pack('<H', b))[0]

    def nextafter(self, x, toward):
        """lax.nextafter in the 16-bit type: one step of the bit pattern."""
        if x != x or toward != toward:
            return math.nan
        if x == toward:
            return toward
        if x == 0.0:
            return math.copysign(self.from_bits(1), toward)
        b = self.bits(x)
        up = toward > x
        b = b + 1 if (up == (x > 0)) else b - 1
        return self.from_bits(b)


F16 = Fmt16('float16', 11, -14, 15, 16, True)
BF16 = Fmt16('bfloat16', 8, -126, 127, 8, False)
FORMATS16 = {'float16': F16, 'bfloat16': BF16}


def add16(fmt, a, b):
    return fmt.round(a + b)


def sub16(fmt, a, b):
    return fmt.round(a - b)


def mul16(fmt, a, b):
    return fmt.round(a * b)          # exact in double for 16-bit operands


def div16(fmt, a, b):
    return fmt.round(a / b)


def sqrt16(fmt, a):
    return fmt.round(math.sqrt(a))


def mantissa16(bits, fmt):
    """m of floats = m * 2^-nmant, from rng_bits random bits."""
    return bits >> (fmt.rng_bits - fmt.nmant)


def uniform16_from_bits(bits, lo, hi, fmt):
    """_uniform in a 16-bit dtype for lo, hi already in that dtype:
    max(lo, (floats * (hi - lo)) + lo), every op rounded, no FMA."""
    f = mantissa16(bits, fmt) * 2.0 ** -fmt.nmant
    v = add16(fmt, mul16(fmt, f, sub16(fmt, hi, lo)), lo)
    return v if v >= lo else lo


def uniform16(k, shape, fmt, minval=0.0, maxval=1.0, partitionable=True):
    lo, hi = fmt.from_traced(minval), fmt.from_traced(maxval)
    size = math.prod(shape)
    return [uniform16_from_bits(random_bits_at(k, n, size, fmt.rng_bits,
                                               partitionable), lo, hi, fmt)
            for n in range(size)]


def normal16_from_bits(bits, fmt, **kw):
    """_normal_real in a 16-bit dtype: u = uniform(nextafter(-1, 0), 1)
    (exact: (4m - (2^p - 1)) / 2^p), erf_inv in float32 on u, rounded back,
    times sqrt2 in the 16-bit type."""
    lo = fmt.nextafter(-1.0, 0.0)
    u = uniform16_from_bits(bits, lo, 1.0, fmt)
    return mul16(fmt, fmt.sqrt2, fmt.round(erf_inv32(u, **kw)))


def normal16(k, shape, fmt, partitionable=True, **kw):
    size = math.prod(shape)
    return [normal16_from_bits(random_bits_at(k, n, size, fmt.rng_bits,
                                              partitionable), fmt, **kw)
            for n in range(size)]


def truncated_normal16_params(lower, upper, fmt):
    lo, hi = fmt.from_traced(lower), fmt.from_traced(upper)
    inv = div16(fmt, 1.0, fmt.sqrt2)          # InvertConstant in the dtype
    a = fmt.round(erf32(mul16(fmt, lo, inv)))
    b = fmt.round(erf32(mul16(fmt, hi, inv)))
    return {'lower': lo, 'upper': hi, 'a': a, 'b': b,
            'clip_lo': fmt.nextafter(lo, math.inf),
            'clip_hi': fmt.nextafter(hi, -math.inf)}


def truncated_normal16_from_bits(bits, prm, fmt, **kw):
    u = uniform16_from_bits(bits, prm['a'], prm['b'], fmt)
    out = mul16(fmt, fmt.sqrt2, fmt.round(erf_inv32(u, **kw)))
    return min(prm['clip_hi'], max(prm['clip_lo'], out))


def truncated_normal16(k, lower, upper, shape, fmt, partitionable=True, **kw):
    prm = truncated_normal16_params(lower, upper, fmt)
    size = math.prod(shape)
    return [truncated_normal16_from_bits(
        random_bits_at(k, n, size, fmt.rng_bits, partitionable), prm, fmt, **kw)
        for n in range(size)]


def variance_scaling16_params(shape, scale, mode, distribution, fmt,
                              in_axis=-2, out_axis=-1, batch_axis=()):
    """variance_scaling's scalars in a 16-bit dtype, eager op by op:
    variance = jnp.array(scale / denominator, dtype); sqrt, division by
    jnp.array(.87962566103423978, dtype) and 3 * variance in the dtype."""
    p32 = variance_scaling_params(shape, scale, mode, distribution, in_axis,
                                  out_axis, batch_axis)
    variance = fmt.from_python(scale / p32['denominator'])
    if distribution == 'truncated_normal':
        mult = div16(fmt, sqrt16(fmt, variance),
                     fmt.from_python(.87962566103423978))
    elif distribution == 'normal':
        mult = sqrt16(fmt, variance)
    elif distribution == 'uniform':
        mult = sqrt16(fmt, mul16(fmt, 3.0, variance))
    else:
        raise ValueError(distribution)
    return {'fan_in': p32['fan_in'], 'fan_out': p32['fan_out'],
            'denominator': p32['denominator'], 'variance': variance,
            'multiplier': mult}


def variance_scaling16(k, shape, scale, mode, distribution, fmt, in_axis=-2,
                       out_axis=-1, batch_axis=(), partitionable=True, **kw):
    prm = variance_scaling16_params(shape, scale, mode, distribution, fmt,
                                    in_axis, out_axis, batch_axis)
    if distribution == 'truncated_normal':
        vals = truncated_normal16(k, -2, 2, shape, fmt, partitionable, **kw)
    elif distribution == 'normal':
        vals = normal16(k, shape, fmt, partitionable, **kw)
    else:
        vals = uniform16(k, shape, fmt, -1, 1.0, partitionable)
    return [mul16(fmt, v, prm['multiplier']) for v in vals]


def initializer16(name, k, shape, fmt, in_axis=-2, out_axis=-1, batch_axis=(),
                  partitionable=True, **kw):
    scale, mode, dist = NAMED_INITIALIZERS[name]
    return variance_scaling16(k, shape, scale, mode, dist, fmt, in_axis,
                              out_axis, batch_axis, partitionable, **kw)


def init_normal16(k, shape, fmt, stddev=1e-2, partitionable=True, **kw):
    s = fmt.from_python(stddev)
    return [mul16(fmt, v, s) for v in normal16(k, shape, fmt, partitionable, **kw)]


def init_uniform16(k, shape, fmt, scale=1e-2, partitionable=True):
    s = fmt.from_python(scale)
    return [mul16(fmt, v, s) for v in uniform16(k, shape, fmt, 0.0, 1.0,
                                                 partitionable)]


def init_truncated_normal16(k, shape, fmt, stddev=1e-2, lower=-2.0, upper=2.0,
                            partitionable=True, **kw):
    s = fmt.from_python(stddev)
    return [mul16(fmt, v, s) for v in truncated_normal16(
        k, lower, upper, shape, fmt, partitionable, **kw)]


def constant16(value, fmt):
    """jnp.full(shape, value, dtype) for a Python float value."""
    return fmt.from_python(value)

# ----------------------------------------------------------------------------
# Flax NNX + the embedding program
# ----------------------------------------------------------------------------
def nnx_params_key(seed, nth=0):
    """Key returned by the nth call (0-based) of rngs.params() for
    nnx.Rngs(int(seed)) (params falls back to the 'default' stream):
    fold_in(jax.random.key(seed), count) with count starting at 0.
    (flax >= 0.8.2; flax 0.8.0/0.8.1 differ, see the spec.)"""
    return fold_in(key(seed), nth)


def _int32(v):
    v = int(v) & M32
    return v - (1 << 32) if v >> 31 else v


def embed_forward(seed, token_ids, vocab, d_model, partitionable=True,
                  log1p_model='xla', log_model='cephes', fma=True):
    vocab, d_model = int(vocab), int(d_model)
    k = nnx_params_key(seed)
    size = vocab * d_model
    out = []
    for t in token_ids:
        t = _int32(t)                      # .astype(jnp.int32)
        if t < 0:                          # numpy-style negative index
            t += vocab
        t = min(max(t, 0), vocab - 1)      # XLA gather clamps out-of-range
        for j in range(d_model):
            b = random_bits_at(k, t * d_model + j, size, 32, partitionable)
            out.append(normal_from_bits(b, log1p_model, log_model, fma))
    return out


# ----------------------------------------------------------------------------
# Flax NNX Rngs streams and layers (flax/nnx/rnglib.py, flax/nnx/nn/*.py)
# ----------------------------------------------------------------------------
class NnxRngStream:
    """nnx.RngStream: a key and a uint32 count starting at 0; each call
    returns fold_in(key, count) and increments count."""

    def __init__(self, k):
        self.key = k
        self.count = 0

    def __call__(self):
        k = fold_in(self.key, self.count)
        self.count += 1
        return k

    def fork(self):
        """RngStream.fork(): a new stream whose key is one draw of this one."""
        return NnxRngStream(self())


class NnxRngs:
    """nnx.Rngs(default=None, **streams): int seeds become key(seed).
    rngs.<name>() / rngs[name] use the named stream, else 'default'."""

    def __init__(self, default=None, **streams):
        self._streams = {}
        if default is not None:
            streams = dict(streams, default=default)
        for name, v in streams.items():
            self._streams[name] = NnxRngStream(key(v) if isinstance(v, int)
                                               else tuple(v))

    def stream(self, name):
        if name in self._streams:
            return self._streams[name]
        if 'default' in self._streams:
            return self._streams['default']
        raise KeyError(name)

    __getitem__ = stream

    def __getattr__(self, name):              # rngs.params, rngs.dropout, ...
        if name.startswith('_'):
            raise AttributeError(name)
        return self.stream(name)

    def __call__(self):
        return self.stream('default')()


def _zeros(n):
    return [0.0] * n


def nnx_linear_init(rngs, in_features, out_features, use_bias=True,
                    kernel_init='lecun_normal', partitionable=True, **kw):
    """nnx.Linear.__init__: kernel_key = rngs.params() (kernel (in, out),
    default lecun_normal), then - only with use_bias - bias_key =
    rngs.params() although the default zeros init ignores it."""
    kernel_key = rngs.params()
    kernel = initializer(kernel_init, kernel_key, (in_features, out_features),
                         partitionable=partitionable, **kw)
    bias_key = rngs.params() if use_bias else None
    return {'kernel': kernel, 'bias': _zeros(out_features) if use_bias else None,
            'kernel_key': kernel_key, 'bias_key': bias_key}


def nnx_conv_init(rngs, in_features, out_features, kernel_size, use_bias=True,
                  feature_group_count=1, partitionable=True, **kw):
    """nnx.Conv.__init__: kernel shape kernel_size + (in // groups, out),
    lecun_normal (fan_in = prod(kernel_size) * in), then the bias key."""
    shape = tuple(kernel_size) + (in_features // feature_group_count,
                                  out_features)
    kernel_key = rngs.params()
    kernel = initializer('lecun_normal', kernel_key, shape,
                         partitionable=partitionable, **kw)
    bias_key = rngs.params() if use_bias else None
    return {'kernel': kernel, 'kernel_shape': shape,
            'bias': _zeros(out_features) if use_bias else None,
            'kernel_key': kernel_key, 'bias_key': bias_key}


def nnx_embed_init(rngs, num_embeddings, features, partitionable=True, **kw):
    """nnx.Embed.__init__: embedding_init(rngs.params(), (V, D)) with the
    default variance_scaling(1.0, 'fan_in', 'normal', out_axis=0)
    (fan_in = D: in_axis -2 and out_axis 0 are both the V axis)."""
    k = rngs.params()
    emb = variance_scaling(k, (num_embeddings, features), 1.0, 'fan_in',
                           'normal', out_axis=0, partitionable=partitionable,
                           **kw)
    return {'embedding': emb, 'key': k}


def nnx_norm_init(rngs, num_features, use_scale=True, use_bias=True):
    """nnx.LayerNorm / BatchNorm (use_bias=True) and nnx.RMSNorm
    (use_bias=False): one rngs.params() per parameter, scale first, although
    the default ones / zeros initializers ignore the key."""
    out = {'scale': None, 'bias': None, 'keys': []}
    if use_scale:
        out['keys'].append(rngs.params())
        out['scale'] = [1.0] * num_features
    if use_bias:
        out['keys'].append(rngs.params())
        out['bias'] = _zeros(num_features)
    return out


class NnxDropout:
    """nnx.Dropout(rate, rngs=rngs) (Flax >= 0.11: the constructor stores
    rngs[rng_collection].fork(); Flax 0.8.x-0.10.x stored the Rngs itself and
    drew rngs[rng_collection]() at each call - pass fork=False for that)."""

    def __init__(self, rate, rngs=None, rng_collection='dropout', fork=True):
        self.rate = rate
        self.rng_collection = rng_collection
        self.rngs = rngs
        self.stream = (rngs.stream(rng_collection).fork()
                       if (fork and rngs is not None) else None)

    def next_key(self):
        if self.stream is not None:
            return self.stream()
        return self.rngs.stream(self.rng_collection)()

    def __call__(self, x, shape, partitionable=True, jit=False, key_=None):
        """Returns (outputs, mask) for flat row-major x of `shape`.
        keep_prob = 1.0 - rate is a Python double; mask =
        bernoulli(key, keep_prob, shape); out = select(mask, x / keep_prob, 0).
        Eager: a true float32 division by f32(keep_prob).  Under jit
        (jit=True) keep_prob is an HLO constant and XLA rewrites the division
        into x * f32(1 / f32(keep_prob))."""
        if self.rate == 0.0:
            return list(x), [True] * len(x)
        if self.rate == 1.0:
            return _zeros(len(x)), [False] * len(x)
        k = key_ if key_ is not None else self.next_key()
        keep_prob = 1.0 - self.rate
        mask = bernoulli(k, keep_prob, shape, partitionable)
        kp = f32(keep_prob)
        inv = div32(1.0, kp)
        out = [(mul32(v, inv) if jit else div32(v, kp)) if m else 0.0
               for v, m in zip(x, mask)]
        return out, mask


# -- forward numerics --------------------------------------------------------
# These run in XLA on the backend, where reductions and dots are emitted with
# a backend-specific summation order (vectorised accumulators, Eigen/oneDNN/
# XNNPACK kernels) and rsqrt may use a hardware estimate.  The functions
# below are one straightforward float32 model: sequential left-to-right sums,
# FMA accumulation in dots.  Expect agreement within a few ulp, not bit-exact
# (SPEC.md section 16.7).
def _seq_sum(vals):
    acc = 0.0
    for v in vals:
        acc = add32(acc, v)
    return acc


def linear_forward(x, batch, kernel, bias, in_features, out_features, fma=True):
    """nnx.Linear.__call__: y = dot_general(x, kernel) (k summed in order,
    acc = fma(x, w, acc)), then y += bias (a separate float32 add)."""
    y = []
    for r in range(batch):
        row = x[r * in_features:(r + 1) * in_features]
        for j in range(out_features):
            acc = 0.0
            for i in range(in_features):
                acc = madd(row[i], kernel[i * out_features + j], acc, fma)
            y.append(add32(acc, bias[j]) if bias is not None else acc)
    return y


def _mean32(vals):
    """jnp.mean: sum / count, count an HLO constant, so XLA multiplies by
    f32(1 / count) (AlgebraicSimplifier A / Const => A * (1 / Const))."""
    return mul32(_seq_sum(vals), div32(1.0, f32(len(vals))))


def rsqrt32(v, model='div'):
    """lax.rsqrt.  'div': 1 / sqrt(v), two float32 roundings - XLA:CPU's
    intrinsic without AVX (and on non-x86) ; 'cr': correctly rounded.  With
    AVX, XLA:CPU uses the rsqrtps estimate + Newton-Raphson (CPU-vendor
    dependent, within ~1-2 ulp) - not modelled."""
    if model == 'div':
        return div32(1.0, sqrt32(v))
    if model == 'cr':
        return f32(1.0 / math.sqrt(v)) if v > 0 else (math.inf if v == 0 else math.nan)
    raise ValueError(model)


def _norm_rows(x, n_features, scale, bias, epsilon, use_mean, fused, rsqrt_model):
    eps = f32(epsilon)
    out = []
    for r in range(len(x) // n_features):
        row = x[r * n_features:(r + 1) * n_features]
        if use_mean:                       # _compute_stats, use_fast_variance
            mu = _mean32(row)
            mu2 = _mean32([mul32(v, v) for v in row])
            # var = maximum(0, mu2 - mu*mu); jit fuses it into one FMA
            d = fma32(-mu, mu, mu2) if fused else sub32(mu2, mul32(mu, mu))
            var = max(0.0, d)
        else:                              # RMSNorm: use_mean=False, mean = 0
            mu = 0.0
            var = _mean32([mul32(v, v) for v in row])
        mul = rsqrt32(add32(var, eps), rsqrt_model)     # _normalize
        for j, v in enumerate(row):
            m = mul32(mul, scale[j]) if scale is not None else mul
            y = sub32(v, mu)
            if bias is not None:
                y = fma32(y, m, bias[j]) if fused else add32(mul32(y, m), bias[j])
            else:
                y = mul32(y, m)
            out.append(y)
    return out


def layer_norm_forward(x, n_features, scale=None, bias=None, epsilon=1e-6,
                       fused=False, rsqrt_model='div'):
    """nnx.LayerNorm (reduction/feature axis -1, use_fast_variance=True):
    mean = E[x], var = max(0, E[x^2] - mean^2), y = (x - mean) *
    (rsqrt(var + eps) * scale) + bias.  fused=False: eager op-by-op
    float32; fused=True: the two FMAs XLA:CPU forms under jit."""
    return _norm_rows(x, n_features, scale, bias, epsilon, True, fused,
                      rsqrt_model)


def rms_norm_forward(x, n_features, scale=None, epsilon=1e-6, fused=False,
                     rsqrt_model='div'):
    """nnx.RMSNorm: var = E[x^2], y = x * (rsqrt(var + eps) * scale)."""
    return _norm_rows(x, n_features, scale, None, epsilon, False, fused,
                      rsqrt_model)


def nnx_embed_forward(embedding, num_embeddings, features, ids):
    """nnx.Embed.__call__: jnp.take(embedding, ids, axis=0) with the default
    'fill' mode: negative ids in [-V, 0) wrap once, other out-of-range ids
    give a row of NaN (unlike plain indexing, which clamps)."""
    out = []
    for t in ids:
        t = _int32(t)
        if t < 0:
            t += num_embeddings
        if 0 <= t < num_embeddings:
            out.extend(embedding[t * features:(t + 1) * features])
        else:
            out.extend([math.nan] * features)
    return out


# ----------------------------------------------------------------------------
# printing helpers (numpy float32 repr emulation for the self-test)
# ----------------------------------------------------------------------------
def shortest_repr_f32(v):
    """Shortest decimal that round-trips to float32 v (what numpy prints)."""
    if v == 0.0 or v != v or math.isinf(v):
        return repr(v)
    for p in range(1, 10):
        s = '%.*e' % (p - 1, v)
        if f32(float(s)) == v:
            d = decimal.Decimal(s)
            t = format(d, 'f')
            if '.' in t:
                t = t.rstrip('0').rstrip('.')
            return t
    return repr(v)


def numpy_str_f32(v, precision=8):
    """numpy's default float32 print (floatmode='maxprec', precision=8): the
    shortest round-trip repr, cut to `precision` fractional digits (rounding
    the exact binary value) when it has more, trailing zeros stripped."""
    s = shortest_repr_f32(v)
    frac = s.split('.')[1] if '.' in s else ''
    if len(frac) <= precision:
        return s
    d = decimal.Decimal(v).quantize(decimal.Decimal(1).scaleb(-precision),
                                    rounding=decimal.ROUND_HALF_EVEN)
    t = format(d, 'f').rstrip('0').rstrip('.')
    return t


def fmt9(v):
    return '%.9g' % v


def ulp_diff(a, b):
    def ordered(x):
        u = f32_bits(x)
        return u if u < 0x80000000 else 0x80000000 - u
    return abs(ordered(a) - ordered(b))


# ----------------------------------------------------------------------------
# self-test: known-answer vectors copied from JAX / Flax sources
# ----------------------------------------------------------------------------
class _T:
    def __init__(self):
        self.n_pass = 0
        self.n_fail = 0
        self.fails = []

    def check(self, name, ok, detail=''):
        if ok:
            self.n_pass += 1
            print('PASS  ' + name + ((' ' + detail) if detail else ''))
        else:
            self.n_fail += 1
            self.fails.append(name)
            print('FAIL  ' + name + ((' ' + detail) if detail else ''))


def _printed_match(v, s):
    """Does float32 v print as the numpy string s?  'exact' when s is the
    round-trip (shortest) repr of v; otherwise numpy's default precision=8
    may have cut the repr, so v is printed the numpy way and compared."""
    e = float(s)
    if f32(e) == v:
        return True, 'exact'
    if numpy_str_f32(v) == s:
        return True, 'cut-to-8-decimals'
    return False, 'got %s (%s), %d ulp from %s' % (
        shortest_repr_f32(v), fmt9(v), ulp_diff(v, f32(e)), s)


def _check_printed(t, name, vals, strs):
    bad = []
    modes = set()
    for i, (v, s) in enumerate(zip(vals, strs)):
        ok, how = _printed_match(v, s)
        modes.add(how)
        if not ok:
            bad.append('[%d] %s' % (i, how))
    t.check(name, not bad and len(vals) == len(strs),
            ('; '.join(bad)) if bad else '(%d values, %s)' % (
                len(vals), '/'.join(sorted(modes))))


def _check_close(t, name, vals, exp, atol=1e-6, rtol=1e-6):
    bad = ['[%d] got %s want %s' % (i, fmt9(v), e)
           for i, (v, e) in enumerate(zip(vals, exp))
           if not abs(v - e) <= atol + rtol * abs(e)]
    t.check(name, not bad, '; '.join(bad) if bad else
            '(%d values within atol=rtol=%g)' % (len(vals), atol))


def _check_near(t, name, vals, strs, max_ulp):
    """For printed vectors that this model does not reproduce bit for bit:
    pass when every value is within max_ulp of the printed float32; the
    detail says how many print identically and the largest distance."""
    dists = [ulp_diff(v, f32(float(s))) for v, s in zip(vals, strs)]
    exact = sum(_printed_match(v, s)[0] for v, s in zip(vals, strs))
    t.check(name, len(vals) == len(strs) and max(dists) <= max_ulp,
            '(%d/%d print identically, max %d ulp)' % (exact, len(strs),
                                                       max(dists)))


def _sha1_hash(data):
    # flax docs/guides/flax_fundamentals/rng_guide.ipynb produce_hash
    m = hashlib.sha1()
    for x in data:
        if isinstance(x, str):
            m.update(x.encode('utf-8'))
        else:
            m.update(x.to_bytes((x.bit_length() + 7) // 8, byteorder='big'))
    return int.from_bytes(m.digest()[:4], byteorder='big')


def selftest(log1p_model='xla', log_model='cephes', fma=True, verbose=True):
    kw = dict(log1p_model=log1p_model, log_model=log_model, fma=fma)
    t = _T()
    print('# model: log1p=%s log=%s fma=%s' % (log1p_model, log_model, fma))

    # -- A. Threefry-2x32 Random123 KATs
    # jax tests/random_test.py::testThreefry2x32,
    # tests/random_impl_test.py::test_threefry2x32_kat_vectors
    for kk, cc, ee in [
            ((0, 0), (0, 0), (0x6B200159, 0x99BA4EFE)),
            ((M32, M32), (M32, M32), (0x1CB996FC, 0xBB002BE7)),
            ((0x13198A2E, 0x03707344), (0x243F6A88, 0x85A308D3),
             (0xC4923A9C, 0x483DF7A0))]:
        got = threefry2x32(kk, cc)
        t.check('threefry2x32 key=%08x,%08x ctr=%08x,%08x' % (kk + cc),
                got == ee, '-> %08x %08x' % got)

    # -- B. seeds -> keys (x64 disabled), test_prng_seeds_and_keys
    i32max, i32min = 2 ** 31 - 1, -2 ** 31
    for seed, exp in [(0, (0, 0)), (1, (0, 1)), (2, (0, 2)), (3, (0, 3)),
                      (-1, (0, 4294967295)), (-2, (0, 4294967294)),
                      (-3, (0, 4294967293)),
                      (i32max + 100, (0, 2147483747)),
                      (i32max + 101, (0, 2147483748)),
                      (i32min - 100, (0, 2147483548)),
                      (i32min - 101, (0, 2147483547))]:
        t.check('key(%d) x32' % seed, key(seed) == exp, str(key(seed)))
    # x64 rows of the same test
    for seed, exp in [(-1, (4294967295, 4294967295)),
                      (-3, (4294967295, 4294967293)),
                      (i32min - 100, (4294967295, 2147483548)),
                      (i32min - 101, (4294967295, 2147483547)),
                      (i32max + 100, (0, 2147483747))]:
        t.check('key(%d) x64' % seed, key(seed, x64=True) == exp,
                str(key(seed, x64=True)))

    # -- C. testPRNGValues (split is the non-partitionable value)
    k0 = key(0)
    sp = split(k0, 4, partitionable=False)
    t.check('split(key(0),4) legacy [testPRNGValues]',
            sp == [(2285895361, 1501764800), (1518642379, 4090693311),
                   (433833334, 4221794875), (839183663, 3740430601)], str(sp))
    t.check('fold_in(key(0),4) [testPRNGValues]',
            fold_in(k0, 4) == (2285895361, 433833334), str(fold_in(k0, 4)))
    # test_threefry_split_fold_in_symmetry (partitionable): split == fold_in
    k72 = key(72)
    t.check('split(key(72),3) == fold_in(key(72),i) (partitionable symmetry)',
            split(k72, 3, True) == [fold_in(k72, i) for i in range(3)])

    # -- D. testRngRandomBits, seed 1701 (legacy path)
    k1701 = key(1701)
    for bw, exp in [(8, [216, 115, 43]), (16, [41682, 1300, 55017]),
                    (32, [56197195, 4200222568, 961309823]),
                    (64, [3982329540505020460, 16822122385914693683,
                          7882654074788531506])]:
        got = random_bits(k1701, (3,), bw, partitionable=False)
        t.check('bits(key(1701),(3,),uint%d) legacy%s [testRngRandomBits]'
                % (bw, ' x64' if bw == 64 else ''), got == exp, str(got))
    # testRngRandomBitsViewProperty: 8/16/32-bit streams view as same uint32s
    n = 10
    b32 = random_bits(k1701, (n * 64 // 32,), 32, False)
    b16 = random_bits(k1701, (n * 64 // 16,), 16, False)
    b8 = random_bits(k1701, (n * 64 // 8,), 8, False)
    v16 = [b16[2 * i] | (b16[2 * i + 1] << 16) for i in range(len(b32))]
    v8 = [b8[4 * i] | (b8[4 * i + 1] << 8) | (b8[4 * i + 2] << 16) |
          (b8[4 * i + 3] << 24) for i in range(len(b32))]
    t.check('legacy 8/16/32-bit view property [testRngRandomBitsViewProperty]',
            b32 == v16 == v8)

    # -- E. _RANDOM_VALUES_CASES (legacy path; seed = adler32(name+impl))
    def case_key(name):
        return key(zlib.adler32((name + 'threefry2x32').encode()))
    kb = case_key('bits')
    for bw, exp in [(8, [10, 158, 82, 54, 158]),
                    (16, [6738, 38161, 50695, 57337, 61600]),
                    (32, [1978747883, 4134381225, 3628107870, 689687174,
                          2788938207]),
                    (64, [17649965731882839947, 1415307058040849897,
                          8282622628079774249, 14024425113645909402,
                          2012979996110532418])]:
        got = random_bits(kb, (5,), bw, partitionable=False)
        t.check('RandomValuesCase bits uint%d legacy' % bw, got == exp, str(got))
    _check_close(t, 'RandomValuesCase uniform f32 (5,) legacy',
                 uniform(case_key('uniform'), (5,), partitionable=False, fma=fma),
                 [0.298671, 0.073213, 0.873356, 0.260549, 0.412797])
    _check_close(t, 'RandomValuesCase normal f32 (5,) legacy',
                 normal(case_key('normal'), (5,), partitionable=False, **kw),
                 [-1.173234, -1.511662, 0.070593, -0.099764, 1.052845])

    # -- F. doctests (jax/random.py module docstring, docs/jep/9263-typed-keys.md)
    # partitionable (JAX >= 0.5.0) and legacy values (before commit a60ead6fd1)
    _check_printed(t, 'uniform(key(0)) partitionable [jax/random.py]',
                   uniform(k0, (), partitionable=True), ['0.947667'])
    _check_printed(t, 'uniform(key(0),(3,)) partitionable [jep 9263]',
                   uniform(k0, (3,), partitionable=True),
                   ['0.947667', '0.9785799', '0.33229148'])
    _check_printed(t, 'uniform(split(key(0))[1]) partitionable [jax/random.py]',
                   uniform(split(k0, 2, True)[1], (), partitionable=True),
                   ['0.00729382'])
    _check_printed(t, 'uniform(key(0)) legacy [jax/random.py @a60ead6fd1^]',
                   uniform(k0, (), partitionable=False), ['0.41845703'])
    _check_printed(t, 'uniform(key(0),(3,)) legacy [jep 9263 @a60ead6fd1^]',
                   uniform(k0, (3,), partitionable=False),
                   ['0.9653214', '0.31468165', '0.63302994'])
    _check_printed(t, 'uniform(split(key(0))[1]) legacy [jax/random.py @a60ead6fd1^]',
                   uniform(split(k0, 2, False)[1], (), partitionable=False),
                   ['0.10536897'])

    # -- G. export back-compat data cuda_threefry2x32.data_2024_07_30 (legacy)
    _check_printed(t, 'uniform(raw key [42,43],(2,4)) legacy [cuda_threefry2x32]',
                   uniform((42, 43), (2, 4), partitionable=False),
                   ['0.42591238', '0.076994896', '0.44370103', '0.72904015',
                    '0.17879379', '0.81439507', '0.0019190311', '0.68608475'])

    # -- H. Flax: nnx.Embed(5, 3, rngs=nnx.Rngs(0)) docstring
    # (flax/nnx/nn/linear.py). embedding = normal(fold_in(key(0),0),(5,3))
    # * sqrt(f32(1/3)) (variance_scaling(1,'fan_in','normal',out_axis=0)).
    scale = sqrt32(f32(1.0 / 3.0))
    kp = nnx_params_key(0)
    for part, strs, src in [
            (True, ['0.57966787', '-0.523274', '-0.43195742',
                    '-0.676289', '-0.50300646', '0.33996582',
                    '0.41796115', '-0.59212935', '0.95934135',
                    '-1.0917838', '-0.7441663', '0.07713798',
                    '-0.66570747', '0.13815777', '1.007365'], 'flax HEAD'),
            (False, ['-0.90411377', '-0.3648777', '-1.1083648',
                     '0.01070483', '0.27923733', '1.7487359',
                     '0.59161806', '0.8660184', '1.2838588',
                     '-0.748139', '-0.15856352', '0.06061118',
                     '-0.4769059', '-0.6607095', '0.46697947'],
             'flax 3d1f55a0 (jax 0.4.38)')]:
        vals = [mul32(v, scale) for v in normal(kp, (5, 3), part, **kw)]
        _check_printed(t, 'nnx.Embed(5,3,Rngs(0)) %s [%s]' % (
            'partitionable' if part else 'legacy', src), vals, strs)

    # -- I. flax linen rng_guide.ipynb (jax_threefry_partitionable=True)
    kz, ko = key(0), key(1)
    for data, exp in [((1,), (1428664606, 3351135085)),
                      ((2,), (3456700291, 3873160899)),
                      ((3,), (2411773124, 4124888837)),
                      (('RNGSubModule_0', 1), (3858825717, 2323087578)),
                      (('RNGSubModule_0', 2), (601859108, 3782857444)),
                      (('RNGSubModule_0', 'RNGSubSubModule_0', 1),
                       (234240654, 1028548813)),
                      (('RNGSubModule_0', 'RNGSubSubModule_0', 2),
                       (3650462303, 2124609379)),
                      (('RNGSubModule_1', 1), (426957352, 2006350344)),
                      (('RNGSubModule_1', 2), (4006253729, 4205356731))]:
        got = fold_in(kz, _sha1_hash(data))
        t.check('fold_in(key(0), sha1%s) [rng_guide]' % (data,), got == exp,
                str(got))
    for data, exp in [((1,), (3077990774, 2166202870)),
                      ((2,), (3825832496, 2886313970)),
                      ((3,), (791337683, 1373966058))]:
        got = fold_in(ko, _sha1_hash(data))
        t.check('fold_in(key(1), sha1%s) [rng_guide]' % (data,), got == exp,
                str(got))
    for data, seedkey, shape, strs in [
            (('Dense_0', 1), kz, (2, 2),
             ['-1.6185919', '0.700908', '-1.3146383', '-0.79342234']),
            ((1,), kz, (2, 2), ['0.0761425', '-1.6157459', '-1.6857724',
                                '0.7126891']),
            ((2,), kz, (2, 2), ['0.60175574', '0.2553228', '0.27367848',
                                '-2.1975214']),
            ((1,), ko, (2, 2), ['1.6249592', '0.30813068', '1.6613585',
                                '1.0404155']),
            (('Dense_1', 1), kz, (2, 2), ['0.0030665', '0.29551846',
                                          '0.16670242', '-0.78252524']),
            (('Dense_1', 2), kz, (1, 2), ['1.582462', '0.15216611'])]:
        kk = fold_in(seedkey, _sha1_hash(data))
        _check_printed(t, 'normal(fold_in(key(%d), sha1%s), %s) partitionable '
                       '[rng_guide]' % (0 if seedkey == kz else 1, data, shape),
                       normal(kk, shape, True, **kw), strs)

    # -- J. flax randomness guide: Rngs(1) key data is [0 1]
    t.check('nnx.Rngs(1) key data [0, 1] [randomness.ipynb]', key(1) == (0, 1))

    # -- K. internal consistency (not JAX vectors): the per-element legacy
    # index mapping equals the array formulation, including the >= 2**32-1
    # word block path (exercised with a shrunken block size).
    global _BLOCK
    saved = _BLOCK
    ok = True
    try:
        for blk in (7, 8):
            _BLOCK = blk
            for mc in (1, 5, 6, 7, 8, 13, 14, 16, 20, 22):
                nb, rem = divmod(mc, blk)
                if nb:
                    ks = split((123, 456), nb + 1, partitionable=False)
                    exp = []
                    for b in range(nb):
                        exp += threefry_2x32_array(ks[b], list(range(blk)))
                    exp += threefry_2x32_array(ks[-1], list(range(rem)))
                else:
                    exp = threefry_2x32_array((123, 456), list(range(mc)))
                ok &= [_orig_word_at((123, 456), n, mc) for n in range(mc)] == exp
    finally:
        _BLOCK = saved
    t.check('internal: legacy per-element mapping == array form (incl. blocks)', ok)

    # -- L. jax tests/random_test.py _RANDOM_VALUES_CASES (legacy path; same
    # adler32 seeding as section E; last enforced by CI in 2023)
    _check_close(t, 'RandomValuesCase truncated_normal(lower=0, upper=2) f32 (5,) legacy',
                 truncated_normal(case_key('truncated_normal'), 0, 2, (5,),
                                  partitionable=False, **kw),
                 [0.582807, 1.709771, 0.159513, 0.861376, 0.36148])
    got = bernoulli(case_key('bernoulli'), 0.5, (5,), partitionable=False)
    t.check('RandomValuesCase bernoulli(p=0.5) (5,) legacy',
            got == [False, True, True, True, False], str(got))

    # -- M. jax/_src/nn/initializers.py docstrings, key(42), shape (2, 3),
    # float32 (added in d3d666d081, 2022-03-07, legacy bits; the doctests are
    # marked +SKIP).  Exact for uniform(10.), truncated_normal(5.) and the
    # three *_uniform; normal(5.) (up to 6 ulp off on 5 of 6 elements) and
    # the three variance-scaling truncated normals (1-2 ulp off on 1-3 of 6)
    # are reproduced by none of the float models here (log1p/log/FMA
    # variants, old -log((1-x)(1+x)) ErfInv) and are checked for closeness
    # only: same bits, some other backend or JAX build's float arithmetic.
    k42 = key(42)
    for name, vals, strs in [
            ('uniform(10.0)', init_uniform(k42, (2, 3), 10.0, False, **kw),
             ['7.298188', '8.691938', '8.7230015', '2.0818567', '1.8662417',
              '5.5022564']),
            ('truncated_normal(5.0)',
             init_truncated_normal(k42, (2, 3), 5.0, partitionable=False, **kw),
             ['2.9047365', '5.2338114', '5.29852', '-3.836303', '-4.192359',
              '0.6022964']),
            ('glorot_uniform()', initializer('glorot_uniform', k42, (2, 3),
                                             partitionable=False, **kw),
             ['0.50350785', '0.8088631', '0.81566876', '-0.6393332',
              '-0.6865721', '0.11003882']),
            ('lecun_uniform()', initializer('lecun_uniform', k42, (2, 3),
                                            partitionable=False, **kw),
             ['0.56293887', '0.90433645', '0.9119454', '-0.71479625',
              '-0.7676109', '0.12302713']),
            ('he_uniform()', initializer('he_uniform', k42, (2, 3),
                                         partitionable=False, **kw),
             ['0.79611576', '1.2789248', '1.2896855', '-1.0108745',
              '-1.0855657', '0.17398663'])]:
        _check_printed(t, 'initializers.%s(key(42),(2,3)) legacy '
                       '[jax initializers docstring]' % name, vals, strs)
    for name, vals, strs, tol in [
            ('normal(5.0)', init_normal(k42, (2, 3), 5.0, False, **kw),
             ['3.0613258', '5.6129413', '5.6866574', '-4.063663', '-4.4520254',
              '0.63115686'], 8),
            ('glorot_normal()', initializer('glorot_normal', k42, (2, 3),
                                            partitionable=False, **kw),
             ['0.41770416', '0.75262755', '0.7619329', '-0.5516644',
              '-0.6028657', '0.08661086'], 2),
            ('lecun_normal()', initializer('lecun_normal', k42, (2, 3),
                                           partitionable=False, **kw),
             ['0.46700746', '0.8414632', '0.8518669', '-0.61677957',
              '-0.67402434', '0.09683388'], 2),
            ('he_normal()', initializer('he_normal', k42, (2, 3),
                                        partitionable=False, **kw),
             ['0.6604483', '1.1900088', '1.2047218', '-0.87225807',
              '-0.95321447', '0.1369438'], 2)]:
        _check_near(t, 'initializers.%s(key(42),(2,3)) legacy [jax initializers '
                    'docstring, +SKIP, near only, <= %d ulp]' % (name, tol),
                    vals, strs, tol)

    # -- N. Flax NNX layer vectors (google/flax)
    # flax/nnx/nn/stochastic.py Dropout docstring: MLP = Linear(3, 4) +
    # Dropout(0.5), nnx.Rngs(0), x = ones((1, 3)).  Linear: kernel key count 0
    # (lecun_normal), bias key count 1.  eval output = column sums of the
    # kernel (a dot with ones: sequential sum).  Three versions:
    #  HEAD (Flax >= 0.11, Dropout keeps rngs['dropout'].fork(): fork key =
    #   count 2, mask key = fold_in(fork key, 0)), partitionable;
    #  bdcc33a5 (Flax 0.10.x, mask key = default stream count 2), partitionable;
    #  3d1f55a0 (same semantics, JAX 0.4.38), legacy.
    x1 = [1.0, 1.0, 1.0]
    for label, part, fork, ev, tr in [
            ('HEAD', True, True,
             ['1.0533503', '-1.2679932', '-0.7960095', '-1.2619419'],
             ['2.1067007', '-2.5359864', '-1.592019', '-2.5238838']),
            ('@bdcc33a5', True, False, None,
             ['0.', '0.', '-1.592019', '-2.5238838']),
            ('@3d1f55a0', False, False,
             ['-0.46767104', '-0.7213411', '0.7172085', '-0.31562346'],
             ['-0.9353421', '0.', '1.434417', '0.'])]:
        rngs = NnxRngs(0)
        lin = nnx_linear_init(rngs, 3, 4, partitionable=part, **kw)
        drop = NnxDropout(0.5, rngs=rngs, fork=fork)
        y = linear_forward(x1, 1, lin['kernel'], lin['bias'], 3, 4, fma)
        if ev is not None:
            _check_printed(t, 'nnx Dropout docstring %s eval = Linear(3,4) '
                           'forward %s' % (label, 'partitionable' if part else
                                           'legacy'), y, ev)
        out, mask = drop(y, (1, 4), part)
        _check_printed(t, 'nnx Dropout docstring %s train (mask %s)' % (
            label, ''.join('1' if m else '0' for m in mask)), out, tr)

    # docs_nnx/key_concepts.md: nnx.Linear(4, 2, rngs=nnx.Rngs(42)).kernel
    lin = nnx_linear_init(NnxRngs(42), 4, 2, **kw)
    _check_printed(t, 'nnx.Linear(4,2,Rngs(42)).kernel partitionable '
                   '[key_concepts.md]', lin['kernel'],
                   ['0.04119061', '-0.2629074', '0.6772455', '0.2807398',
                    '0.16276604', '0.16813846', '0.310975', '-0.43336964'])
    # docs_nnx/guides/surgery.ipynb: TwoLayerMLP(4, nnx.Rngs(0)) kernels
    # (linear1: key count 0, linear2: count 2 - linear1's bias took count 1)
    rngs = NnxRngs(0)
    l1 = nnx_linear_init(rngs, 4, 4, **kw)
    l2 = nnx_linear_init(rngs, 4, 4, **kw)
    _check_printed(t, 'TwoLayerMLP(4,Rngs(0)).linear1.kernel partitionable '
                   '[surgery.ipynb]', l1['kernel'],
                   ['0.5350889', '-0.48486355', '-0.4022262', '-0.61925626',
                    '-0.46665004', '0.31773907', '0.38944173', '-0.54608804',
                    '0.84378934', '-0.93099', '-0.67658', '0.0724705',
                    '-0.6101737', '0.12972134', '0.877074', '0.27292168'])
    _check_printed(t, 'TwoLayerMLP(4,Rngs(0)).linear2.kernel partitionable '
                   '[surgery.ipynb]', l2['kernel'],
                   ['0.67979455', '0.7079946', '-0.22166717', '-0.4147039',
                    '0.20622818', '0.01024843', '0.31011865', '-0.40491563',
                    '0.12478007', '-0.7697264', '-0.48899388', '0.8853114',
                    '-0.5123713', '-0.23335123', '0.4374407', '0.63321066'])
    # docs_nnx/guides/demo.ipynb (2024, legacy): MLP(5, 4, Rngs(0)) of 5
    # Blocks (Linear(4, 4) + BatchNorm(4)); each Block draws 4 keys (kernel,
    # bias, bn scale, bn bias), so block 0's kernel uses count 0 and block 4's
    # count 16 (printed after blocks[0].linear.kernel = blocks[-1]...kernel).
    rngs = NnxRngs(0)
    blocks = []
    for _ in range(5):
        blocks.append(nnx_linear_init(rngs, 4, 4, partitionable=False, **kw))
        nnx_norm_init(rngs, 4)                         # BatchNorm scale, bias
    _check_printed(t, 'MLP(5,4,Rngs(0)).blocks[0].linear.kernel legacy '
                   '[demo.ipynb]', blocks[0]['kernel'],
                   ['-0.80345297', '-0.34071913', '-0.9408296', '0.01005968',
                    '0.26146442', '1.1247735', '0.54563737', '-0.374164',
                    '1.0281805', '-0.6798804', '-0.1488401', '0.05694951',
                    '-0.44308168', '-0.60587114', '0.434087', '-0.40541083'])
    _check_printed(t, 'MLP(5,4,Rngs(0)).blocks[4].linear.kernel (key count 16) '
                   'legacy [demo.ipynb]', blocks[4]['kernel'],
                   ['-0.33095378', '0.67149884', '0.33700302', '0.30972847',
                    '0.8662822', '-0.11225506', '-1.0820619', '-0.9906892',
                    '0.88298297', '-0.2143851', '0.48143268', '0.6474548',
                    '-0.7710582', '0.3372276', '0.15487202', '0.6219269'])
    # flax/nnx/nn/linear.py Embed docstring, the forward part:
    # layer(jnp.array([[0, 1, 2], [-1, -2, -3]])) -> rows 0,1,2,4,3,2
    emb = nnx_embed_init(NnxRngs(0), 5, 3, **kw)['embedding']
    rows = ['0.57966787', '-0.523274', '-0.43195742', '-0.676289', '-0.50300646',
            '0.33996582', '0.41796115', '-0.59212935', '0.95934135',
            '-1.0917838', '-0.7441663', '0.07713798', '-0.66570747',
            '0.13815777', '1.007365']
    _check_printed(t, 'nnx.Embed(5,3,Rngs(0))(ids [[0,1,2],[-1,-2,-3]]) '
                   'partitionable [linear.py]',
                   nnx_embed_forward(emb, 5, 3, [0, 1, 2, -1, -2, -3]),
                   [rows[3 * r + c] for r in (0, 1, 2, 4, 3, 2) for c in range(3)])

    # -- O. internal (not JAX vectors)
    # every new decimal constant rounds to the same float32 directly as via
    # double (so f32(float literal) equals the C++ float literal)
    from fractions import Fraction

    def direct_f32(s):
        fr, c = Fraction(s), f32(float(s))
        cands = [c, _f32_step(c, math.inf), _f32_step(c, -math.inf)]
        return min(cands, key=lambda v: (abs(Fraction(v) - fr), f32_bits(v) & 1))
    lits = ['0.00022905065861350646', '0.0034082910107109506',
            '0.050955695062380861', '0.18520832239976145', '1.128379143519084',
            '-1.1791602954361697e-7', '0.000023547966471313185',
            '0.0010179625278914885', '0.014070470171167667',
            '0.11098505178285362', '0.49746925110067538', '3.832506856900711',
            '3.7439211627767994', '.87962566103423978', '-2.72614225801306e-10',
            '2.77068142495902e-08', '-2.10102402082508e-06',
            '-5.69250639462346e-05', '-7.34990630326855e-04',
            '-2.95459980854025e-03', '-1.60960333262415e-02',
            '-1.45660718464996e-05', '-2.13374055278905e-04',
            '-1.68282697438203e-03', '-7.37332916720468e-03',
            '-1.42647390514189e-02']
    bad = [s for s in lits if direct_f32(s) != f32(float(s))]
    t.check('internal: erf/initializer literals round to float32 without '
            'double-rounding issues', not bad, ' '.join(bad))
    # sanity of erf32: Eigen's rational is a few ulp from the correctly
    # rounded erf (max 5 ulp over 2e5 random float32 in [-3.9, 3.9]); the
    # 'clamp' variant equals the CPU one below the clamp point 3.7439212
    worst, same = 0, True
    for i in range(-3740, 3741, 7):
        xv = f32(i / 1000.0)
        worst = max(worst, ulp_diff(erf32(xv), f32(math.erf(xv))))
        same &= erf32(xv) == erf32(xv, 'clamp')
    t.check('internal: erf32 within 6 ulp of erf on [-3.74, 3.74]; clamp '
            'variant identical there', worst <= 6 and same,
            '(max %d ulp on the grid)' % worst)


    # -- P. internal checks of the 16-bit section (not JAX vectors)
    import random as _rnd
    rng = _rnd.Random(16)
    ok = True
    for _ in range(20000):
        d = rng.uniform(-70000.0, 70000.0) * 2.0 ** rng.randint(-30, 0)
        ok &= F16.round(d) == struct.unpack('<e', struct.pack('<e', d))[0] \
            if abs(d) < 65520 else True
    t.check('internal: float16 rounding equals struct "e" (round-half-even) '
            'on 20000 doubles', ok)
    ok = True
    for _ in range(20000):
        b = rng.getrandbits(32) & 0x7F7FFFFF
        x = bits_f32(b)
        r = BF16.round(x)
        # bfloat16 RNE on the float32 bit pattern
        exp = bits_f32(((b + 0x7FFF + ((b >> 16) & 1)) & 0xFFFF0000))
        ok &= r == exp
    t.check('internal: bfloat16 rounding equals the bit-pattern RNE on 20000 '
            'float32 values', ok)
    # the uniform of normal is exact in both formats: (4m - (2^p - 1)) / 2^p
    for fmt in (F16, BF16):
        lo = fmt.nextafter(-1.0, 0.0)
        exact = all(uniform16_from_bits(m << (fmt.rng_bits - fmt.nmant), lo,
                                        1.0, fmt) ==
                    (4 * m - (2 ** fmt.p - 1)) / 2 ** fmt.p
                    for m in range(2 ** fmt.nmant))
        t.check('internal: %s normal uniform exact for all %d mantissas'
                % (fmt.name, 2 ** fmt.nmant), exact)
    # JAX test-suite legacy 8/16-bit random bits feed the 16-bit samplers
    t.check('internal: bfloat16 draws 8-bit words, float16 16-bit words '
            '(testRngRandomBits legacy uint8/uint16 reproduced above)',
            random_bits(key(1701), (3,), 8, partitionable=False) ==
            [216, 115, 43] and
            random_bits(key(1701), (3,), 16, partitionable=False) ==
            [41682, 1300, 55017])
    t.check('internal: 16-bit constants: sqrt2 = 0x3da8 (f16) / 0x3fb5 '
            '(bf16), 1/sqrt2 = 0x39a8 / 0x3f35',
            F16.bits(F16.sqrt2) == 0x3DA8 and BF16.bits(BF16.sqrt2) == 0x3FB5
            and F16.bits(div16(F16, 1.0, F16.sqrt2)) == 0x39A8
            and BF16.bits(div16(BF16, 1.0, BF16.sqrt2)) == 0x3F35)

    print('\n%d passed, %d failed' % (t.n_pass, t.n_fail))
    return t


# ----------------------------------------------------------------------------
MODEL_VARIANTS = [('xla', 'cephes', True), ('xla', 'cr', True),
                  ('cr', 'cr', True), ('xla_fixed', 'cephes', True),
                  ('xla', 'cephes', False)]


def spec_tables():
    """Markdown tables of embed_forward outputs used in SPEC.md.
    The 'alt' column lists other (log1p, log, fma) models that give a
    different float32 for that element (empty = all models agree)."""
    cases = [(s, [0, 1, 2], 4, 3) for s in (0, 1, 42, 1701)]
    cases.append((0, [999, 0, 500], 1000, 8))
    for part in (True, False):
        print('\n#### %s\n' % ('jax_threefry_partitionable=True (JAX >= 0.5.0 default)'
                                if part else
                                'jax_threefry_partitionable=False (legacy, JAX <= 0.4.38 default)'))
        for seed, ids, vocab, d in cases:
            k = nnx_params_key(seed)
            print('seed=%d ids=%s vocab=%d d_model=%d; key(seed)=%s, '
                  'rngs.params()=fold_in(key,0)=(0x%08x, 0x%08x)\n'
                  % (seed, ids, vocab, d, key(seed), k[0], k[1]))
            print('| i | row,col | value (%.9g) | float32 bits | models that differ |')
            print('|---|---|---|---|---|')
            outs = {m: embed_forward(seed, ids, vocab, d, part, *m)
                    for m in MODEL_VARIANTS}
            base = outs[MODEL_VARIANTS[0]]
            for i, v in enumerate(base):
                alt = ['%s/%s/%s:%s' % (m[0], m[1], 'fma' if m[2] else 'nofma',
                                         fmt9(outs[m][i]))
                       for m in MODEL_VARIANTS[1:] if outs[m][i] != v]
                print('| %d | %d,%d | %s | 0x%08x | %s |' % (
                    i, ids[i // d], i % d, fmt9(v), f32_bits(v), ' '.join(alt)))
            print()


def compare_models(n, seed=1):
    """Disagreement of the alternative float32 models with the default one
    over n random 32-bit inputs to normal_from_bits (section 8.3 numbers)."""
    import random as _r
    rng = _r.Random(seed)
    base = MODEL_VARIANTS[0]
    hist = {m: {} for m in MODEL_VARIANTS[1:]}
    for _ in range(n):
        b = rng.getrandbits(32)
        ref = normal_from_bits(b, *base)
        for m in MODEL_VARIANTS[1:]:
            v = normal_from_bits(b, *m)
            if v != ref:
                d = ulp_diff(v, ref)
                hist[m][d] = hist[m].get(d, 0) + 1
    for m, h in hist.items():
        tot = sum(h.values())
        print('%-28s differs on %6d/%d = %.3f%%  ulp histogram %s' % (
            '/'.join(map(str, m)), tot, n, 100.0 * tot / n, sorted(h.items())))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--ids', type=str, default='0,1,2')
    ap.add_argument('--vocab', type=int, default=4)
    ap.add_argument('--dmodel', type=int, default=3)
    ap.add_argument('--legacy', action='store_true',
                    help='jax_threefry_partitionable=False (JAX < 0.5.0 default)')
    ap.add_argument('--no-fma', action='store_true',
                    help='do not contract a*b+c into FMA')
    ap.add_argument('--log1p', default='xla', choices=['xla', 'xla_fixed', 'cr'])
    ap.add_argument('--log', default='cephes', choices=['cr', 'cephes'])
    ap.add_argument('--init', default=None, metavar='NAME',
                    help='print jax.nn.initializers.NAME()(nnx.Rngs(seed).'
                    'params(), shape): %s, normal, uniform, truncated_normal '
                    '(stddev/scale 1e-2)' % ', '.join(sorted(NAMED_INITIALIZERS)))
    ap.add_argument('--shape', default='3,4', help='shape for --init')
    ap.add_argument('--dtype', default='float32',
                    choices=['float32', 'float16', 'bfloat16'],
                    help='dtype for --init (16-bit: derived from the source)')
    ap.add_argument('--selftest', action='store_true')
    ap.add_argument('--tables', action='store_true',
                    help='print the spec tables (markdown)')
    ap.add_argument('--compare', type=int, default=0, metavar='N',
                    help='model disagreement rates over N random draws')
    a = ap.parse_args(argv)
    if a.compare:
        compare_models(a.compare)
        return 0
    if a.tables:
        spec_tables()
        return 0
    if a.selftest:
        t = selftest(a.log1p, a.log, not a.no_fma)
        return 1 if t.n_fail else 0
    kw = dict(log1p_model=a.log1p, log_model=a.log, fma=not a.no_fma)
    if a.init:
        shape = tuple(int(v) for v in a.shape.split(',') if v.strip())
        k = nnx_params_key(a.seed)
        part = not a.legacy
        if a.dtype != 'float32':
            fmt = FORMATS16[a.dtype]
            if a.init in NAMED_INITIALIZERS:
                vals = initializer16(a.init, k, shape, fmt, partitionable=part, **kw)
            elif a.init == 'normal':
                vals = init_normal16(k, shape, fmt, partitionable=part, **kw)
            elif a.init == 'uniform':
                vals = init_uniform16(k, shape, fmt, partitionable=part)
            elif a.init == 'truncated_normal':
                vals = init_truncated_normal16(k, shape, fmt, partitionable=part, **kw)
            else:
                ap.error('unknown initializer %r' % a.init)
            print('# %s%s %s  key = nnx.Rngs(%d).params() = (0x%08x, 0x%08x)  '
                  'partitionable=%s' % (a.init, shape, a.dtype, a.seed, k[0], k[1], part))
            for i, v in enumerate(vals):
                print('%4d  %s  0x%04x' % (i, repr(v), fmt.bits(v)))
            return 0
        if a.init in NAMED_INITIALIZERS:
            vals = initializer(a.init, k, shape, partitionable=part, **kw)
        elif a.init == 'normal':
            vals = init_normal(k, shape, partitionable=part, **kw)
        elif a.init == 'uniform':
            vals = init_uniform(k, shape, partitionable=part, **kw)
        elif a.init == 'truncated_normal':
            vals = init_truncated_normal(k, shape, partitionable=part, **kw)
        else:
            ap.error('unknown initializer %r' % a.init)
        print('# %s%s  key = nnx.Rngs(%d).params() = (0x%08x, 0x%08x)  '
              'partitionable=%s' % (a.init, shape, a.seed, k[0], k[1], part))
        print('# index  value(%.9g)  float32-bits')
        for i, v in enumerate(vals):
            print('%4d  %s  0x%08x' % (i, fmt9(v), f32_bits(v)))
        return 0
    ids = [int(s) for s in a.ids.split(',') if s.strip() != '']
    vals = embed_forward(a.seed, ids, a.vocab, a.dmodel,
                         partitionable=not a.legacy, **kw)
    k = nnx_params_key(a.seed)
    k0 = key(a.seed)
    print('# key(seed)=(0x%08x, 0x%08x)  rngs.params()=fold_in(key,0)='
          '(0x%08x, 0x%08x)  partitionable=%s  log1p=%s log=%s fma=%s'
          % (k0[0], k0[1], k[0], k[1], not a.legacy, a.log1p, a.log,
             not a.no_fma))
    print('# index  value(%.9g)  float32-bits')
    for i, v in enumerate(vals):
        print('%4d  %s  0x%08x' % (i, fmt9(v), f32_bits(v)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
