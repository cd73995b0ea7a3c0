// JSON writing and reading of graphs, gradient checks and matrices, on core/json.h.
#include "serialize.h"

#include <cmath>

#include "limits.h"

namespace gs {
namespace {

const char* op_name(const Node& n) {
  return n.kind == NodeKind::Input ? "input" : n.kind == NodeKind::Constant ? "const" : n.op->name;
}

void write_shape(JsonWriter& w, const Matrix& m) { w.begin_array().integer(m.rows()).integer(m.cols()).end_array(); }

}  // namespace

void write_matrix(JsonWriter& w, const Matrix& m) {
  w.begin_array();
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    w.begin_array();
    for (Eigen::Index c = 0; c < m.cols(); ++c) w.number(m(r, c));  // NaN and inf: null
    w.end_array();
  }
  w.end_array();
}

void write_node_members(JsonWriter& w, const Graph& g, const Node& n, bool show_value, bool show_grad) {
  w.key("name").string(n.name).key("op").string(op_name(n)).key("inputs").begin_array();
  for (int k = 0; k < n.arity(); ++k) w.string(g.node(n.inputs[k]).name);
  w.end_array().key("shape");
  write_shape(w, n.value);
  w.key("value");
  if (show_value) write_matrix(w, n.value);
  else w.null();
  w.key("grad");
  if (show_grad) write_matrix(w, n.grad);
  else w.null();
  w.key("expr").string(n.expr).key("line").integer(n.line);
  if (n.kind == NodeKind::Op && n.op->attr_name) w.key(n.op->attr_name).number(n.attr);
}

std::string graph_json(const Graph& g, int indent, const std::vector<Matrix>* tangents) {
  JsonWriter w(indent);
  w.begin_object().key("output").string(g.output >= 0 ? g.node(g.output).name : "").key("nodes").begin_array();
  for (const Node& n : g.nodes) {
    w.begin_object();
    write_node_members(w, g, n);
    if (tangents) write_matrix(w.key("tangent"), (*tangents)[size_t(&n - g.nodes.data())]);
    w.end_object();
  }
  w.end_array().end_object();
  return w.take();
}

std::string node_json(const Graph& g, int id) {
  const Node& n = g.node(id);
  JsonWriter w;
  w.begin_object().key("value");
  write_matrix(w, n.value);
  w.key("grad");
  write_matrix(w, n.grad);
  w.key("shape");
  write_shape(w, n.value);
  w.end_object();
  return w.take();
}

std::string check_json(const GradCheck& c, double tolerance, int indent) {
  JsonWriter w(indent);
  w.begin_object().key("max_error").number(c.max_error).key("tolerance").number(tolerance);
  w.key("passed").boolean(c.passed(tolerance)).key("entries").integer(c.entries).key("checked").integer(c.checked);
  w.key("sampled").boolean(c.sampled()).key("inputs").begin_array();
  for (const InputCheck& i : c.inputs) {
    w.begin_object().key("name").string(i.name).key("max_error").number(i.max_error).key("checked").integer(i.checked);
    w.key("worst").begin_array().integer(i.worst_row).integer(i.worst_col).end_array().key("numeric");
    write_matrix(w, i.numeric);
    w.end_object();
  }
  w.end_array().end_object();
  return w.take();
}

std::string ops_json(int indent) {
  JsonWriter w(indent);
  auto text = [&](const char* s) -> JsonWriter& { return s ? w.string(s) : w.null(); };
  w.begin_array();
  for (const OpDef* op : all_ops()) {
    w.begin_object().key("name").string(op->name).key("symbol");
    text(op->symbol).key("arity").integer(op->arity).key("usage");
    text(op->usage);
    GS_CLI_ONLY(w.key("doc"), text(op->doc);)  // only `gradscope ops --json` writes this list
    w.key("torch");
    text(op->torch).key("numpy");
    text(op->numpy).key("numpy_vjp").begin_array();
    for (int k = 0; k < (op->arity == kAnyArity ? 1 : op->arity); ++k) text(op->numpy_vjp[k]);
    w.end_array().key("attr");
    text(op->attr_name).key("shape");
    w.string(op->shape == same_shape ? "same" : op->shape == to_scalar || op->shape == equal_shapes ? "scalar" : "other");
    w.key("function").string(op->function ? op->function : op->name).key("params").begin_array();
    for (const std::string& p : param_names(*op)) w.string(p);
    w.end_array().key("no_grad").boolean(op->no_grad);
    w.end_object();
  }
  w.end_array();
  return w.take();
}

Result<Matrix> matrix_from_json(const std::string& text) {
  if (text.size() > size_t(kMaxSourceBytes))
    return Error{"the value is " + std::to_string(text.size()) + " bytes of JSON; the limit is " +
                 std::to_string(kMaxSourceBytes)};
  // parse_json keeps open brackets on the heap, so deep nesting ([[[[...) cannot overflow the stack.
  auto parsed = parse_json(text);
  if (!parsed) return Error{"the value is not valid JSON: expected [[1, 2], [3, 4]]"};
  const JsonValue& j = parsed.value();
  if (j.is_number()) return Matrix(Matrix::Constant(1, 1, j.as_number()));
  if (!j.is_array() || j.as_array().empty())
    return Error{"expected a non-empty list of rows, such as [[1, 2], [3, 4]]"};
  const bool flat = !j.as_array()[0].is_array();  // a flat list is one row
  const size_t rows = flat ? 1 : j.as_array().size();
  auto row = [&](size_t r) -> const JsonValue& { return flat ? j : j.as_array()[r]; };
  const size_t cols = row(0).as_array().size();
  if (cols == 0) return Error{"row 1 is empty"};
  if (rows > size_t(kMaxDim) || cols > size_t(kMaxDim) || double(rows) * double(cols) > double(kMaxElements))
    return Error{"the matrix is too large (limit " + std::to_string(kMaxDim) + " rows or columns)"};
  Matrix m(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));  // (rows, cols)
  for (size_t r = 0; r < rows; ++r) {
    if (!row(r).is_array()) return Error{"row " + std::to_string(r + 1) + " is not a list"};
    const JsonValue::Array& entries = row(r).as_array();
    if (entries.size() != cols)
      return Error{"row " + std::to_string(r + 1) + " has " + std::to_string(entries.size()) +
                   " entries but row 1 has " + std::to_string(cols)};
    for (size_t c = 0; c < cols; ++c) {
      if (!entries[c].is_number() || !std::isfinite(entries[c].as_number()))
        return Error{"entry [" + std::to_string(r) + "][" + std::to_string(c) + "] is not a finite number"};
      m(Eigen::Index(r), Eigen::Index(c)) = entries[c].as_number();
    }
  }
  return m;
}

}  // namespace gs
