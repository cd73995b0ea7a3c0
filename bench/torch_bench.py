#!/usr/bin/env python3
"""PyTorch eager, the reference for bench/core_bench.cpp: the same per-edit recompute (change one
input entry, then every value and gradient) of the seed graph at W (n, n) and of the two-layer
MLP at growing widths, float64, one thread, retain_grad() on every node so that every gradient
is kept as gradscope keeps it. Prints one JSON object per line, like core_bench.

Each size is timed both ways PyTorch offers to clear gradients between steps (.grad = None,
the default from PyTorch 2.0, and .grad.zero_()); the faster one is reported, with its name.
Times are CPU time of this process (the machine may be shared), wall time beside them.

Usage: torch_bench.py [--quick]
"""
import json
import math
import sys
import time

import torch

torch.set_num_threads(1)
torch.set_num_interop_threads(1)
DT = torch.float64
ROUNDS = 15
BATCH_SECONDS = 0.02


def measure(step):
    """Median CPU and wall ns per call over ROUNDS batches of about BATCH_SECONDS each."""
    step()
    t0 = time.perf_counter_ns()
    step()
    one = max(1, time.perf_counter_ns() - t0)
    per_batch = max(1, int(BATCH_SECONDS * 1e9 / one))
    if per_batch > 1:
        probe = min(per_batch, 200)
        t0 = time.perf_counter_ns()
        for _ in range(probe):
            step()
        per_batch = max(1, int(BATCH_SECONDS * 1e9 / max(1, (time.perf_counter_ns() - t0) / probe)))
    cpu, wall = [], []
    for _ in range(ROUNDS):
        c0, w0 = time.process_time_ns(), time.perf_counter_ns()
        for _ in range(per_batch):
            step()
        w1, c1 = time.perf_counter_ns(), time.process_time_ns()
        cpu.append((c1 - c0) / per_batch)
        wall.append((w1 - w0) / per_batch)
    cpu.sort()
    wall.sort()
    return cpu[len(cpu) // 2], wall[len(wall) // 2]


def leaf(t):
    return t.detach().clone().requires_grad_(True)


def clear(tensors, mode):
    for t in tensors:
        if mode == "none" or t.grad is None:
            t.grad = None
        else:
            t.grad.zero_()


def seed_step(n, mode):
    g = torch.Generator().manual_seed(20240611)
    if n == 3:
        W = leaf(torch.tensor([[2, 1, 2], [1, 3, 1], [7, 4, 7]], dtype=DT))
        x = leaf(torch.tensor([[1], [0], [-1]], dtype=DT))
    else:
        W = leaf(torch.randn(n, n, generator=g, dtype=DT) / math.sqrt(n))
        x = leaf(torch.randn(n, 1, generator=g, dtype=DT))
    w0 = float(W[0, 0])
    k = [0]

    def step():
        k[0] += 1
        with torch.no_grad():
            W[0, 0] = w0 + (1e-3 if k[0] & 1 else 0.0)
        clear((W, x), mode)
        Z = W @ x
        Z.retain_grad()
        y = torch.sigmoid(Z)
        y.retain_grad()
        f = y.pow(2).sum()  # ||y||^2
        f.retain_grad()
        f.backward()
        return f

    return step


def mlp_step(width, mode):
    g = torch.Generator().manual_seed(20240612)
    if width == 0:  # the example as written
        X = leaf(torch.tensor([[0.5, -1.0, 1.5, 0.0], [1.0, 0.5, -0.5, 2.0]], dtype=DT))
        W1 = leaf(torch.tensor([[0.1, -0.2], [0.4, 0.3], [-0.5, 0.2]], dtype=DT))
        b1 = leaf(torch.tensor([[0.0], [0.1], [-0.1]], dtype=DT))
        W2 = leaf(torch.tensor([[0.3, -0.6, 0.2]], dtype=DT))
        b2 = leaf(torch.tensor([[0.05]], dtype=DT))
        Y = leaf(torch.tensor([[1.0, 0.0, 1.0, 0.0]], dtype=DT))
    else:
        sd = 1 / math.sqrt(width)
        X = leaf(torch.randn(width, 4, generator=g, dtype=DT))
        W1 = leaf(torch.randn(width, width, generator=g, dtype=DT) * sd)
        b1 = leaf(torch.randn(width, 1, generator=g, dtype=DT) * 0.1)
        W2 = leaf(torch.randn(1, width, generator=g, dtype=DT) * sd)
        b2 = leaf(torch.randn(1, 1, generator=g, dtype=DT) * 0.1)
        Y = leaf(torch.randn(1, 4, generator=g, dtype=DT))
    inputs = (X, W1, b1, W2, b2, Y)
    w0 = float(W1[0, 0])
    k = [0]

    def step():
        k[0] += 1
        with torch.no_grad():
            W1[0, 0] = w0 + (1e-3 if k[0] & 1 else 0.0)
        clear(inputs, mode)
        A = W1 @ X
        A.retain_grad()
        B = A + b1
        B.retain_grad()
        H = torch.relu(B)
        H.retain_grad()
        C = W2 @ H
        C.retain_grad()
        P = C + b2
        P.retain_grad()
        L = torch.nn.functional.mse_loss(P, Y)
        L.retain_grad()
        L.backward()
        return L

    return step


def best_of_modes(make):
    results = []
    for mode in ("none", "zero"):
        cpu, wall = measure(make(mode))
        results.append((cpu, wall, mode))
    return min(results)


def main():
    quick = "--quick" in sys.argv
    print(json.dumps({"kind": "torch_machine", "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    for n in ([3, 16, 64] if quick else [3, 16, 64, 256, 1024, 4096]):
        cpu, wall, mode = best_of_modes(lambda m: seed_step(n, m))
        print(json.dumps({"kind": "torch_seed", "n": n, "ns": cpu, "wall_ns": wall, "clear": mode}), flush=True)
    for w in ([0, 16] if quick else [0, 16, 64, 256, 1024, 4096]):
        cpu, wall, mode = best_of_modes(lambda m: mlp_step(w, m))
        print(json.dumps({"kind": "torch_mlp", "width": w, "ns": cpu, "wall_ns": wall, "clear": mode}), flush=True)


if __name__ == "__main__":
    main()
