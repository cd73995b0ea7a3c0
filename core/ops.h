// The op registry: one OpDef per operation, with its shape rule, forward and
// vector-Jacobian product side by side, plus the text the inspector shows.
//
// Contents: OpDef (the record), find_op / all_ops (lookup), helpers shared by op files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "matrix.h"

namespace gs {

// Returns "" when the input shapes are acceptable and sets `out`; otherwise a reason
// ("the left side has 3 columns but the right side has 2 rows").
using ShapeFn = std::string (*)(const Shape* in, double attr, Shape& out);
// out = op(in[0], in[1]); `out` is already sized by the shape rule.
using ForwardFn = void (*)(const Matrix* const* in, double attr, Matrix& out);
// gin[i] += (d out / d in[i])^T applied to gout; a null gin[i] needs no gradient.
using VjpFn = void (*)(const Matrix* const* in, double attr, const Matrix& out,
                       const Matrix& gout, Matrix* const* gin);

struct OpDef {
  const char* name;      // "matmul", "sigmoid": the op name in JSON and the UI
  const char* symbol;    // "@", "+": infix or postfix spelling, or nullptr for functions
  int arity;             // 1 or 2 matrix inputs
  ShapeFn shape;
  ForwardFn forward;
  VjpFn vjp;
  const char* formula;   // the forward in words: "{out} = sigmoid({0})"
  const char* local;     // the local derivative: "d{out}/d{0} = {out} * (1 - {out})  (elementwise)"
  const char* chain[2];  // the chain rule per input: "d{0} += d{out} @ {1}^T"
  const char* explain;   // one paragraph for a first course
};

// The op called `name` in programs and JSON, or nullptr.
const OpDef* find_op(std::string_view name);
// Every registered op, in registry order.
const std::vector<const OpDef*>& all_ops();
// The function names a program may call (for "did you mean" and the docs).
std::vector<std::string> function_names();

// Registered by the op files (ops_elementwise.cpp, ops_matrix.cpp, ops_reduce.cpp).
extern const std::vector<OpDef> kElementwiseOps;
extern const std::vector<OpDef> kMatrixOps;
extern const std::vector<OpDef> kReduceOps;

// --- helpers shared by op files ---------------------------------------------------

std::string same_shape(const Shape* in, double, Shape& out);   // unary elementwise
std::string to_scalar(const Shape* in, double, Shape& out);    // reductions to (1, 1)
std::string equal_shapes(const Shape* in, double, Shape& out); // binary, output (1, 1)

}  // namespace gs
