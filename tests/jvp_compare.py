#!/usr/bin/env python3
"""Forward mode against PyTorch: every op's tangent from `gradscope eval --jvp`.

Usage: jvp_compare.py PATH/TO/gradscope

For every op in `gradscope ops --json` (so a new op is covered without an edit here) and
every shape pair it accepts from a fixed list, a seeded RNG draws the inputs a (and b) and
an upstream weight G. The program `y = CALL; f = sum(G * y)` is evaluated with a random
direction for a, for b, and for both (`--jvp a=... --jvp b=...`), and each node's "tangent"
in the JSON is compared with torch.autograd.forward_ad on the op's own PyTorch text (the
record's "torch" field) in float64 (rtol 1e-9, atol 1e-10). Then `--jacobian y:a` (the op's
local Jacobian) and `--jacobian f:a` (the output's) for each input against
torch.autograd.functional.jacobian, with their entry labels and g^T J = VJP to 1e-12.
Also checked: an op without a case fails, and the text output's df.v line agrees with
<grad f, v>.
Ends with the line "N passed, M failed"; the exit code is non-zero if anything failed.
"""
import json
import random
import re
import subprocess
import sys

import torch
import torch.autograd.forward_ad as fwad

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)

SEED = 20261201
RTOL, ATOL = 1e-9, 1e-10
PAIRS = [((2, 3), (2, 3)), ((3, 3), (3, 3)), ((2, 3), (3, 4)), ((3, 2), (1, 2)), ((3, 1), (3, 4)), ((1, 1), (2, 3))]
SINGLES = [(2, 3), (3, 3), (3, 1), (1, 1)]


def literal(rows):
    return "[" + ", ".join("[" + ", ".join(repr(x) for x in row) + "]" for row in rows) + "]"


def draw(rng, shape, lo, hi):
    return [[rng.uniform(lo, hi) for _ in range(shape[1])] for _ in range(shape[0])]


def call(op):
    """How a program calls the op on a (and b), as tests/forward_cases.h does: an operator's
    usage (an alias "b = a" as its right-hand side), else name(a[, b]) with its numbers after."""
    if op["symbol"]:
        return op["usage"].split(" = ")[-1]
    args = (["a"] if op["arity"] != 0 else []) + (["b"] if op["arity"] in (2, -1) else [])
    args += [{"axis": "1", "rows": "3", "cols": "2"}.get(p, "3") for p in op["params"]]
    return (op["function"] or op["name"]) + "(" + ", ".join(args) + ")"


def torch_text(op, inputs, exponent, G):
    """The op's PyTorch text on a (and b): {*} is every input, {rows} {cols} y's shape (G's)."""
    text = op["torch"].replace("{*}", ", ".join(inputs)).replace("{0}", "a").replace("{1}", "b")
    text = text.replace("{rows}", str(len(G))).replace("{cols}", str(len(G[0])))
    return text.replace("{p}", str(int(exponent)) if op.get("params") else repr(exponent))


def run(binary, source, args):
    return subprocess.run([binary, "eval", "-", *args], input=source, capture_output=True, text=True)


def finite(node):
    return all(x is not None for row in node["value"] + node["grad"] for x in row)


def torch_tangents(op, inputs, directions, exponent, G):
    """y and f = sum(G * y) with their tangents, by PyTorch's forward mode on the op's text."""
    text = torch_text(op, inputs, exponent, G)
    with fwad.dual_level():
        env = {"torch": torch}
        for name, value in inputs.items():
            env[name] = fwad.make_dual(torch.tensor(value), torch.tensor(directions[name]))
        y = eval(text, env)
        f = (torch.tensor(G) * y).sum().reshape(1, 1)
        # No tangent (None) when the result does not depend on the direction (argmax, zeros_like):
        # its tangent is zero.
        tangents = {n: fwad.unpack_dual(v).tangent for n, v in (("y", y), ("f", f))}
        return {n: torch.zeros_like(fwad.unpack_dual(v).primal) if tangents[n] is None else tangents[n]
                for n, v in (("y", y), ("f", f))}


def torch_jacobian(op, inputs, name, exponent, G, of):
    """d(of)/d(name) as (entries of `of`, entries of `name`), both row by row, from PyTorch."""
    text = torch_text(op, inputs, exponent, G)
    tensors = {n: torch.tensor(v) for n, v in inputs.items()}

    def fn(x):
        y = eval(text, {"torch": torch, **tensors, name: x})
        return y if of == "y" else (torch.tensor(G) * y).sum().reshape(1, 1)
    j = torch.autograd.functional.jacobian(fn, tensors[name])
    out_entries = j.shape[0] * j.shape[1]
    return j.reshape(out_entries, -1)


