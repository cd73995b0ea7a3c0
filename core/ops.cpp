// The registry that collects every op file's table, and the shared shape rules.
#include "ops.h"

namespace gs {

const std::vector<const OpDef*>& all_ops() {
  static const std::vector<const OpDef*> ops = [] {
    std::vector<const OpDef*> v;
    for (const auto* table : {&kMatrixOps, &kElementwiseOps, &kReduceOps})
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
  for (const OpDef* op : all_ops())
    if (!op->symbol) names.push_back(op->name);
  return names;
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
