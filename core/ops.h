// The op registry: one OpDef per operation holds everything the project knows about it:
// its names, shape rule, forward with its vector-Jacobian product (reverse mode) and its
// Jacobian-vector product (forward mode) side by side, the text the inspector shows, the
// hover's cell story, its PyTorch and NumPy text, and its line in the language reference.
// Nothing outside the op files compares op names.
//
// Contents: the function types | the VJP contract | the JVP contract | the cell story |
// OpDef (the record) | find_op / find_operator / all_ops (lookup) | helpers shared by op files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "matrix.h"

// Record fields that only the command line reads (`export --to latex`, `gradscope ops`): the browser build
// has no use for them and compiles them out, declaration and initializers, at no cost to the page.
#ifdef __EMSCRIPTEN__
#define GS_CLI_ONLY(...)
#else
#define GS_CLI_ONLY(...) __VA_ARGS__
#endif

// Scratch matrices that ops keep between calls, so that a recompute allocates nothing after the
// first: one per thread natively, plain statics in the single-threaded page (whose thread-local
// storage would need the atomics feature).
#ifdef __EMSCRIPTEN__
#define GS_SCRATCH static
#else
#define GS_SCRATCH thread_local
#endif

namespace gs {

class Grad;      // core/grad.h: the gradient a VJP adds to
class Graph;     // core/graph.h
struct CellRef;  // core/cell_story.h: one matrix entry of a node (value or gradient)
struct OpDef;

// The most matrix inputs an op with a fixed count takes (the gather X[I, J] takes three), and
// the arity of ops that take any number (hstack): those receive the count as `attr`.
constexpr int kMaxArity = 3;
constexpr int kAnyArity = -1;

// Returns "" when the input shapes are acceptable and sets `out`; otherwise a reason
// ("the left side has 3 columns but the right side has 2 rows").
using ShapeFn = std::string (*)(const Shape* in, double attr, Shape& out);
// out = op(in[0], in[1]); `out` is already sized by the shape rule.
using ForwardFn = void (*)(const Matrix* const* in, double attr, Matrix& out);

// The VJP contract: for every input k whose gin[k] is not null, add that input's share of the
// output gradient `gout`:
//
//     *gin[k] += contribution;            // or gin[k]->array() += ..., *gin[k] -= ...
//
// A contribution reads the inputs, the output and gout, never gin[k] itself. That is all an
// op needs to know; Grad (core/grad.h) behaves like the input's gradient matrix.
using VjpFn = void (*)(const Matrix* const* in, double attr, const Matrix& out, const Matrix& gout,
                       Grad* const* gin);

// The JVP contract (forward mode): for every input k whose tangent tin[k] is not null (null:
// that input does not move along the direction), add its share of the output's tangent:
//
//     tout += contribution;               // tout arrives zeroed, shaped like out
//
// A contribution reads the inputs, their tangents and the output. It is the VJP transposed:
// <gout, jvp(t)> = <t, vjp(gout)> for every gout and t (tests/test_forward.cpp checks it).
// `op` is the op's own record, for rules written with its VJP (symmetric_jvp).
using JvpFn = void (*)(const Matrix* const* in, const Matrix* const* tin, double attr, const Matrix& out,
                       Matrix& tout, const OpDef& op);

// How the hover tells one cell's chain rule, in words and the engine's own numbers. The
// families (entrywise, transposed, product, whole) live in core/cell_story.cpp; each op's
// record names its family.
struct CellStory {
  // How entry (r, c) of node `id` is made from its inputs' entries ("Z[2][0] = row 2 of W ...
  // = 7*1 + ..."), without the final value; the entries it reads are appended to `reads`.
  std::string (*value)(const Graph& g, int id, long r, long c, std::vector<CellRef>& reads);
  // How node `user` sends input k its share of d(input)[r][c], without the final number.
  std::string (*share)(const Graph& g, int user, int k, long r, long c, std::vector<CellRef>& reads);
};

struct OpDef {
  const char* name;      // "matmul", "sigmoid": the op name in JSON and the UI
  const char* symbol;    // "@", "+": infix or postfix spelling, or nullptr for functions
  int arity;             // matrix inputs: 1 to kMaxArity, or kAnyArity
  ShapeFn shape;
  ForwardFn forward;
  VjpFn vjp;
  // Forward mode: the output's tangent from the inputs' tangents (core/forward.h).
  JvpFn jvp;
  // What the inspector shows, with {0} {1} for the inputs' names, {out} for the node's, {p}
  // for the exponent.
  const char* formula;   // the forward in words: "{out} = sigmoid({0})"
  const char* local;     // the local derivative: "d{out}/d{0} = {out} * (1 - {out})  (elementwise)"
  const char* chain[kMaxArity];  // the chain rule per input: "d{0} += d{out} @ {1}^T"
  const char* explain;   // one paragraph for a first course
  // The hover's cell-level story: its family (core/cell_story.h) and, for the entrywise and
  // transposed families, one entry's formula with {0} {1} for the input entries and {p} for
  // the exponent: "sigmoid({0})", "{0} + {1}".
  const CellStory* story;
  const char* cell;
  // Export text (core/export.cpp): Python with {0} {1} for the inputs, {out} for the node's
  // value, {g} for its gradient and {p} for the exponent; each stands for a plain name.
  const char* torch;          // the forward in PyTorch: "torch.sigmoid({0})"
  const char* numpy;          // the forward in NumPy, in the engine's stable form: "sigmoid({0})"
  // Each input's contribution, summed to its shape: "{g} * {out} * (1 - {out})"; {k} is the
  // input's position (for kAnyArity ops, whose one text serves every input).
  const char* numpy_vjp[kMaxArity];
  const char* numpy_helpers;  // the Python functions the NumPy text calls ("" for none)
  // LaTeX for `export --to latex` (core/export_latex.cpp), math mode with amsmath only: @0 @1
  // for the inputs, @out for the node, @g for the output's gradient with respect to the node,
  // @p for the exponent, @N and @n for the entries and columns of input 0 and @s0 for its
  // shape ("3 \\times 2"), @bc0 @bc1 for "summed back to the input's shape" (an operator
  // written only where that input was broadcast). \odot and \oslash are entrywise.
  GS_CLI_ONLY(const char* latex;)           // the forward's right side: "\\sigma(@0)"
  GS_CLI_ONLY(const char* latex_chain[kMaxArity];)  // each input's contribution: "@g \\odot @out \\odot (1 - @out)"
  // The language reference (README): how a program writes it, and what it does.
  const char* usage;          // "a @ b", "sigmoid(a)"
  GS_CLI_ONLY(const char* doc;)  // "matrix product" (`gradscope ops` and the README's table)
  const char* attr_name = nullptr;  // the JSON key of the number the op takes ("exponent"), if any
  // Multiply-adds of one forward pass, for ops whose work grows faster than their operands
  // (compile() bounds the total); nullptr for ops linear in their entries.
  long long (*multiply_adds)(const Shape* in) = nullptr;
  // Calls with numbers (core/compile.cpp). A program calls the op as `function` (sum_axis is
  // sum(X, axis)), or by its name when that is null. `params` names the numbers the call
  // passes after its matrices, each written as a number or `name=number`: one number ("axis",
  // "k") arrives as attr; "rows, cols" is a requested shape, which reaches the shape rule as
  // the Shape after the inputs' and is the node's shape afterwards.
  const char* function = nullptr;
  const char* params = nullptr;
  // True when the result carries no gradient, as integers and constants do in PyTorch
  // (argmax, zeros): nothing is sent to it, so it sends nothing on either.
  bool no_grad = false;
  // A reason when the inputs' values cannot be used ("I[3] is 7, outside 0 to 4"), checked by
  // compile(); the forward pass must stay safe on such values anyway.
  std::string (*check)(const Matrix* const* in, double attr) = nullptr;
  // For ops that read integer indices (the gathers X[I], X[I, J]): input k holds indices below
  // index_bound(in, k) (0 for an input of numbers). An index gets no gradient, derive mode keeps
  // its values at perturbed points, and the app edits it in whole steps within range.
  int (*index_bound)(const Shape* in, int k) = nullptr;

