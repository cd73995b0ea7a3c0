// The registry that collects every op file's table, and the shared shape rules.
#include "ops.h"

#include <algorithm>

#include "grad.h"

namespace gs {

const std::vector<const OpDef*>& all_ops() {
  static const std::vector<const OpDef*> ops = [] {
    std::vector<const OpDef*> v;
    for (const auto* table : {&kMatrixOps, &kBroadcastOps, &kElementwiseOps, &kReduceOps, &kAxisOps, &kShapeOps, &kIndexOps})
      for (const OpDef& op : *table) v.push_back(&op);
    return v;
  }();
  return ops;
}

const OpDef* find_op(std::string_view name) {
  for (const OpDef* op : all_ops())
    if (name == op->name) return op;
  return nullptr;
}

std::vector<std::string> function_names() {
  std::vector<std::string> names;
  for (const OpDef* op : all_ops()) {
    std::string name = op->function ? op->function : op->name;
    if (!op->symbol && std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

std::vector<const OpDef*> find_calls(std::string_view function) {
  std::vector<const OpDef*> ops;
  for (const OpDef* op : all_ops())
    if (!op->symbol && function == (op->function ? op->function : op->name)) ops.push_back(op);
  return ops;
}

std::vector<std::string> param_names(const OpDef& op) {
  std::vector<std::string> names;
  for (std::string_view p = op.params ? op.params : ""; !p.empty();) {
    size_t comma = std::min(p.find(','), p.size());
    names.emplace_back(p.substr(0, comma));
    p.remove_prefix(std::min(p.size(), comma + 2));  // ", "
  }
  return names;
}

const OpDef* find_operator(std::string_view symbol, int arity) {
  for (const OpDef* op : all_ops())
    if (op->symbol && symbol == op->symbol && op->arity == arity) return op;
  return nullptr;
}

void add_vjp(const OpDef& op, const Matrix* const* in, double attr, const Matrix& out, const Matrix& gout,
             Matrix* const* gin) {
  const size_t n = size_t(input_count(op, attr));
  std::vector<char> fresh(n, 0);  // adds, never assigns: the caller's matrices hold what they hold
  std::vector<Grad> grads(n);
  std::vector<Grad*> g(n, nullptr);
  for (size_t k = 0; k < n; ++k) {
    if (!gin[k]) continue;
    size_t first = size_t(std::find(gin, gin + k, gin[k]) - gin);
    g[k] = first < k ? g[first] : &(grads[k] = Grad(*gin[k], fresh[k]));  // one matrix, every contribution
  }
  op.vjp(in, attr, out, gout, g.data());
}

void no_vjp(const Matrix* const*, double, const Matrix&, const Matrix&, Grad* const*) {}
void no_jvp(const Matrix* const*, const Matrix* const*, double, const Matrix&, Matrix&, const OpDef&) {}

void symmetric_jvp(const Matrix* const* in, const Matrix* const* tin, double attr, const Matrix& out, Matrix& tout,
                   const OpDef& op) {
  if (!tin[0]) return;
  char fresh = 0;  // add to tout, which holds what the other inputs gave (zeros here: one input)
  Grad t(tout, fresh);
  Grad* const gin[kMaxArity] = {&t};
  op.vjp(in, attr, out, *tin[0], gin);
}

std::string same_shape(const Shape* in, double, Shape& out) {
  out = in[0];
  return "";
}

std::string to_scalar(const Shape*, double, Shape& out) {
  out = {1, 1};
  return "";
}

std::string equal_shapes(const Shape* in, double, Shape& out) {
  if (in[0] != in[1]) return "both arguments must have the same shape";
  out = {1, 1};
  return "";
}

}  // namespace gs
