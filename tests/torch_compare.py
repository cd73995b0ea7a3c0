#!/usr/bin/env python3
"""Differential test: gradscope against PyTorch on randomly generated programs.

Usage: torch_compare.py PATH/TO/gradscope [--seed N] [--programs N]

A seeded RNG builds random expression trees (every op of the language, broadcasting,
transposes, powers, nested calls, reused nodes, scalar reductions and losses). Each tree is
rendered twice from the same structure: as gradscope program text (fed to `gradscope eval -
--json` on stdin) and as a float64 PyTorch computation with retain_grad() on every
intermediate. Every non-constant node's value and gradient in the JSON is then matched by
name against PyTorch. The node names gradscope generates for nested expressions (matmul_1,
add_2, ...) are predicted with the same rule compile.cpp uses.

Tolerance. Two correct float64 engines differ by rounding, and that difference is bounded not
by the size of a result but by the size of what was added up to make it: a gradient that is
mathematically 0 but sums terms of size 1e5 comes out 1.9e-10 in one engine and -1.5e-13 in
the other. So every node gets a rounding scale, computed in PyTorch alongside the program as a
first-order bound of the rounding error carried into each entry (J: the op's Jacobian with
respect to an argument, from torch.autograd.functional.jacobian):
  values:    S(input) = |input|, S(const) = |const|, S(node) = |v| + sum over args |J| S(arg)
             (for a sum or a matmul the sum of the |terms|; through a smooth function the
             argument's error carried on);
  gradients: S(output) = 1, S(node) = |g| + sum over its uses of (|J|^T S(use) + |dc/da| S(a)
             + max|g_use|), where c = J^T g_use is the use's contribution: the same backward
             pass as the gradient with |.| of every contribution, plus the errors of the
             argument values a moving J itself, plus the rounding of the local derivative
             formula, whose terms (1 - s, 1 - t^2, p_i - p_i p_j) are of size 1 even where
             their difference is tiny.
An entry passes when |gradscope - pytorch| <= RTOL |pytorch| + EPS_MULT eps max(S over the
node) + UNDERFLOW, with RTOL = 1e-9 (what decides for well-conditioned entries), eps = 2^-52,
EPS_MULT = 64 (the roundings per op: a matmul's inner sum of up to 6 terms, softmax's sums)
and UNDERFLOW = 1e-100 (an engine may flush a far tail of exp or softmax to 0). The largest
difference seen, as a fraction of its allowance, is printed at the end ("worst"): about 0.002
over seeds 1..3 and the default seed, while a gradient entry perturbed by a relative 1e-7
fails. Options --seed N and --programs N run other random programs.

Also checked: the course notebook's seed example (exact numbers), the ninja example (every node
to 1e-9), relu/abs at exactly 0, softplus and its slope from -800 to 800 (each entry within a
relative 1e-13),
micrograd's test_more_ops (reassignment: every version of c against PyTorch), gathers and
slices (values and scattered gradients),
and that a shape mismatch is rejected with exit code 2 and a file:line:col error.
Ends with the line "N passed, M failed"; the exit code is non-zero if anything failed.
"""
import json
import math
import random
import subprocess
import sys
import time

import torch

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)

SEED = 20240611
NUM_RANDOM = 150
RTOL = 1e-9
EPS = 2.0 ** -52
EPS_MULT = 64       # allowance per entry: EPS_MULT * EPS * S (see the header)
UNDERFLOW = 1e-100  # below this an engine may flush a tail (exp, softmax) to 0: treated as 0
# A generated program is redrawn if PyTorch finds any value or gradient above this, a kink
# input (relu, abs) closer to 0 than KINK_EPS, or a bce probability within BCE_EPS of 0 or 1:
# there the two engines' last-bit rounding differences get amplified beyond rtol 1e-9.
MAX_MAGNITUDE = 1e4
KINK_EPS = 1e-6
BCE_EPS = 1e-3
SOFTPLUS_TAIL = -25

# The op records, from `gradscope ops --json` (load_ops): name -> {"symbol", "arity", "torch", ...}.
OPS = {}
ALL_OPS = []
BINARY_SYMBOL = {}   # "add" -> "+"
# The ops the generator below builds on purpose, each with the inputs it needs. Any other
# one-input function (a newly registered op) is built by b_other on positive arguments.
BUILT = {"matmul", "transpose", "add", "sub", "mul", "div", "neg", "pow", "sigmoid", "tanh", "relu", "exp",
         "log", "sqrt", "abs", "softplus", "sum", "mean", "norm2", "softmax", "log_softmax", "mse",
         "cross_entropy", "bce", "sum_axis", "mean_axis", "max_axis", "min_axis", "max", "min", "argmax",
         "argmin", "zeros", "ones", "zeros_like", "ones_like", "onehot", "reshape", "hstack", "vstack"}
OTHER_UNARY = []     # names of those other one-input functions, filled by load_ops


def load_ops(binary):
    ops = json.loads(subprocess.run([binary, "ops", "--json"], capture_output=True, text=True, check=True).stdout)
    OPS.update((op["name"], op) for op in ops)
    ALL_OPS[:] = [op["name"] for op in ops]
    BINARY_SYMBOL.update((op["name"], op["symbol"]) for op in ops if op["symbol"] and op["arity"] == 2)
    OTHER_UNARY[:] = [op["name"] for op in ops if op["name"] not in BUILT and op["arity"] == 1 and not op["symbol"]]

# Domains: what an expression's entries are guaranteed to be: any number, positive (for log,
# sqrt, fractional powers, denominators) or strictly between 0 and 1 (for bce). PROB is
# inside POS, which is inside ANY: a node with a larger domain value fits any smaller need.
ANY, POS, PROB = 0, 1, 2


# --- expression trees ------------------------------------------------------------------

class Input:
    """A statement `name = literal`: a leaf that gets a gradient."""
    def __init__(self, name, value, dom, scalar_syntax=False, row_syntax=False):
        self.name, self.value, self.dom = name, value, dom
        self.shape = (len(value), len(value[0]))
        self.scalar_syntax = scalar_syntax   # written `b = 0.5`
        self.row_syntax = row_syntax         # written `r = [1, 2, 3]`


class Ref:
    """A use of a named node (an input or an earlier statement) by its name."""
    def __init__(self, target):
        self.target = target
        self.shape = target.shape


class Const:
    """A number or matrix literal inside an expression: gradscope's op "const" (not compared)."""
    def __init__(self, value):
        self.value = value if isinstance(value, list) else [[value]]
        self.shape = (len(self.value), len(self.value[0]))
        self.is_number = not isinstance(value, list)


class Op:
    def __init__(self, op, args, shape, p=None):
        self.op, self.args, self.shape, self.p = op, args, shape, p
        self.name = None       # assigned by assign_names: the statement's name or op_N
        self.dom = ANY
        self.uses = 0          # how often later expressions refer to it (statements only)


def fmt_num(v):
    v = float(v) + 0.0
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def fmt_matrix(m):
    return "[" + ", ".join("[" + ", ".join(fmt_num(v) for v in row) + "]" for row in m) + "]"


# --- rendering as gradscope text -------------------------------------------------------
# Precedence, low to high: + - (1), * / @ (2), unary - (3), ^ (4), .T (5), atoms (6).

def render(node, min_prec, rng):
    text, prec = render_raw(node, rng)
    if prec < min_prec or (prec < 6 and rng.random() < 0.08):   # sometimes redundant parens
        return "(" + text + ")"
    return text