def main():
    binary = sys.argv[1]
    ops = json.loads(subprocess.run([binary, "ops", "--json"], capture_output=True, text=True, check=True).stdout)
    rng = random.Random(SEED)
    passed = failed = 0
    covered = set()

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL:", what)

    for op in ops:
        if op["symbol"] in ("[", "[:,") or op["name"] == "onehot":
            # The gathers' index inputs are positions, not values a direction moves: their JVP is
            # checked against their VJP (<G, jvp(v)> = <vjp(G), v>) and against central differences
            # in tests/test_forward.cpp, and their values and gradients against PyTorch in
            # tests/torch_compare.py. onehot reads whole numbers (argmax(a, 1)), a constant.
            covered.add(op["name"])
            continue
        shapes = [(s, None) for s in SINGLES] if op["arity"] == 1 else PAIRS
        for sa, sb in shapes:
            for lo, hi in ((-2.0, 2.0), (0.05, 0.95)):
                inputs = {"a": draw(rng, sa, lo, hi)}
                if sb:
                    inputs["b"] = draw(rng, sb, lo, hi)
                head = "".join(f"{n} = {literal(v)}\n" for n, v in inputs.items())
                plain = run(binary, head + f"y = {call(op)}\nf = sum(y)\n", ["--json"])
                if plain.returncode != 0:
                    break  # the op does not take these shapes
                nodes = {n["name"]: n for n in json.loads(plain.stdout)["nodes"]}
                if not all(finite(n) for n in nodes.values()):
                    continue  # log of a negative and the like: draw from (0.05, 0.95)
                ys = nodes["y"]["shape"]
                G = draw(rng, ys, -2, 2)
                source = head + f"G = {literal(G)}\ny = {call(op)}\nf = sum(G * y)\n"
                exponent = nodes["y"].get(op["attr"]) if op["attr"] else 0
                for moving in [[n] for n in inputs] + ([list(inputs)] if len(inputs) > 1 else []):
                    directions = {n: draw(rng, (len(v), len(v[0])), -1, 1) if n in moving else
                                  [[0.0] * len(v[0]) for _ in v] for n, v in inputs.items()}
                    args = ["--json"] + [a for n in moving for a in ("--jvp", f"{n}={literal(directions[n])}")]
                    out = run(binary, source, args)
                    what = f"{op['name']} {sa} {sb or ''} along {','.join(moving)}"
                    if out.returncode != 0:
                        check(False, f"{what}: exit {out.returncode}: {out.stderr.strip()}")
                        continue
                    got = {n["name"]: n for n in json.loads(out.stdout)["nodes"]}
                    want = torch_tangents(op, inputs, directions, exponent, G)
                    for name in ("y", "f"):
                        t = torch.tensor(got[name]["tangent"])
                        ok = t.shape == want[name].shape and torch.allclose(t, want[name], rtol=RTOL, atol=ATOL)
                        check(ok, f"{what}: tangent of {name}: gradscope {t.tolist()} PyTorch {want[name].tolist()}")
                    for name in inputs:  # the direction itself, zero for an input that stays put
                        check(got[name]["tangent"] == directions[name], f"{what}: tangent of input {name}")
                for name in (inputs if op["arity"] != 0 else []):  # J of y against a (b), and of f: torch.autograd.functional
                    for of in ("y", "f"):
                        out = run(binary, source, ["--json", "--jacobian", f"{of}:{name}"])
                        what = f"{op['name']} {sa} {sb or ''}: d{of}/d{name}"
                        if out.returncode != 0:
                            check(False, f"{what}: exit {out.returncode}: {out.stderr.strip()}")
                            continue
                        j = json.loads(out.stdout)
                        want = torch_jacobian(op, inputs, name, exponent, G, of)
                        got = torch.tensor(j["J"])
                        ok = got.shape == want.shape and torch.allclose(got, want, rtol=RTOL, atol=ATOL)
                        check(ok, f"{what}: gradscope {got.tolist()} PyTorch {want.tolist()}")
                        rows, cols = want.shape
                        check(j["row_labels"][-1] == f"{of}[{nodes['y']['shape'][0] - 1 if of == 'y' else 0},"
                                                     f"{nodes['y']['shape'][1] - 1 if of == 'y' else 0}]" and
                              j["col_labels"][-1] == f"{name}[{len(inputs[name]) - 1},{len(inputs[name][0]) - 1}]" and
                              len(j["row_labels"]) == rows and len(j["col_labels"]) == cols, f"{what}: labels {j}")
                        scale = max(1.0, max(abs(x) for x in j["vjp"][0]))
                        check(j["max_difference"] <= 1e-12 * scale, f"{what}: g^T J against the VJP: {j['max_difference']}")
                covered.add(op["name"])
                break
    for op in ops:
        check(op["name"] in covered, f"{op['name']}: no shape and draw gave a case to compare")

    # The text output: the tangent rows and the df.v line with <grad f, v> beside it.
    seed = "W = [[1, 2], [3, 4]]\nx = [[1], [-1]]\nZ = W @ x\nf = norm2(sigmoid(Z))\n"
    text = run(binary, seed, ["--jvp", "W=[[1, 0], [0, 0]]"])
    grads = {n["name"]: n["grad"] for n in json.loads(run(binary, seed, ["--json"]).stdout)["nodes"]}
    line = [l for l in text.stdout.splitlines() if l.startswith("along the direction: df.v = ")]
    check(text.returncode == 0 and len(line) == 1, f"text output: {text.stdout!r} {text.stderr!r}")
    if line:
        numbers = [float(x) for x in re.findall(r"= (\S+) \(", line[0])]
        check(len(numbers) == 2 and abs(numbers[0] - grads["W"][0][0]) < 1e-9 and abs(numbers[1] - grads["W"][0][0]) < 1e-9,
              f"df.v line {line[0]!r} against df/dW[0][0] = {grads['W'][0][0]}")
    bad = run(binary, seed, ["--jvp", "x=[[1, 0]]"])
    check(bad.returncode == 2 and bad.stderr == "--jvp: error: the direction for 'x' has shape (1, 2) but 'x' has shape (2, 1)\n",
          f"a wrong shape: exit {bad.returncode} {bad.stderr!r}")

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
