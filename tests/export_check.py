#!/usr/bin/env python3
"""The exported code runs and agrees with gradscope: for every example (and programs with
broadcasting, softmax and the losses), `gradscope export --to numpy|pytorch` is executed
with /usr/bin/python3's NumPy and PyTorch, and every value and gradient it computes is
compared with `gradscope eval --json`.  Usage: export_check.py BUILD/gradscope"""
import contextlib
import io
import json
import subprocess
import sys

import numpy as np
import torch

EXTRA = [
    "A = [[0.5, -1], [2, 0.25], [1, 1]]\nb = [[0.1], [-0.2], [0.3]]\nc = 2\n"
    "S = softmax(A * c + b)\nL = sum(log_softmax(A - b) * S) + mean(abs(A) ^ 3) / c\n",
    "P = [[0.2, 0.7], [0.9, 0.4]]\nT = [[0, 1], [1, 0]]\nL = bce(sigmoid(P), T) + mse(sqrt(P), T) + norm2(softplus(P.T) / 3)\n",
]

def run(binary, args, stdin=None):
    r = subprocess.run([binary, *args], input=stdin, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"gradscope {' '.join(args)} failed: {r.stderr}")
    return r.stdout

def main():
    binary = sys.argv[1]
    sources = [("example " + line.split()[0], ["--example", line.split()[0]], None)
               for line in run(binary, ["examples"]).splitlines() if line.strip()]
    sources += [(f"program {i + 1}", ["-"], text) for i, text in enumerate(EXTRA)]
    passed = failed = 0
    for label, args, stdin in sources:
        ref = {n["name"]: n for n in json.loads(run(binary, ["eval", *args, "--json"], stdin))["nodes"]
               if n["op"] != "const"}
        for to in ("numpy", "pytorch"):
            code = run(binary, ["export", *args, "--to", to], stdin)
            ns = {}
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(code, f"<{label} {to}>", "exec"), ns)
            bad = []
            for name, node in ref.items():
                if to == "numpy":
                    value, grad = ns[name], ns["_d"][name]
                else:
                    t = ns[name]
                    value = t.detach().numpy()
                    grad = t.grad.numpy() if t.grad is not None else np.zeros_like(value)
                if not (np.allclose(value, node["value"], rtol=1e-9, atol=1e-12) and
                        np.allclose(grad, node["grad"], rtol=1e-9, atol=1e-12)):
                    bad.append(name)
            if bad:
                failed += 1
                print(f"FAIL {label} --to {to}: {', '.join(bad)} differ\n{code}")
            else:
                passed += 1
                print(f"ok   {label} --to {to}: {len(ref)} nodes agree")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0

if __name__ == "__main__":
    torch.set_num_threads(1)
    sys.exit(main())