def render_raw(node, rng):
    if isinstance(node, Ref):
        return node.target.name, 6
    if isinstance(node, Const):
        if not node.is_number:
            return fmt_matrix(node.value), 6
        v = node.value[0][0]
        return fmt_num(v), (3 if v < 0 else 6)
    op = node.op
    if op in BINARY_SYMBOL:
        prec = 1 if op in ("add", "sub") else 2
        a = render(node.args[0], prec, rng)
        b = render(node.args[1], prec + 1, rng)
        return f"{a} {BINARY_SYMBOL[op]} {b}", prec
    if op == "neg":
        # the operand is never a number: gradscope folds -(2) into the constant -2
        return "-" + render(node.args[0], 4, rng), 3
    if op == "pow":
        return render(node.args[0], 5, rng) + " ^ " + fmt_num(node.p), 4
    if op == "transpose":
        return render(node.args[0], 6, rng) + ".T", 5
    args = [render(a, 0, rng) for a in node.args]
    if OPS[op]["params"]:       # the numbers after the matrices: sum(x, 0), sum(x, axis=1), zeros(2, 3)
        numbers = {"axis": node.p, "k": node.p, "rows": node.shape[0], "cols": node.shape[1]}
        for name in OPS[op]["params"]:
            v = fmt_num(numbers[name])
            args.append(f"{name}={v}" if name == "axis" and rng.random() < 0.3 else v)
    return OPS[op]["function"] + "(" + ", ".join(args) + ")", 6


# --- generation ------------------------------------------------------------------------

INT_EXPONENTS = [2, 2, 3]
POS_EXPONENTS = [0.5, 1.5, -0.5, -1, 2.5, 0.3, -2, 3]


