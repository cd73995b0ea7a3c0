#!/usr/bin/env python3
"""The exported code runs and agrees with gradscope: `gradscope export --to numpy|pytorch` is
executed with /usr/bin/python3's NumPy and PyTorch, and every value and gradient it computes
is compared with `gradscope eval --json`, for
  - one program per op, built from the op list `gradscope ops --json` gives;
  - every built-in example;
  - programs at the edges: numbers as operands, constant-only subgraphs, nodes the output
    does not read, names the generated code uses or Python reserves, extreme inputs where
    only the stable forms stay finite;
  - random programs over the whole language (torch_compare.py's generator).
Usage: export_check.py BUILD/gradscope"""
import contextlib
import io
import json
import os
import random
import subprocess
import sys
import time
import warnings

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_compare as tc  # noqa: E402  (the random program generator)

NUM_RANDOM = 60
SEED = 20251201

# Programs that broke earlier exports, and the stable forms (x at +-800 saturates sigmoid,
# softplus, softmax and the losses: the engine stays finite and so must the NumPy export).
EDGE = [
    ("softmax of a number", "u = softmax(3)\n"),
    ("exp of a number", "y = exp(1.5)\n"),
    ("bce of a product with a number", "c = [[0.3], [0.6]]\na = [[0.01], [0.05]]\nL = bce(c, a @ 10)\n"),
    ("mse with a number", "g = 0.5\nf = mse(-1, g)\n"),
    ("a power of a number", "f = sigmoid(0.1 ^ 1)\n"),
    ("a constant-only subgraph", "x = 2\nf = sum(sigmoid([[3, -1, 1], [2, -1, 2]])) * x\n"),
    ("a power 0 of a literal", "x = [[1, 2]]\nf = sum([[1, 0], [3, 4]] ^ 0) + sum(x ^ 0)\n"),
    ("no input at all", "f = sum(tanh([[1, 2]]))\n"),
    ("nodes the output does not read",
     "W = [[1, 2], [3, 4]]\nx = [[1], [2]]\nunused = [[5]]\nZ = W @ x\ncheck = sum(Z)\nL = log(unused - 5)\n"
     "f = norm2(Z)\n"),
    ("scratch names", "_b = [[1], [2]]\n_a = [[3], [4]]\n_g = 2\n_out = _a * _g\n_d = 1\nf = sum(_b * _a) + sum(_out) * _d\n"),
    ("Python names",
     "torch = [[1, 2]]\nnp = [[3], [4]]\nprint = torch @ np\nlambda = sigmoid(print)\nNone = [[0.5]]\n"
     "import = lambda * None\nprint_ = 3\nconst_1 = 2\ngrad = 1\nnodes = 1\n__builtins__ = 2\nunb = [[1], [2]]\n"
     "f = sum(import) * print_ + const_1 * grad * nodes * __builtins__ + sum(unb * 2)\n"),
    ("saturated sigmoid, softplus, softmax and losses",
     "x = [[800], [-800]]\nt = [[1], [0]]\nz = [[1000, 0], [0, -1000]]\n"
     "f = sum(sigmoid(x)) + sum(softplus(x)) + sum(softplus(-x)) + sum(softmax(z)) + sum(log_softmax(z)) + "
     "cross_entropy(z, [[0, 1], [1, 0]]) + bce(sigmoid(x), [[1], [0]]) + sum(tanh(x)) + sum(relu(x))\n"),
    ("a tiny denominator", "a = [[1, 2]]\nb = [[1e-200, 3]]\nf = sum(a / b) * 1e-200\n"),
    ("a power 0 at 0", "x = [[0, 2]]\nf = sum(x ^ 0) + sum(x ^ 2)\n"),
    ("a relu of a huge gradient", "x = [[-1, 2]]\nf = sum(relu(x) * 1e300 * 1e10)\n"),
    ("axis reductions, indices, constructors and stacks",
     "x = [[1, 5, 2], [7, 0, 3]]\na = sum(x, 0)\nb = sum(x, axis=1)\nc = max(x, 1)\nd = argmax(x, 1)\n"
     "e = onehot(d, 3)\nh = hstack(x, e, x, e.T.T)\nv = vstack(x, ones(1, 3), zeros_like(x))\nr = reshape(x, 3, 2)\n"
     "m = mean(x, -1) * min(x, 1) + sum(min(x, 0))\n"
     "f = sum(a) + sum(b * c) + sum(h) + max(v) + min(r) + sum(e * d) + sum(m * argmin(x, 1)) + sum(zeros(2, 2))\n"),
    ("max and min ties: the gradient goes to the first extreme, as in PyTorch",
     "a = [[1, 7, 2], [7, 0, 7]]\nf = sum(max(a, 0)) + sum(max(a, 1)) + max(a) + sum(min(a, 1)) + min(a)\n"),
    ("gathers and slices",
     "C = [[0.5, -1], [1.5, 0.25], [-0.75, 2]]\nXb = [[2], [0], [2]]\nY = [[1], [0], [1]]\nE = C[Xb]\n"
     "P = E[range(3), Y]\nf = sum(P) + sum(E[1:, :1] * 2) + sum(C[:, -1]) + C[0, 1]\n"),
    ("reassigned names (c', c'' become c_1, c_2; c_1 is taken)",
     "c_1 = [[1, 2]]\nc = c_1 * 2\nc += 1\nc *= c\nc -= c_1 ** -0.5\nc /= 2\nb = c\nb = b\nf = sum(b + c')\n"),
]
# PyTorch's own derivatives are not all written in stable forms: these are NumPy only.
NUMPY_ONLY = {"saturated sigmoid, softplus, softmax and losses", "a relu of a huge gradient", "a tiny denominator"}


