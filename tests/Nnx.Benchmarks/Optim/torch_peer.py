"""The PyTorch-in-Python peer of the --paired-optim benchmark (see PythonPeer.cs).

Usage: torch_peer.py THREADS. Sets torch's intra-op threads to THREADS (the .NET side's count), builds the workloads
the .NET side times, prints "ready <torch version>", then for each line "<workload> <n>" runs n steps and prints their
time in seconds (time.perf_counter), until "quit". Sizes match EmbeddingPeers.cs and TinyLmPeers.cs.
"""
import sys
import time

import torch
import torch.nn.functional as F

VOCAB, WIDTH, IDS = 50257, 768, 4096
CHARS, D_MODEL, CONTEXT, HIDDEN, BATCH = 74, 48, 24, 256, 64


def embedding_workloads():
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(0, VOCAB, (IDS,), generator=g)
    upstream = torch.randn(IDS, WIDTH, generator=g)
    dense = torch.nn.Parameter(torch.randn(VOCAB, WIDTH, generator=g) / WIDTH ** 0.5)
    dense_adam = torch.optim.Adam([dense], lr=1e-3)
    sparse = torch.nn.Embedding(VOCAB, WIDTH, sparse=True)
    sparse_adam = torch.optim.SparseAdam(sparse.parameters(), lr=1e-3)

    def forward():
        with torch.no_grad():
            dense.index_select(0, ids)

    def dense_step():
        dense_adam.zero_grad(set_to_none=True)
        dense.index_select(0, ids).backward(upstream)
        dense_adam.step()

    def sparse_step():
        sparse_adam.zero_grad(set_to_none=True)
        sparse(ids).backward(upstream)
        sparse_adam.step()

    return {"embed-forward": forward, "embed-dense-adam": dense_step, "embed-sparse-adam": sparse_step}


class CharModel(torch.nn.Module):
    """samples/TinyLm/CharModel.cs: concatenated context embeddings, one GELU layer, a projection, a tied head."""

    def __init__(self):
        super().__init__()
        self.table = torch.nn.Parameter(torch.randn(CHARS, D_MODEL) / D_MODEL ** 0.5)
        self.mix = torch.nn.Parameter(torch.randn(CONTEXT, D_MODEL, HIDDEN) / (CONTEXT * D_MODEL) ** 0.5)
        self.mix_bias = torch.nn.Parameter(torch.zeros(HIDDEN))
        self.project = torch.nn.Linear(HIDDEN, D_MODEL)

    def forward(self, contexts):
        x = self.table.index_select(0, contexts.reshape(-1)).reshape(contexts.shape[0], CONTEXT * D_MODEL)
        h = F.gelu(x @ self.mix.reshape(CONTEXT * D_MODEL, HIDDEN) + self.mix_bias)
        return self.project(h) @ self.table.t()


def tinylm_workloads():
    g = torch.Generator().manual_seed(1)
    contexts = torch.randint(0, CHARS, (BATCH, CONTEXT), generator=g)
    targets = torch.randint(0, CHARS, (BATCH,), generator=g)
    model = CharModel()
    adam = torch.optim.Adam(model.parameters(), lr=3e-3)

    def step():
        adam.zero_grad(set_to_none=True)
        F.cross_entropy(model(contexts), targets).backward()
        adam.step()

    return {"tinylm-adam": step}


def main():
    torch.set_num_threads(int(sys.argv[1]))
    workloads = {**embedding_workloads(), **tinylm_workloads()}
    print("ready", torch.__version__, flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "quit":
            break
        run, n = workloads[parts[0]], int(parts[1])
        start = time.perf_counter()
        for _ in range(n):
            run()
        print(repr(time.perf_counter() - start), flush=True)


if __name__ == "__main__":
    main()
