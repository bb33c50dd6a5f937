#!/usr/bin/env bash
# Runs --paired-optim with PyTorch in Python as a peer in the same rounds. Installs Debian's python3-torch first when
# python3 cannot import torch, with Debian's OpenBLAS: python3-torch is built against the generic libblas.so.3, and the
# reference BLAS it otherwise gets makes its matmuls about 15x slower (measured), which would be no fair peer.
# Needs root, as on the project's machines. A benchmark tool only: no test needs it.
# Usage: tests/Nnx.Benchmarks/Optim/with-python-torch.sh [rounds]
set -euo pipefail
# Debian's interpreter, the one python3-torch installs into (a pyenv python3 may come first on PATH).
if ! /usr/bin/python3 -c "import torch" 2>/dev/null || [ ! -e /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch libopenblas0-pthread
fi
root="$(cd "$(dirname "$0")/../../.." && pwd)"
exec dotnet run -c Release --project "$root/tests/Nnx.Benchmarks" -- --paired-optim "$@"
