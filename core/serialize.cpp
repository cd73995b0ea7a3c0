// JSON writing and reading through nlohmann/json.
#include "serialize.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "limits.h"

namespace gs {
namespace {

// Keys keep the order they are written in: name, op, inputs, shape, value, grad, ...
using json = nlohmann::ordered_json;

json rows(const Matrix& m) {
  json out = json::array();
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    json row = json::array();
    for (Eigen::Index c = 0; c < m.cols(); ++c) {
      double v = m(r, c);
      row.push_back(std::isfinite(v) ? json(v) : json(nullptr));
    }
    out.push_back(std::move(row));
  }
  return out;
}

const char* op_name(const Node& n) {
  return n.kind == NodeKind::Input ? "input" : n.kind == NodeKind::Constant ? "const" : n.op->name;
}

json node_object(const Graph& g, const Node& n) {
  json ins = json::array();
  for (int k = 0; k < n.arity(); ++k) ins.push_back(g.node(n.inputs[k]).name);
  json o = {{"name", n.name}, {"op", op_name(n)}, {"inputs", ins},
            {"shape", {n.value.rows(), n.value.cols()}}, {"value", rows(n.value)}, {"grad", rows(n.grad)},
            {"expr", n.expr}, {"line", n.line}};
  if (n.kind == NodeKind::Op && std::string(n.op->name) == "pow") o["exponent"] = n.attr;
  return o;
}

}  // namespace

std::string graph_json(const Graph& g, int indent) {
  json nodes = json::array();
  for (const Node& n : g.nodes) nodes.push_back(node_object(g, n));
  json out = {{"output", g.output >= 0 ? g.node(g.output).name : ""}, {"nodes", nodes}};
  return out.dump(indent);
}

std::string node_json(const Graph& g, int id) {
  const Node& n = g.node(id);
  json o = {{"value", rows(n.value)}, {"grad", rows(n.grad)}, {"shape", {n.value.rows(), n.value.cols()}}};
  return o.dump();
}

std::string check_json(const GradCheck& c, double tolerance, int indent) {
  json inputs = json::array();
  for (const InputCheck& i : c.inputs)
    inputs.push_back({{"name", i.name}, {"max_error", i.max_error},
                      {"worst", {i.worst_row, i.worst_col}}, {"numeric", rows(i.numeric)}});
  json out = {{"max_error", c.max_error}, {"tolerance", tolerance}, {"passed", c.passed(tolerance)},
              {"inputs", inputs}};
  return out.dump(indent);
}

Result<Matrix> matrix_from_json(const std::string& text) {
  if (text.size() > size_t(kMaxSourceBytes))
    return Error{"the value is " + std::to_string(text.size()) + " bytes of JSON; the limit is " +
                 std::to_string(kMaxSourceBytes)};
  // nlohmann's parser keeps its own stack, so deep nesting ([[[[...) cannot overflow ours.
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Error{"the value is not valid JSON: expected [[1, 2], [3, 4]]"};
  if (j.is_number()) return Matrix(Matrix::Constant(1, 1, j.get<double>()));
  if (!j.is_array() || j.empty()) return Error{"expected a non-empty list of rows, such as [[1, 2], [3, 4]]"};
  if (!j[0].is_array()) j = json::array({j});  // a flat list is one row
  size_t cols = j[0].size();
  if (cols == 0) return Error{"row 1 is empty"};
  if (j.size() > size_t(kMaxDim) || cols > size_t(kMaxDim) || double(j.size()) * double(cols) > double(kMaxElements))
    return Error{"the matrix is too large (limit " + std::to_string(kMaxDim) + " rows or columns)"};
  Matrix m(Eigen::Index(j.size()), Eigen::Index(cols));
  for (size_t r = 0; r < j.size(); ++r) {
    if (!j[r].is_array()) return Error{"row " + std::to_string(r + 1) + " is not a list"};
    if (j[r].size() != cols)
      return Error{"row " + std::to_string(r + 1) + " has " + std::to_string(j[r].size()) + " entries but row 1 has " +
                   std::to_string(cols)};
    for (size_t c = 0; c < cols; ++c) {
      const json& v = j[r][c];
      if (!v.is_number() || !std::isfinite(v.get<double>()))
        return Error{"entry [" + std::to_string(r) + "][" + std::to_string(c) + "] is not a finite number"};
      m(Eigen::Index(r), Eigen::Index(c)) = v.get<double>();
    }
  }
  return m;
}

}  // namespace gs