class Generator:
    def __init__(self, rng):
        self.rng = rng
        self.statements = []    # (name, Input | Op) in program order
        self.pending = []       # inputs created while building the current statement
        self.pool = []          # named nodes usable by later expressions
        self.count = 0

    def fresh(self, prefix):
        self.count += 1
        return f"{prefix}{self.count}"

    def rand_shape(self):
        r = self.rng
        return (r.randint(1, 6), r.randint(1, 6))

    def values(self, shape, dom):
        r = self.rng
        lo, hi = {ANY: (-2.0, 2.0), POS: (0.2, 2.5), PROB: (0.05, 0.95)}[dom]
        return [[round(r.uniform(lo, hi), 3) + 0.0 for _ in range(shape[1])] for _ in range(shape[0])]

    def new_input(self, shape, dom, value=None):
        r = self.rng
        value = value if value is not None else self.values(shape, dom)
        prefix = r.choice(["x", "W", "a", "b", "u", "v"]) if dom == ANY else r.choice(["p", "q", "s"])
        node = Input(self.fresh(prefix), value, dom,
                     scalar_syntax=shape == (1, 1) and r.random() < 0.7,
                     row_syntax=shape[0] == 1 and shape[1] > 1 and r.random() < 0.5)
        self.pending.append(node)
        self.pool.append(node)
        return node

    def leaf(self, shape, dom):
        r = self.rng
        named = [n for n in self.pool if isinstance(n, Op) and n.shape == shape and n.dom >= dom]
        if named and r.random() < 0.8:      # earlier statements first, the least used one mostly
            least = min(n.uses for n in named)
            pick = r.choice([n for n in named if n.uses == least] if r.random() < 0.7 else named)
            pick.uses += 1
            return Ref(pick)
        inputs = [n for n in self.pool if isinstance(n, Input) and n.shape == shape and n.dom >= dom]
        if inputs and r.random() < 0.5:
            return Ref(r.choice(inputs))
        return Ref(self.new_input(shape, dom))

    def pick_shape(self):
        """A shape related to an earlier statement's, so that statements chain."""
        r = self.rng
        named = [n for n in self.pool if isinstance(n, Op)]
        unused = [n for n in named if n.uses == 0]
        if unused and r.random() < 0.7:
            return r.choice(unused).shape
        if not named or r.random() < 0.3:
            return self.rand_shape()
        rows, cols = r.choice(named).shape
        u = r.random()
        if u < 0.5:
            return rows, cols
        if u < 0.65:
            return cols, rows
        if u < 0.8:
            return rows, r.randint(1, 6)
        return r.randint(1, 6), cols

    def const_number(self, positive=False):
        v = self.rng.choice([0.5, 2, 1.5, 3, 0.1, 0.25, 1])
        if not positive and self.rng.random() < 0.3:
            v = -v
        return Const(v)

    def broadcast_shapes(self, shape):
        """Two operand shapes that broadcast to `shape` (each dimension equal or 1)."""
        r, c = shape
        mode = self.rng.choice(["same"] * 3 + ["col", "col", "row", "row", "scalar", "outer"])
        if mode == "col" and c > 1:
            sa, sb = (r, c), (r, 1)
        elif mode == "row" and r > 1:
            sa, sb = (r, c), (1, c)
        elif mode == "scalar" and (r, c) != (1, 1):
            sa, sb = (r, c), (1, 1)
        elif mode == "outer" and r > 1 and c > 1:
            sa, sb = (r, 1), (1, c)
        else:
            sa, sb = (r, c), (r, c)
        return (sa, sb) if self.rng.random() < 0.5 else (sb, sa)

    # One expression of the given shape whose entries lie in `dom`.
    def expr(self, shape, dom, depth, top=False):
        r = self.rng
        if not top and (depth <= 0 or r.random() < 0.2):
            return self.leaf(shape, dom)
        if r.random() < 0.6:
            node = self.consume(shape, depth - 1)
            if node is not None:
                if dom != ANY:   # softplus > 0, 0 < sigmoid < 1
                    node = Op("softplus" if dom == POS else "sigmoid", [node], shape)
                    node.dom = dom
                return node
        builders = {ANY: self.any_builders, POS: self.pos_builders, PROB: self.prob_builders}[dom](shape)
        names, weights = zip(*builders)
        node = r.choices(names, weights)[0](shape, depth - 1)
        node.dom = max(node.dom, dom)
        return node

    def consume(self, shape, depth):
        """Uses a not yet used statement S in an expression of the given shape, so that few
        statements are dead ends: S itself, S.T, S @ ..., ... @ S, broadcasting with S, or
        one of its reductions scaling the rest."""
        r = self.rng
        unused = [n for n in self.pool if isinstance(n, Op) and n.uses == 0]
        if not unused:
            return None
        st = r.choice(unused)
        st.uses += 1
        ref = Ref(st)
        (rows, cols), (sr, sc) = shape, st.shape
        ways = []
        if (sr, sc) == shape:
            ways.append(lambda: Op(r.choice(["tanh", "sigmoid", "neg"]), [ref], shape))
            ways.append(lambda: Op(r.choice(["add", "sub", "mul"]), [ref, self.expr(shape, ANY, depth)], shape))
        if (sc, sr) == shape:
            ways.append(lambda: Op("transpose", [ref], shape))
        if sr == rows:
            ways.append(lambda: Op("matmul", [ref, self.expr((sc, cols), ANY, depth)], shape))
        if sc == cols:
            ways.append(lambda: Op("matmul", [self.expr((rows, sr), ANY, depth), ref], shape))
        if sr in (1, rows) and sc in (1, cols) and (sr, sc) != shape:
            ways.append(lambda: Op(r.choice(["add", "sub", "mul"]), [self.expr(shape, ANY, depth), ref], shape))
        if not ways or r.random() < 0.2:
            red = Op(r.choice(["sum", "mean", "norm2"]), [ref], (1, 1))
            ways = [lambda: Op(r.choice(["add", "mul"]), [self.expr(shape, ANY, depth), red], shape)]
        return r.choice(ways)()

    def any_builders(self, shape):
        b = [(self.b_arith, 6), (self.b_div, 2), (self.b_neg, 1), (self.b_matmul, 4),
             (self.b_transpose, 2), (self.b_unary_any, 6), (self.b_unary_pos_arg, 3),
             (self.b_pow_int, 2), (self.b_pow_frac, 1.5), (self.b_softmax, 2),
             (self.b_pos_expr, 1)]
        if shape == (1, 1):
            b.append((self.b_scalar, 3))
        if OTHER_UNARY:
            b.append((self.b_other, 2))
        b += [(self.b_axis, 2.5), (self.b_stack, 1), (self.b_reshape, 1), (self.b_constant, 2)]
        return b

    def pos_builders(self, shape):
        b = [(self.b_pos_expr, 1)]
        if shape == (1, 1):
            b.append((self.b_pos_reduce, 0.5))
        return b

    def prob_builders(self, shape):
        return [(self.b_prob_expr, 1)]

    # builders for ANY ---------------------------------------------------------------
    def b_arith(self, shape, depth):
        r = self.rng
        op = r.choice(["add", "sub", "mul"])
        sa, sb = self.broadcast_shapes(shape)
        u = r.random()
        if u < 0.2:      # a scalar constant on one side: x * 2, 1 - x
            k = self.const_number()
            other = self.expr(shape, ANY, depth)
            args = [k, other] if r.random() < 0.5 else [other, k]
        elif u < 0.27 and shape[1] > 1:   # a literal bias column
            col = Const([[round(r.uniform(-1, 1), 2) + 0.0] for _ in range(shape[0])])
            args = [self.expr(shape, ANY, depth), col]
        elif u < 0.42 and sa == sb:       # the same node twice: x * x, h + h
            a = self.leaf(sa, ANY)
            args = [a, Ref(a.target)]
        else:
            args = [self.expr(sa, ANY, depth), self.expr(sb, ANY, depth)]
        return Op(op, args, shape)

    def b_div(self, shape, depth):
        sa, sb = self.broadcast_shapes(shape)
        if self.rng.random() < 0.2:
            den = self.const_number(positive=True)
            sa = shape
        else:
            den = self.expr(sb, POS, depth)
        return Op("div", [self.expr(sa, ANY, depth), den], shape)

    def b_neg(self, shape, depth):
        return Op("neg", [self.expr(shape, ANY, depth)], shape)

    def b_matmul(self, shape, depth):
        if shape[0] == shape[1] and self.rng.random() < 0.25:   # one node on both sides
            if self.rng.random() < 0.5:
                a = self.leaf((self.rng.randint(1, 6), shape[0]), ANY)
                return Op("matmul", [Op("transpose", [a], (a.shape[1], a.shape[0])), Ref(a.target)], shape)
            a = self.leaf(shape, ANY)
            return Op("matmul", [a, Ref(a.target)], shape)
        left = [n.shape[1] for n in self.pool if n.shape[0] == shape[0]]
        right = [n.shape[0] for n in self.pool if n.shape[1] == shape[1]]
        u = self.rng.random()
        if left and u < 0.4:
            k = self.rng.choice(left)
        elif right and u < 0.7:
            k = self.rng.choice(right)
        else:
            k = self.rng.randint(1, 6)
        return Op("matmul", [self.expr((shape[0], k), ANY, depth), self.expr((k, shape[1]), ANY, depth)], shape)

    def b_transpose(self, shape, depth):
        return Op("transpose", [self.expr((shape[1], shape[0]), ANY, depth)], shape)

    def b_unary_any(self, shape, depth):
        op = self.rng.choice(["sigmoid", "tanh", "relu", "abs", "softplus", "exp"])
        return Op(op, [self.expr(shape, ANY, depth)], shape)

    def b_unary_pos_arg(self, shape, depth):
        op = self.rng.choice(["log", "sqrt"])
        return Op(op, [self.expr(shape, POS, depth)], shape)

    def b_other(self, shape, depth):
        """A registered function the generator has no builder of its own for, on positive entries;
        its output shape is whatever gradscope reports, so it is asked for at a 1x1 result only
        when the function keeps the shape."""
        op = self.rng.choice(OTHER_UNARY)
        if OPS[op]["shape"] == "scalar":
            return Op(op, [self.expr(self.pick_shape(), POS, depth)], (1, 1)) if shape == (1, 1) else \
                self.b_unary_any(shape, depth)
        return Op(op, [self.expr(shape, POS, depth)], shape)

    def b_axis(self, shape, depth):
        """A reduction along an axis that keeps two dimensions: sum(x, 0) is (1, cols)."""
        r = self.rng
        rows, cols = shape
        op = r.choice(["sum_axis", "mean_axis", "max_axis", "min_axis"])
        if rows == 1 and (cols > 1 or r.random() < 0.5):
            return Op(op, [self.expr((r.randint(1, 5), cols), ANY, depth)], shape, p=0)
        if cols == 1:
            return Op(op, [self.expr((rows, r.randint(1, 5)), ANY, depth)], shape, p=1)
        return self.b_unary_any(shape, depth)

    def b_stack(self, shape, depth):
        """hstack or vstack of two or three parts."""
        r = self.rng
        rows, cols = shape
        side = cols > 1 and (rows == 1 or r.random() < 0.5)
        n = cols if side else rows
        if n < 2:
            return self.b_unary_any(shape, depth)
        cuts = sorted(r.sample(range(1, n), min(n - 1, r.choice([1, 2]))))
        sizes = [b - a for a, b in zip([0] + cuts, cuts + [n])]
        parts = [self.expr((rows, k) if side else (k, cols), ANY, depth) for k in sizes]
        return Op("hstack" if side else "vstack", parts, shape)

    def b_reshape(self, shape, depth):
        rows, cols = shape
        total = rows * cols
        a = self.rng.choice([d for d in range(1, total + 1) if total % d == 0])
        return Op("reshape", [self.expr((a, total // a), ANY, depth)], shape)

    def b_constant(self, shape, depth):
        """An expression times or plus a constant with no gradient: ones(r, c), zeros_like(x),
        onehot(argmax(x, 1), c) (with argmax's positions below c)."""
        r = self.rng
        rows, cols = shape
        kind = r.choice(["zeros", "ones", "zeros_like", "ones_like", "onehot"])
        if kind in ("zeros", "ones"):
            c = Op(kind, [], shape)
        elif kind in ("zeros_like", "ones_like"):
            c = Op(kind, [self.expr(shape, ANY, depth - 1)], shape)
        else:
            pick = r.choice(["argmax", "argmin"])
            c = Op("onehot", [Op(pick, [self.expr((rows, r.randint(1, cols)), ANY, depth - 1)], (rows, 1), p=1)],
                   shape, p=cols)
        return Op("add" if kind == "zeros" else "mul", [self.expr(shape, ANY, depth), c], shape)

    def b_pow_int(self, shape, depth):
        return Op("pow", [self.expr(shape, ANY, depth)], shape, p=self.rng.choice(INT_EXPONENTS))

    def b_pow_frac(self, shape, depth):
        return Op("pow", [self.expr(shape, POS, depth)], shape, p=self.rng.choice(POS_EXPONENTS))

    def b_softmax(self, shape, depth):
        op = self.rng.choice(["softmax", "log_softmax"])
        return Op(op, [self.expr(shape, ANY, depth)], shape)

    def b_scalar(self, shape, depth):
        r = self.rng
        kind = r.choice(["sum", "mean", "norm2", "mse", "cross_entropy", "bce", "max", "min"])
        s = self.pick_shape()
        named = any(isinstance(n, Op) and n.shape == s for n in self.pool)
        if kind in ("sum", "mean", "norm2", "max", "min"):
            arg = self.leaf(s, ANY) if named and r.random() < 0.4 else self.expr(s, ANY, depth, top=True)
            return Op(kind, [arg], (1, 1))
        if kind == "mse":
            a = self.leaf(s, ANY) if named and r.random() < 0.4 else self.expr(s, ANY, depth)
            b = self.expr(s, ANY, depth - 1) if r.random() < 0.5 else self.leaf(s, ANY)
            return Op("mse", [a, b] if r.random() < 0.8 else [b, a], (1, 1))
        if kind == "cross_entropy":
            u = r.random()
            if u < 0.4:      # one-hot targets, one column per example
                onehot = [[0.0] * s[1] for _ in range(s[0])]
                for j in range(s[1]):
                    onehot[r.randrange(s[0])][j] = 1.0
                t = Ref(self.new_input(s, ANY, onehot))
            elif u < 0.7:    # probability targets (columns sum to about 1)
                raw = [[r.uniform(0.05, 1) for _ in range(s[1])] for _ in range(s[0])]
                tot = [sum(raw[i][j] for i in range(s[0])) for j in range(s[1])]
                t = Ref(self.new_input(s, ANY, [[round(raw[i][j] / tot[j], 3) + 0.0 for j in range(s[1])]
                                                for i in range(s[0])]))
            elif u < 0.85:   # targets computed by a softmax
                t = Op("softmax", [self.expr(s, ANY, depth - 1)], s)
            else:            # the entropy: cross_entropy(z, softmax(z)) uses z twice
                z = self.leaf(s, ANY)
                return Op("cross_entropy", [z, Op("softmax", [Ref(z.target)], s)], (1, 1))
            return Op("cross_entropy", [self.expr(s, ANY, depth), t], (1, 1))
        # bce: probabilities from a sigmoid/softmax, targets 0/1, probabilities or a sigmoid
        p = self.leaf(s, PROB) if r.random() < 0.25 else self.expr(s, PROB, depth, top=True)
        u = r.random()
        if u < 0.1 and isinstance(p, Ref):     # one node as both arguments
            t = Ref(p.target)
        elif u < 0.4:
            t = Ref(self.new_input(s, ANY, [[float(r.random() < 0.5) for _ in range(s[1])] for _ in range(s[0])]))
        elif u < 0.75:
            t = self.leaf(s, PROB)
        else:
            t = Op("sigmoid", [self.expr(s, ANY, depth - 1)], s)
        return Op("bce", [p, t], (1, 1))

    # builders for POS: expressions positive by construction -------------------------
    def b_pos_expr(self, shape, depth):
        r = self.rng
        kind = r.choice(["exp", "softplus", "sigmoid", "softmax", "sqrt", "pow", "add", "mul", "div",
                         "sq+", "abs+", "matmul", "transpose"])
        if kind in ("exp", "softplus", "sigmoid", "softmax"):
            n = Op(kind, [self.expr(shape, ANY, depth)], shape)
        elif kind == "sqrt":
            n = Op("sqrt", [self.expr(shape, POS, depth)], shape)
        elif kind == "pow":
            n = Op("pow", [self.expr(shape, POS, depth)], shape, p=r.choice(POS_EXPONENTS))
        elif kind in ("add", "mul", "div"):
            sa, sb = self.broadcast_shapes(shape)
            if r.random() < 0.3:
                args = [self.expr(shape, POS, depth), self.const_number(positive=True)]
                if kind != "div" and r.random() < 0.5:
                    args.reverse()
            else:
                args = [self.expr(sa, POS, depth), self.expr(sb, POS, depth)]
            n = Op(kind, args, shape)
        elif kind == "sq+":     # x ^ 2 + 0.1
            n = Op("add", [Op("pow", [self.expr(shape, ANY, depth)], shape, p=2), Const(0.1)], shape)
        elif kind == "abs+":    # abs(x) + 0.5
            n = Op("add", [Op("abs", [self.expr(shape, ANY, depth)], shape), Const(0.5)], shape)
        elif kind == "matmul":
            k = r.randint(1, 6)
            n = Op("matmul", [self.expr((shape[0], k), POS, depth), self.expr((k, shape[1]), POS, depth)], shape)
        else:
            n = Op("transpose", [self.expr((shape[1], shape[0]), POS, depth)], shape)
        n.dom = POS
        return n

    def b_pos_reduce(self, shape, depth):
        n = Op(self.rng.choice(["sum", "mean", "norm2"]), [self.expr(self.pick_shape(), POS, depth)], (1, 1))
        n.dom = POS
        return n

    # builders for PROB: entries strictly between 0 and 1 -----------------------------
    def b_prob_expr(self, shape, depth):
        r = self.rng
        kind = r.choice(["sigmoid", "sigmoid", "softmax", "mul", "transpose"])
        if kind in ("sigmoid", "softmax"):
            n = Op(kind, [self.expr(shape, ANY, depth)], shape)
        elif kind == "mul":
            n = Op("mul", [self.expr(shape, PROB, depth), self.expr(shape, PROB, depth)], shape)
        else:
            n = Op("transpose", [self.expr((shape[1], shape[0]), PROB, depth)], shape)
        n.dom = PROB
        return n

    # statements ---------------------------------------------------------------------
    def statement(self, name, node):
        self.statements.extend((n.name, n) for n in self.pending)
        self.pending = []
        node.stmt_name = name
        self.statements.append((name, node))
        self.pool.append(node)

    def program(self):
        r = self.rng
        for _ in range(r.randint(0, 4)):
            dom = r.choice([ANY, ANY, ANY, POS, PROB])
            node = self.expr(self.pick_shape(), dom, r.randint(1, 4), top=True)
            self.statement(self.fresh(r.choice(["h", "z", "y", "g"])), node)
        node = self.b_scalar((1, 1), r.randint(1, 3))
        self.statement(r.choice(["f", "L", "loss", "out"]), node)
        return self.statements


# --- names, text and the PyTorch side ----------------------------------------------------

def walk_ops(node, out):
    """Op nodes of an expression in gradscope's lowering order (arguments first)."""
    if isinstance(node, Op):
        for a in node.args:
            walk_ops(a, out)
        out.append(node)


def assign_names(statements):
    """Names gradscope gives every op node: compile.cpp's Lowering::apply and run()."""
    declared = {name for name, _ in statements}
    counters, existing = {}, set()
    for name, node in statements:
        if isinstance(node, Input):
            existing.add(name)
            continue
        ops = []
        walk_ops(node, ops)
        for op in ops:
            counters[op.op] = counters.get(op.op, 0) + 1
            gen = f"{op.op}_{counters[op.op]}"
            while gen in declared or gen in existing:
                counters[op.op] += 1
                gen = f"{op.op}_{counters[op.op]}"
            op.name = gen
            existing.add(gen)
        existing.discard(node.name)    # the statement's node is renamed; its number is reused
        node.name = name
        existing.add(name)
        counters[node.op] -= 1


def program_text(statements, rng, header):
    """The program as gradscope text, and the line of every named node in it."""
    lines, where = [header], {}
    for name, node in statements:
        ops = []
        walk_ops(node, ops)
        for n in ops + [node]:
            where[n.name] = len(lines) + 1
        if isinstance(node, Input):
            if node.scalar_syntax:
                lit = fmt_num(node.value[0][0])
            elif node.row_syntax:
                lit = "[" + ", ".join(fmt_num(v) for v in node.value[0]) + "]"
            else:
                lit = fmt_matrix(node.value)
            lines.append(f"{name} = {lit}")
        else:
            lines.append(f"{name} = {render(node, 0, rng)}")
    return "\n".join(lines) + "\n", where


def torch_op(op, a, p, shape):
    """The op's PyTorch text from its record, evaluated on the argument tensors."""
    names = {f"_{k}": t for k, t in enumerate(a)}
    text = OPS[op]["torch"].replace("{*}", ", ".join(names))
    for k in range(len(a)):
        text = text.replace("{%d}" % k, f"_{k}")
    text = text.replace("{rows}", str(shape[0])).replace("{cols}", str(shape[1]))
    if p is not None:   # an axis or a count as a whole number, an exponent as a float
        text = text.replace("{p}", str(int(p)) if OPS[op]["params"] else repr(float(p)))
    return eval(text, {"torch": torch}, names)


def run_torch(statements):
    """Evaluates the program in PyTorch: {name: (op, input names, value, grad)} and checks."""
    named = {}      # statement name -> tensor
    nodes = {}      # node name -> [op, expected input names, tensor]
    kinks, bce_probs, lines = [], [], []   # lines: what max, min and their positions choose from
    softplus_args = []

    def ev(node):
        if isinstance(node, Ref):
            return named[node.target.name]
        if isinstance(node, Const):
            return torch.tensor(node.value)
        args = [ev(a) for a in node.args]
        if node.op in ("relu", "abs"):
            kinks.append(args[0].detach())
        if node.op == "bce":
            bce_probs.append(args[0].detach())
        if node.op == "softplus":
            softplus_args.append(args[0].detach())
        if node.op in ("max", "min", "max_axis", "min_axis", "argmax", "argmin"):
            x = args[0].detach()
            lines.append(x.reshape(1, -1) if node.op in ("max", "min") else x if node.p == 1 else x.T)
        t = torch_op(node.op, args, node.p, node.shape)
        if t.requires_grad:
            t.retain_grad()
        ins = [a.target.name if isinstance(a, Ref) else a.name if isinstance(a, Op) else None
               for a in node.args]
        nodes[node.name] = [node.op, ins, t, [x.detach() for x in args], node.p]
        return t

    for name, node in statements:
        if isinstance(node, Input):
            t = torch.tensor(node.value, requires_grad=True)
            nodes[name] = ["input", [], t, [], None]
        else:
            t = ev(node)
        named[name] = t
    out = named[statements[-1][0]]
    out.backward()
    vscale, gscale = rounding_scales(nodes, statements[-1][0])
    result = {}
    for name, (op, ins, t, _, _) in nodes.items():
        g = t.grad if t.grad is not None else torch.zeros_like(t)
        result[name] = (op, ins, t.detach().clone(), g.detach().clone(), vscale[name], gscale[name])
    problems = []
    for name, (_, _, v, g, _, _) in result.items():
        if not (torch.isfinite(v).all() and torch.isfinite(g).all()):
            problems.append(f"{name} is not finite")
        elif v.abs().max() > MAX_MAGNITUDE or g.abs().max() > MAX_MAGNITUDE:
            problems.append(f"{name} is larger than {MAX_MAGNITUDE:g}")
    if any((k.abs() < KINK_EPS).any() for k in kinks):
        problems.append("relu/abs input near 0")
    if any(((p < BCE_EPS) | (p > 1 - BCE_EPS)).any() for p in bce_probs):
        problems.append("bce probability near 0 or 1")
    # PyTorch's softplus is log(1 + e^x) there: it rounds to a multiple of 2^-52 where gradscope's
    # log1p stays exact, a relative error a sqrt or a quotient can lift above the tolerance.
    if any((x < SOFTPLUS_TAIL).any() for x in softplus_args):
        problems.append(f"softplus input below {SOFTPLUS_TAIL}")
    # Exact ties are fine (both engines pick the first); near ties could go either way.
    gaps = [(s[:, 1:] - s[:, :-1]) for s in (x.sort(dim=1).values for x in lines) if s.shape[1] > 1]
    if any(((gap > 0) & (gap < KINK_EPS)).any() for gap in gaps):
        problems.append("max/min entries within 1e-6 of each other")
    return result, problems


def rounding_scales(nodes, out_name):
    """Per entry of every node, the scale S of the header. nodes is in program order:
    name -> [op, input names (None for a constant), tensor, argument tensors, p]."""
    jac, vs = {}, {}
    for name, (op, ins, t, args, p) in nodes.items():
        v = t.detach()
        if op == "input":
            vs[name] = v.abs()
            continue
        args = [a.to(torch.float64) for a in args]    # an integer literal is an int64 tensor
        s = v.abs().flatten()
        for k, a in enumerate(args):
            def f(x, k=k):
                xs = list(args)
                xs[k] = x
                return torch_op(op, xs, p, tuple(v.shape))
            J = torch.autograd.functional.jacobian(f, a).reshape(v.numel(), a.numel()).abs()
            jac[(name, k)] = J
            sa = vs[ins[k]] if ins[k] is not None else a.abs()
            s = s + J @ sa.flatten()
        vs[name] = s.reshape(v.shape)
    gs = {name: torch.zeros_like(vs[name]) for name in nodes}
    gs[out_name] = torch.ones_like(gs[out_name])
    for name in reversed(list(nodes)):
        op, ins, t, args, p = nodes[name]
        args = [a.to(torch.float64) for a in args]
        g = (t.grad if t.grad is not None else torch.zeros_like(t)).detach()
        gs[name] = gs[name] + g.abs()
        for j, a in enumerate(args):
            if ins[j] is None:
                continue
            # the error of the node's gradient, carried back through |J|, plus the rounding of
            # the local derivative formula, whose terms (1 - s, 1 - t^2, p_i - p_i p_j) are of
            # size 1 even where their difference is tiny: max|g| per entry
            c = (jac[(name, j)].T @ gs[name].flatten()).reshape(a.shape) + g.abs().max()
            # the error of the arguments' values, moving the local derivative J itself
            for k, b in enumerate(args):
                def contribution(x, j=j, k=k):
                    xs = list(args)
                    xs[k] = x
                    return torch.autograd.functional.vjp(lambda *ys: torch_op(op, list(ys), p, tuple(t.shape)), tuple(xs), g,
                                                         create_graph=True)[1][j]
                H = torch.autograd.functional.jacobian(contribution, b).reshape(a.numel(), b.numel()).abs()
                H = torch.nan_to_num(H, nan=0.0)   # 0 * inf in a second derivative far in a tail
                sb = vs[ins[k]] if ins[k] is not None else b.abs()
                c = c + (H @ sb.flatten()).reshape(a.shape)
            gs[ins[j]] = gs[ins[j]] + c
    return vs, gs


# --- running gradscope and comparing -----------------------------------------------------

def run_gradscope(binary, text):
    return subprocess.run([binary, "eval", "-", "--json"], input=text, capture_output=True, text=True,
                          timeout=30)


def to_tensor(rows):
    return torch.tensor([[math.nan if v is None else v for v in row] for row in rows])


WORST = [0.0, ""]   # the largest |gradscope - pytorch| / allowance seen, and where


def close(gs, ref, scale=None, where=""):
    """|gs - ref| <= RTOL |ref| + EPS_MULT eps scale everywhere (the header's rule; scale
    defaults to |ref|); a JSON null (NaN or inf) matches a non-finite entry."""
    if gs.shape != ref.shape:
        return False
    fin = torch.isfinite(ref)
    if not torch.equal(torch.isfinite(gs), fin):
        return False
    scale = (ref.abs() if scale is None else scale)[fin]
    allowed = RTOL * ref[fin].abs() + EPS_MULT * EPS * (scale.max() if scale.numel() else 0.0) + UNDERFLOW
    err = (gs[fin] - ref[fin]).abs()
    if err.numel():
        ratio = (err / allowed.clamp_min(1e-300)).max().item()
        if ratio > WORST[0]:
            WORST[:] = [ratio, where]
    return bool((err <= allowed).all())


def fmt_tensor(t):
    return "\n".join("    [" + ", ".join(f"{v:.17g}" for v in row) + "]" for row in t.tolist())


def compare(binary, text, expected, output, lines, label):
    """Runs one program; returns (ok, parsed JSON or None). Prints details on failure."""
    proc = run_gradscope(binary, text)
    msgs = []
    data = None
    if proc.returncode != 0:
        msgs.append(f"gradscope exited with {proc.returncode}:\n{proc.stderr}")
    else:
        try:
            data = json.loads(proc.stdout)
        except json.JSONDecodeError as e:
            msgs.append(f"output is not JSON ({e}):\n{proc.stdout[:2000]}")
    if data is not None:
        gs_nodes = {n["name"]: n for n in data["nodes"]}
        compared = set()
        for n in data["nodes"]:
            if n["op"] == "const":
                continue
            name = n["name"]
            if name not in expected:
                msgs.append(f"node {name} ({n['op']}) is not in the PyTorch program")
                continue
            compared.add(name)
            op, ins, v, g, vscale, gscale = expected[name]
            if n["op"] != op:
                msgs.append(f"node {name}: op {n['op']}, expected {op}")
                continue
            for k, want in enumerate(ins):
                got = n["inputs"][k] if k < len(n["inputs"]) else None
                if want is None:
                    if got not in gs_nodes or gs_nodes[got]["op"] != "const":
                        msgs.append(f"node {name}: input {k} is {got}, expected a constant")
                elif got != want:
                    msgs.append(f"node {name}: input {k} is {got}, expected {want}")
            if len(n["inputs"]) != len(ins):
                msgs.append(f"node {name}: inputs {n['inputs']}, expected {len(ins)}")
            if n.get("line") != lines[name]:
                msgs.append(f"node {name}: line {n.get('line')}, expected {lines[name]}")
            if list(n["shape"]) != list(v.shape):
                msgs.append(f"node {name}: shape {n['shape']}, PyTorch {list(v.shape)}")
                continue
            for what, rows, ref, scale in (("value", n["value"], v, vscale), ("grad", n["grad"], g, gscale)):
                gs = to_tensor(rows)
                if not close(gs, ref, scale, f"{label}, node {name} {what}"):
                    diff = (gs - ref).abs().max().item() if gs.shape == ref.shape else math.nan
                    msgs.append(f"node {name} ({op}) {what} differs (max abs diff {diff:.3g}):\n"
                                f"  gradscope:\n{fmt_tensor(gs)}\n  pytorch:\n{fmt_tensor(ref)}")
        for name in expected:
            if name not in compared:
                msgs.append(f"node {name} ({expected[name][0]}) is missing from gradscope's JSON")
        if data.get("output") != output:
            msgs.append(f"the output is {data.get('output')}, expected {output}")
    if msgs:
        print(f"FAIL {label}\n--- program ---\n{text}---")
        for m in msgs:
            print("  " + m)
        return False, data
    return True, data


# --- fixed programs ----------------------------------------------------------------------

SEED_TEXT = """W = [[2, 1, 2], [1, 3, 1], [7, 4, 7]]
x = [[1], [0], [-1]]
Z = W @ x
y = sigmoid(Z)
f = norm2(y)
"""


def seed_statements():
    W = Input("W", [[2.0, 1.0, 2.0], [1.0, 3.0, 1.0], [7.0, 4.0, 7.0]], ANY)
    x = Input("x", [[1.0], [0.0], [-1.0]], ANY)
    Z = Op("matmul", [Ref(W), Ref(x)], (3, 1))
    Z.name = "Z"
    y = Op("sigmoid", [Ref(Z)], (3, 1))
    y.name = "y"
    f = Op("norm2", [Ref(y)], (1, 1))
    f.name = "f"
    return [("W", W), ("x", x), ("Z", Z), ("y", y), ("f", f)]


def check_seed(binary):
    """The course notebook, exactly: f = 0.75, df/dW rows [0.25, 0, -0.25], df/dx = [2.5, 2, 2.5]."""
    statements = seed_statements()
    expected, _ = run_torch(statements)
    ok, data = compare(binary, SEED_TEXT, expected, "f",
                       {name: k + 1 for k, (name, _) in enumerate(statements)}, "seed example")
    if data is None:
        return False
    nodes = {n["name"]: n for n in data["nodes"]}
    want = {("f", "value"): [[0.75]],
            ("W", "grad"): [[0.25, 0.0, -0.25]] * 3,
            ("x", "grad"): [[2.5], [2.0], [2.5]]}
    for (name, what), rows in want.items():
        got = nodes[name][what]
        if not close(to_tensor(got), torch.tensor(rows)):
            print(f"FAIL seed example: {name} {what} is {got}, expected {rows}")
            ok = False
    return ok


def kink_statements():
    """relu and abs at exactly 0: gradient 0 there, as in PyTorch."""
    x = Input("x", [[0.0, 1.5, -2.0], [0.5, 0.0, -0.25]], ANY)
    r = Op("relu", [Ref(x)], (2, 3))
    a = Op("abs", [Ref(x)], (2, 3))
    s = Op("add", [Op("mul", [Ref(r), Const(3)], (2, 3)), Ref(a)], (2, 3))   # r * 3 + a
    f = Op("sum", [Ref(s)], (1, 1))
    statements = [("x", x), ("r", r), ("a", a), ("s", s), ("f", f)]
    assign_names(statements)
    return statements


def softplus_statements():
    """softplus and its slope from -800 to 800: tails of 1e-300 and 1 - 1e-17, the overflow of
    exp and the switch to the identity."""
    xs = [float(v) for v in range(-800, 801, 5)] + [-745.5, -37.5, -20.5, 20.5, 33.3, 37.5, 40.5, 709.5]
    x = Input("x", [xs], ANY)
    s = Op("softplus", [Ref(x)], (1, len(xs)))
    f = Op("sum", [Ref(s)], (1, 1))
    statements = [("x", x), ("s", s), ("f", f)]
    assign_names(statements)
    return statements


def check_softplus(binary):
    """The range check above, and every entry within a relative 1e-13 (the rounding scale of a
    whole node allows more than a 1e-18 tail can show)."""
    statements = softplus_statements()
    expected, _ = run_torch(statements)
    text, lines = program_text(statements, random.Random(0), "# softplus from -800 to 800")
    ok, data = compare(binary, text, expected, "f", lines, "softplus from -800 to 800")
    if not ok:
        return False
    nodes = {n["name"]: n for n in data["nodes"]}
    for name, what, ref in (("s", "value", expected["s"][2]), ("x", "grad", expected["x"][3])):
        gs = to_tensor(nodes[name][what])
        bad = ((gs - ref).abs() > 1e-13 * ref.abs() + 1e-300).nonzero()
        if len(bad):
            k = bad[0][1].item()
            print(f"FAIL softplus from -800 to 800: {name} {what} at x = {statements[0][1].value[0][k]} "
                  f"is {gs[0][k].item()!r}, PyTorch {ref[0][k].item()!r} ({len(bad)} entries differ)")
            return False
    return True


def check_shape_errors(binary):
    """A mismatched '@' is rejected: exit code 2 and 'FILE:LINE:COL: error: cannot apply '@''."""
    cases = [
        ("A = [[1, 2], [3, 4]]\nx = [[1], [2], [3]]\nf = sum(A @ x)\n", 3),
        ("# nested\nW = [[1, 2, 3]]\nv = [[1], [2]]\nh = sigmoid(W.T)\nf = norm2(tanh(h + 1) @ (v * 2))\n", 5),
    ]
    ok = True
    for text, line in cases:
        col = text.splitlines()[line - 1].index("@") + 1
        proc = run_gradscope(binary, text)
        want = f":{line}:{col}: error: cannot apply '@'"
        if proc.returncode != 2 or want not in proc.stderr or proc.stdout.strip():
            print(f"FAIL shape error check: exit {proc.returncode}, expected 2 and stderr containing "
                  f"{want!r}\n--- program ---\n{text}--- stderr ---\n{proc.stderr}--- stdout ---\n{proc.stdout}")
            ok = False
    return ok


# micrograd's test_more_ops, written almost verbatim: powers, reassignment (c, c', c''), relu.
MICROGRAD_TEXT = """a = -4.0
b = 2.0
c = a + b
d = a * b + b**3
c += c + 1
c += 1 + c + (-a)
d += d * 2 + relu(b + a)
d += 3 * d + relu(b - a)
e = c - d
f = e**2
g = f / 2.0
g += 10.0 / f
"""
# An alias is a node of its own: b = a, and a name assigned its own value again.
ALIAS_TEXT = "x = [[1, -2]]\nb = x\nb = b\nc = b * x\nc -= x ** (1/3 + 2/3)\nf = sum(c * b')\n"


# Gathers and slices: an embedding lookup with a repeated row, logprobs[range(n), Yb], a block.
GATHER_C = [[0.5, -1.0], [1.5, 0.25], [-0.75, 2.0], [0.1, 0.2], [-1.2, 0.7]]
GATHER_W = [[0.3, -0.6, 0.9], [0.8, 0.4, -0.2]]
GATHER_TEXT = (f"C = {fmt_matrix(GATHER_C)}\nXb = [[1], [4], [1], [0]]\nW = {fmt_matrix(GATHER_W)}\n"
               "Y = [[2], [0], [1], [2]]\nE = C[Xb]\nH = tanh(E @ W)\nP = H[range(4), Y]\nS = H[1:3, :2]\n"
               "c = H[:, 1]\nf = sum(P) + sum(S * S) + sum(c) + H[-1, 0] + sum(C[-2])\n")


def torch_reassigned():
    """The two programs in PyTorch, each version of a name kept under its shown name."""
    out = []
    t = {}
    a = t["a"] = torch.tensor([[-4.0]], requires_grad=True)
    b = t["b"] = torch.tensor([[2.0]], requires_grad=True)
    c = t["c"] = a + b
    d = t["d"] = a * b + b ** 3
    c = t["c'"] = c + (c + 1)
    c = t["c''"] = c + (1 + c + (-a))
    d = t["d'"] = d + (d * 2 + (b + a).relu())
    d = t["d''"] = d + (3 * d + (b - a).relu())
    e = t["e"] = c - d
    f = t["f"] = e ** 2
    g = t["g"] = f / 2.0
    t["g'"] = g + 10.0 / f
    out.append((MICROGRAD_TEXT, t, "g'"))
    t = {}
    x = t["x"] = torch.tensor([[1.0, -2.0]], requires_grad=True)
    b = t["b"] = x.clone()
    t["b'"] = b.clone()
    c = t["c"] = t["b'"] * x
    c = t["c'"] = c - x ** 1.0
    t["f"] = (c * t["b'"]).sum().reshape(1, 1)
    out.append((ALIAS_TEXT, t, "f"))
    t = {}
    C = t["C"] = torch.tensor(GATHER_C, requires_grad=True)
    Xb = t["Xb"] = torch.tensor([[1.0], [4.0], [1.0], [0.0]], requires_grad=True)
    W = t["W"] = torch.tensor(GATHER_W, requires_grad=True)
    Y = t["Y"] = torch.tensor([[2.0], [0.0], [1.0], [2.0]], requires_grad=True)
    E = t["E"] = C[Xb.detach().long().flatten()]
    H = t["H"] = torch.tanh(E @ W)
    P = t["P"] = H[torch.arange(4), Y.detach().long().flatten()].reshape(-1, 1)
    S = t["S"] = H[1:3, :2]
    c = t["c"] = H[:, 1:2]
    t["f"] = P.sum().reshape(1, 1) + (S * S).sum() + c.sum() + H[-1, 0].reshape(1, 1) + C[-2].sum()
    out.append((GATHER_TEXT, t, "f"))
    return out


def check_reassigned(binary, ops_seen):
    """Every version of every reassigned name against PyTorch, and micrograd's own numbers:
    g = 24.70408163265306, dg/da = 138.83381924198252, dg/db = 645.5772594752186."""
    ok = True
    for text, tensors, output in torch_reassigned():
        for v in tensors.values():
            v.retain_grad()
        tensors[output].backward()
        proc = run_gradscope(binary, text)
        if proc.returncode != 0:
            print(f"FAIL fixed program: gradscope exited with {proc.returncode}:\n{proc.stderr}")
            ok = False
            continue
        data = json.loads(proc.stdout)
        nodes = {n["name"]: n for n in data["nodes"]}
        ops_seen.update(n["op"] for n in data["nodes"])
        if data["output"] != output:
            print(f"FAIL reassignment: the output is {data['output']}, expected {output}")
            ok = False
        for name, t in tensors.items():
            g = t.grad if t.grad is not None else torch.zeros_like(t)
            if name not in nodes or not close(to_tensor(nodes[name]["value"]), t.detach()) or \
                    not close(to_tensor(nodes[name]["grad"]), g):
                print(f"FAIL fixed program: node {name} differs from PyTorch\n--- program ---\n{text}---")
                ok = False
    nodes = {n["name"]: n for n in json.loads(run_gradscope(binary, MICROGRAD_TEXT).stdout)["nodes"]}
    for name, what, want in (("g'", "value", 24.70408163265306), ("a", "grad", 138.83381924198252),
                             ("b", "grad", 645.5772594752186)):
        if abs(nodes[name][what][0][0] - want) > 1e-12 * abs(want):
            print(f"FAIL micrograd test_more_ops: {name} {what} is {nodes[name][what][0][0]}, expected {want}")
            ok = False
    return ok


# The built-in `ninja` example (Karpathy's backprop-ninja MLP at small sizes): every node,
# value and gradient, against the same computation in PyTorch float64, to 1e-9. gradscope's
# inputs are read from its own JSON; everything else PyTorch computes.
NINJA_TOLERANCE = 1e-9


def torch_ninja(inputs):
    t = {name: torch.tensor(rows, requires_grad=True) for name, rows in inputs.items()}
    index = {name: t[name].detach().long().flatten() for name in ("X0", "X1", "X2", "Yb")}
    t["emb0"], t["emb1"], t["emb2"] = (t["C"][index[x]] for x in ("X0", "X1", "X2"))
    t["embcat"] = torch.cat([t["emb0"], t["emb1"], t["emb2"]], 1)
    t["matmul_1"] = t["embcat"] @ t["W1"]
    t["hprebn"] = t["matmul_1"] + t["b1"]
    t["sum_axis_1"] = t["hprebn"].sum(0, keepdim=True)
    t["bnmeani"] = t["sum_axis_1"] / 8
    t["bndiff"] = t["hprebn"] - t["bnmeani"]
    t["bndiff2"] = t["bndiff"] ** 2
    t["sum_axis_2"] = t["bndiff2"].sum(0, keepdim=True)
    t["bnvar"] = t["sum_axis_2"] / 7
    t["add_1"] = t["bnvar"] + 1e-5
    t["bnvar_inv"] = t["add_1"] ** -0.5
    t["bnraw"] = t["bndiff"] * t["bnvar_inv"]
    t["mul_1"] = t["bngain"] * t["bnraw"]
    t["hpreact"] = t["mul_1"] + t["bnbias"]
    t["h"] = torch.tanh(t["hpreact"])
    t["matmul_2"] = t["h"] @ t["W2"]
    t["logits"] = t["matmul_2"] + t["b2"]
    t["logit_maxes"] = t["logits"].max(1, keepdim=True).values
    t["norm_logits"] = t["logits"] - t["logit_maxes"]
    t["counts"] = t["norm_logits"].exp()
    t["counts_sum"] = t["counts"].sum(1, keepdim=True)
    t["counts_sum_inv"] = t["counts_sum"] ** -1
    t["probs"] = t["counts"] * t["counts_sum_inv"]
    t["logprobs"] = t["probs"].log()
    t["gather_1"] = t["logprobs"][torch.arange(8), index["Yb"]].reshape(-1, 1)
    t["mean_1"] = t["gather_1"].mean().reshape(1, 1)
    t["loss"] = -t["mean_1"]
    for v in t.values():
        v.retain_grad()
    t["loss"].backward()
    return t


def check_ninja(binary):
    proc = subprocess.run([binary, "eval", "--example", "ninja", "--json"], capture_output=True, text=True,
                          timeout=30)
    if proc.returncode != 0:
        print(f"FAIL ninja example: gradscope exited with {proc.returncode}:\n{proc.stderr}")
        return False
    nodes = {n["name"]: n for n in json.loads(proc.stdout)["nodes"] if n["op"] != "const"}
    t = torch_ninja({name: n["value"] for name, n in nodes.items() if n["op"] == "input"})
    ok = set(nodes) == set(t)
    if not ok:
        print(f"FAIL ninja example: nodes {sorted(nodes)}, PyTorch computed {sorted(t)}")
    worst = 0.0
    for name in sorted(set(nodes) & set(t)):
        ref = t[name]
        for what, rows, want in (("value", nodes[name]["value"], ref.detach()),
                                 ("grad", nodes[name]["grad"], ref.grad if ref.grad is not None else
                                  torch.zeros_like(ref))):
            got = to_tensor(rows)
            diff = (got - want).abs().max().item() if got.shape == want.shape else math.inf
            worst = max(worst, diff)
            if not diff <= NINJA_TOLERANCE:
                print(f"FAIL ninja example: {name} {what} differs from PyTorch by {diff:.3g}:\n"
                      f"  gradscope:\n{fmt_tensor(got)}\n  pytorch:\n{fmt_tensor(want)}")
                ok = False
    # The formulas themselves: batch norm's 1/(n-1) variance and the loss are PyTorch's own.
    bnvar = t["hprebn"].detach().var(0, keepdim=True, unbiased=True)
    loss = torch.nn.functional.cross_entropy(t["logits"].detach(), t["Yb"].detach().long().flatten())
    for name, want in (("bnvar", bnvar), ("loss", loss.reshape(1, 1))):
        if not (to_tensor(nodes[name]["value"]) - want).abs().max().item() <= NINJA_TOLERANCE:
            print(f"FAIL ninja example: {name} is not PyTorch's {want.tolist()}")
            ok = False
    print(f"ninja example: {len(nodes)} nodes, values and gradients within {worst:.2g} of PyTorch")
    return ok


# --- main --------------------------------------------------------------------------------

def main():
    global SEED, NUM_RANDOM
    args = sys.argv[1:]
    try:
        while len(args) > 1 and args[-2] in ("--seed", "--programs"):
            if args[-2] == "--seed":
                SEED = int(args[-1])
            else:
                NUM_RANDOM = int(args[-1])
            args = args[:-2]
    except ValueError:
        args = []
    if len(args) != 1:
        print("usage: torch_compare.py PATH/TO/gradscope [--seed N] [--programs N]", file=sys.stderr)
        return 2
    binary = args[0]
    load_ops(binary)
    start = time.monotonic()
    rng = random.Random(SEED)
    passed = failed = redrawn = 0
    ops_seen, reused_statements, nodes_compared = set(), 0, 0

    if check_seed(binary):
        passed += 1
    else:
        failed += 1
    kinks = kink_statements()
    expected, _ = run_torch(kinks)
    text, lines = program_text(kinks, rng, "# relu and abs at 0")
    ok, data = compare(binary, text, expected, "f", lines, "relu/abs at 0")
    if ok and data:
        xg = next(n for n in data["nodes"] if n["name"] == "x")["grad"]
        if xg[0][0] != 0.0 or xg[1][1] != 0.0:
            print(f"FAIL relu/abs at 0: df/dx = {xg}, expected 0 where x = 0")
            ok = False
    passed, failed = passed + ok, failed + (not ok)
    ok = check_softplus(binary)
    passed, failed = passed + ok, failed + (not ok)

    for i in range(NUM_RANDOM):
        for _attempt in range(1000):
            statements = Generator(rng).program()
            assign_names(statements)
            expected, problems = run_torch(statements)
            if not problems:
                break
            redrawn += 1
        else:
            raise RuntimeError("could not generate a well-conditioned program")
        text, lines = program_text(statements, rng, f"# random program {i} (seed {SEED})")
        ok, data = compare(binary, text, expected, statements[-1][0], lines, f"random program {i}")
        if ok:
            passed += 1
            ops_seen.update(n["op"] for n in data["nodes"])
            nodes_compared += len(expected)
            uses = {}
            for n in data["nodes"]:
                for name in n["inputs"]:
                    uses[name] = uses.get(name, 0) + 1
            if any(uses.get(name, 0) >= 2 for name, node in statements if isinstance(node, Op)):
                reused_statements += 1
        else:
            failed += 1

    if not check_shape_errors(binary):
        failed += 1
        print("FAIL shape error check")
    if check_ninja(binary):
        passed += 1
    else:
        failed += 1
    if check_reassigned(binary, ops_seen):
        passed += 1
    else:
        failed += 1
    missing = [op for op in ALL_OPS if op not in ops_seen]
    if failed == 0 and missing:
        print(f"FAIL coverage: the random programs never used {', '.join(missing)}")
        failed += 1

    elapsed = time.monotonic() - start
    print(f"seed example, relu/abs at 0, softplus from -800 to 800, reassignment (micrograd's test_more_ops), gathers and {NUM_RANDOM} random programs ({redrawn} redrawn as "
          f"ill-conditioned, {reused_statements} using a named node twice, {nodes_compared} nodes "
          f"compared, ops covered {len(ALL_OPS) - len(missing)}/{len(ALL_OPS)}); shape errors "
          f"checked; {elapsed:.1f} s")
    print(f"worst difference: {WORST[0]:.3g} of the allowance ({WORST[1]})")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