  // Input k's chain rule and NumPy VJP text: a kAnyArity op has one for every input.
  const char* chain_for(int k) const { return chain[arity == kAnyArity ? 0 : k]; }
  const char* numpy_vjp_for(int k) const { return numpy_vjp[arity == kAnyArity ? 0 : k]; }
};

// The op called `name` in programs and JSON, or nullptr.
const OpDef* find_op(std::string_view name);
// The op written with `symbol` ("@", "-", ".T") taking `arity` inputs, or nullptr.
const OpDef* find_operator(std::string_view symbol, int arity);
// Every registered op, in registry order.
const std::vector<const OpDef*>& all_ops();
// The function names a program may call (for "did you mean" and the docs).
std::vector<std::string> function_names();
// The ops a call `function(...)` may mean, fewest arguments first (sum, then sum_axis).
std::vector<const OpDef*> find_calls(std::string_view function);
// The numbers a call of `op` passes after its matrices: "rows, cols" -> {"rows", "cols"}.
std::vector<std::string> param_names(const OpDef& op);
// Runs op.vjp adding into plain matrices, as the inspector does to show one contribution;
// `in` and `gin` hold one entry per input (input_count(op, attr)).
void add_vjp(const OpDef& op, const Matrix* const* in, double attr, const Matrix& out, const Matrix& gout,
             Matrix* const* gin);
// The number of matrix inputs a node of `op` with this attr has.
inline int input_count(const OpDef& op, double attr) { return op.arity == kAnyArity ? int(attr) : op.arity; }

// Registered by the op files (ops_matrix.cpp, ops_broadcast.cpp, ops_elementwise.cpp, ops_reduce.cpp).
extern const std::vector<OpDef> kBroadcastOps;
extern const std::vector<OpDef> kElementwiseOps;
extern const std::vector<OpDef> kMatrixOps;
extern const std::vector<OpDef> kReduceOps;
extern const std::vector<OpDef> kAxisOps;   // ops_axis.cpp: sum(X, axis) ..., max, min, argmax
extern const std::vector<OpDef> kShapeOps;  // ops_shape.cpp: zeros ..., onehot, reshape, hstack, vstack
extern const std::vector<OpDef> kIndexOps;  // ops_index.cpp

// The smallest bound of the index inputs `node` is read as (core/ops_index.cpp), or 0 when no
// op reads it as an index.
int index_bound(const Graph& g, int node);

// --- helpers shared by op files ---------------------------------------------------

std::string same_shape(const Shape* in, double, Shape& out);   // unary elementwise
std::string to_scalar(const Shape* in, double, Shape& out);    // reductions to (1, 1)
std::string equal_shapes(const Shape* in, double, Shape& out); // binary, output (1, 1)
void no_vjp(const Matrix* const*, double, const Matrix&, const Matrix&, Grad* const*);  // no_grad ops
void no_jvp(const Matrix* const*, const Matrix* const*, double, const Matrix&, Matrix&, const OpDef&);  // and their tangent
// The JVP of a one-input op whose Jacobian is symmetric: J t = J^T t, so its VJP applied to the
// tangent is its JVP. Entrywise ops qualify (J is diagonal: sigmoid's holds y(1 - y)), and so
// does softmax (J = diag(p) - p p^T, column by column).
void symmetric_jvp(const Matrix* const* in, const Matrix* const* tin, double attr, const Matrix& out, Matrix& tout,
                   const OpDef& op);
// Copies (add = false) or adds the rows x cols block of `from` at (fr, fc) into `to` at (tr, tc),
// for the ops that only move entries (core/ops_shape.cpp, core/ops_index.cpp).
void move_block(const Matrix& from, Eigen::Index fr, Eigen::Index fc, Matrix& to, Eigen::Index tr, Eigen::Index tc,
                Eigen::Index rows, Eigen::Index cols, bool add);

}  // namespace gs
