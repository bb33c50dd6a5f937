#!/usr/bin/env python3
"""Reference values for the "Mixed" test module (tests/Nnx.Runtime.Tests/Generated/WholeModelModules.cs): the initial
values and the first dropout mask of the Flax NNX model below, computed with the independent reference
jaxref.py (stdlib only). Writes tests/Nnx.Runtime.Tests/Data/mixed-model.json.

    class Mixed(nnx.Module):
        def __init__(self, d_in, d_model, vocab, rngs, rate=0.5):
            self.proj = nnx.Linear(d_in, d_model, rngs=rngs)                  # params keys 0, 1
            self.drop = nnx.Dropout(rate, rngs=rngs)                          # forks 'dropout' (-> default) at count 2
            self.blocks = nnx.List([nnx.Linear(d_model, d_model, use_bias=False, rngs=rngs) for _ in range(2)])  # 3, 4
            self.scale = nnx.Param(nnx.initializers.normal(0.02)(rngs.params(), (d_model,)))                     # 5
            self.embed = nnx.Embed(vocab, d_model, rngs=rngs)                 # 6

    model = Mixed(3, 4, 5, nnx.Rngs(7))
    mask = the first training-mode dropout mask of an input of shape (2, 4)

Usage: python3 mixed_model.py PATH_TO_JAXREF_DIR > ../Nnx.Runtime.Tests/Data/mixed-model.json
(the repository's tests read only the JSON; jaxref.py lives outside it, in the team's shared reference folder).
"""
import json
import struct
import sys

sys.path.insert(0, sys.argv[1] if len(sys.argv) > 1 else "../../../shared/jax")
import jaxref  # noqa: E402


def bits(values):
    return ["0x%08x" % struct.unpack("<I", struct.pack("<f", v))[0] for v in values]


rngs = jaxref.NnxRngs(7)
proj = jaxref.nnx_linear_init(rngs, 3, 4)
drop = jaxref.NnxDropout(0.5, rngs=rngs)
blocks = [jaxref.nnx_linear_init(rngs, 4, 4, use_bias=False) for _ in range(2)]
scale = jaxref.init_normal(rngs.params(), (4,), stddev=0.02)
embed = jaxref.nnx_embed_init(rngs, 5, 4)
_, mask = drop([1.0] * 8, (2, 4))
json.dump({
    "about": "Initial values of the Mixed model (d_in 3, d_model 4, vocab 5, nnx.Rngs(7)) and its first dropout mask for a (2, 4) input, from jaxref.py via tests/reference/mixed_model.py; float32 bit patterns.",
    "proj.kernel": bits(proj["kernel"]),
    "blocks.0.kernel": bits(blocks[0]["kernel"]),
    "blocks.1.kernel": bits(blocks[1]["kernel"]),
    "scale": bits(scale),
    "embed.embedding": bits(embed["embedding"]),
    "params_count": rngs.params.count,
    "dropout_mask": [bool(m) for m in mask],
}, sys.stdout, indent=1)
print()