def run(binary, args, stdin=None):
    r = subprocess.run([binary, *args], input=stdin, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"gradscope {' '.join(args)} failed: {r.stderr}")
    return r.stdout


# The numbers a call passes after its matrices (an op record's "params"), on a and b (2, 2).
NUMBERS = {"axis": "1", "rows": "1", "cols": "4", "k": "3"}


def one_op_program(op):
    """y = the op on a and b (entries in (0.2, 0.8): inside every op's domain), and a
    weighted sum so that the upstream gradient differs per entry."""
    if op["symbol"]:
        call = op["usage"].split(" = ")[-1]       # "a @ b", "-a", "a.T", "a ** 2"; "b = a" is y = a
    elif op["name"] == "onehot":                  # whole numbers from 0 to k - 1
        call = "onehot(argmax(a, 1), 3)"
    elif op["params"] or op["arity"] not in (1, 2):   # sum(a, 1), zeros(1, 4), hstack(b, a, b)
        matrices = {0: [], 1: ["a"], 2: ["a", "b"], -1: ["b", "a", "b"]}[op["arity"]]
        call = op["function"] + "(" + ", ".join(matrices + [NUMBERS[p] for p in op["params"]]) + ")"
    else:
        call = op["name"] + ("(a, b)" if op["arity"] == 2 else "(a)")
    weighted = "sum(y * [[1, -2], [3, 0.5]])" if op["arity"] in (1, 2) and not op["params"] else "sum(y * y) + sum(y)"
    return ("a = [[0.3, 0.7], [0.55, 0.2]]\nb = [[0.6, 0.25], [0.4, 0.8]]\n"
            f"y = {call}\nf = {weighted}\n")


def executed(code, label):
    """Runs generated code; returns {name: (value, grad)} from its `nodes` and gradients."""
    ns = {}
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")   # NumPy's overflow notes where a branch np.where drops overflows
        exec(compile(code, label, "exec"), ns)
    out = {}
    for name, v in ns["nodes"]:
        if isinstance(v, torch.Tensor):
            g = v.grad if v.grad is not None else torch.zeros_like(v)
            out[name] = (v.detach().numpy(), g.numpy())
        else:
            out[name] = (v, ns["grad"][name])
    return out


def agree(a, b, rtol):
    a = np.asarray(a, dtype=np.float64)
    b = np.array([[np.nan if x is None else x for x in row] for row in b], dtype=np.float64)
    if a.shape != b.shape or not np.array_equal(np.isfinite(a), np.isfinite(b)):
        return False  # JSON writes nan and the infinities as null: any non-finite entry matches one
    fin = np.isfinite(a)
    return bool(np.allclose(a[fin], b[fin], rtol=rtol, atol=1e-12))


def check(binary, label, args, stdin, rtol=1e-9, exports=("numpy", "pytorch")):
    """Both exports of one program against eval; returns the failures' descriptions."""
    ref = {n["name"]: n for n in json.loads(run(binary, ["eval", *args, "--json"], stdin))["nodes"]
           if n["op"] != "const"}
    failures = []
    for to in exports:
        code = run(binary, ["export", *args, "--to", to], stdin)
        try:
            got = executed(code, f"<{label} {to}>")
        except Exception as e:  # noqa: BLE001  (any crash of the generated code is the finding)
            failures.append(f"{label} --to {to}: the code fails: {type(e).__name__}: {e}\n{code}")
            continue
        bad = [name for name, node in ref.items()
               if name not in got or not (agree(got[name][0], node["value"], rtol) and
                                           agree(got[name][1], node["grad"], rtol))]
        if bad or set(got) != set(ref):
            failures.append(f"{label} --to {to}: {', '.join(bad) or 'the node list'} differ\n{code}")
    return failures


def random_programs(count):
    """torch_compare.py's random programs, redrawn where PyTorch finds them ill-conditioned."""
    rng = random.Random(SEED)
    for i in range(count):
        while True:
            statements = tc.Generator(rng).program()
            tc.assign_names(statements)
            _, problems = tc.run_torch(statements)
            if not problems:
                break
        yield f"random program {i}", tc.program_text(statements, rng, f"# random program {i} (seed {SEED})")[0]


def main():
    binary = sys.argv[1]
    start = time.monotonic()
    tc.load_ops(binary)
    ops = list(tc.OPS.values())
    cases = [(f"op {op['name']}", ["-"], one_op_program(op), 1e-9, ("numpy", "pytorch")) for op in ops]
    cases += [("example " + line.split()[0], ["--example", line.split()[0]], None, 1e-9, ("numpy", "pytorch"))
              for line in run(binary, ["examples"]).splitlines() if line.strip()]
    cases += [(label, ["-"], text, 1e-9, ("numpy",) if label in NUMPY_ONLY else ("numpy", "pytorch"))
              for label, text in EDGE]
    # The NumPy VJPs are the engine's formulas, not its exact operation order: last bits differ.
    cases += [(label, ["-"], text, 1e-7, ("numpy", "pytorch")) for label, text in random_programs(NUM_RANDOM)]
    passed = failed = 0
    for label, args, stdin, rtol, exports in cases:
        failures = check(binary, label, args, stdin, rtol, exports)
        if failures:
            failed += 1
            print("FAIL " + "\nFAIL ".join(failures))
        else:
            passed += 1
    print(f"{len(ops)} ops, {len(EDGE)} edge programs, the examples and {NUM_RANDOM} random programs exported "
          f"to NumPy and PyTorch in {time.monotonic() - start:.1f} s")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    torch.set_num_threads(1)
    sys.exit(main())
