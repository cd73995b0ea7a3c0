// Jacobians a column at a time from the ops' JVPs (a row at a time from the VJP when a
// chosen row is all that is shown), labelled by entry, and checked against the VJP.
#include "jacobian.h"

#include <cmath>

#include "cell_story.h"
#include "forward.h"
#include "serialize.h"

namespace gs {
namespace {

// m's entries in one row, row by row: the order of the labels.
Matrix row_major(const Matrix& m) {
  Matrix out(1, m.size());  // (1, entries)
  for (Eigen::Index r = 0; r < m.rows(); ++r)
    for (Eigen::Index c = 0; c < m.cols(); ++c) out(0, r * m.cols() + c) = m(r, c);
  return out;
}

// A matrix of m's shape with a 1 at entry e (row-major) and 0 elsewhere.
Matrix unit(const Matrix& m, long e) {
  Matrix u = Matrix::Zero(m.rows(), m.cols());  // (rows, cols) of m
  u(e / m.cols(), e % m.cols()) = 1;
  return u;
}

std::vector<std::string> labels(const Node& n, long only = -1) {
  std::vector<std::string> out;
  for (long e = only < 0 ? 0 : only; e < (only < 0 ? long(n.value.size()) : only + 1); ++e)
    out.push_back(entry_label(n.name, e / n.value.cols(), e % n.value.cols()));
  return out;
}

// Fills J from `column(j)` (forward mode) or `row(i)` (reverse mode): in full, or the chosen
// row or column when J is larger than 64 x 64, with the note that says so.
template <class Column, class Row>
Result<Jacobian> build(const Graph& g, Jacobian j, long chosen, Column column, Row row) {
  const Node& of = g.node(j.of);
  const Node& wrt = g.node(j.wrt);
  const std::string size = std::to_string(j.rows) + " x " + std::to_string(j.cols);
  if (j.rows <= kJacobianSide && j.cols <= kJacobianSide) {
    j.J.resize(j.rows, j.cols);
    for (long c = 0; c < j.cols; ++c) j.J.col(c) = column(c);
    j.row_labels = labels(of);
    j.col_labels = labels(wrt);
    return j;
  }
  const bool by_row = j.rows > kJacobianSide;
  const long count = by_row ? j.rows : j.cols;
  if (chosen < 0 || chosen >= count)
    return Error{"J is " + size + ": there is no " + (by_row ? "row " : "column ") + std::to_string(chosen) +
                 " (0 to " + std::to_string(count - 1) + ")"};
  if (by_row) {
    j.J = row(chosen);
    j.row_labels = labels(of, chosen);
    j.col_labels = labels(wrt);
  } else {
    j.J = column(chosen);
    j.row_labels = labels(of);
    j.col_labels = labels(wrt, chosen);
  }
  j.note = "J is " + size + ", more than " + std::to_string(kJacobianSide) + " " + (by_row ? "rows" : "columns") +
           ": showing " + (by_row ? "row " + j.row_labels[0] + " (one reverse sweep)"
                                  : "column " + j.col_labels[0] + " (one forward sweep)");
  return j;
}

void compare(Jacobian& j) {
  j.product = j.upstream * j.J;  // g^T J  (1, cols) = (1, rows)(rows, cols)
  j.max_difference = 0;
  for (Eigen::Index c = 0; c < j.product.size(); ++c) {  // a nan difference is the largest (not skipped)
    const double d = std::abs(j.product(c) - j.vjp(c));
    if (!(d <= j.max_difference)) j.max_difference = d;
  }
}

}  // namespace

std::string entry_label(const std::string& name, long r, long c) {
  return name + "[" + std::to_string(r) + "," + std::to_string(c) + "]";
}

Result<Jacobian> local_jacobian(const Graph& g, int node, int k, long chosen) {
  if (node < 0 || size_t(node) >= g.nodes.size()) return Error{"there is no such node"};
  const Node& n = g.node(node);
  if (n.kind != NodeKind::Op) return Error{"'" + n.name + "' is an input: it is not computed from other nodes"};
  if (k < 0 || k >= n.arity())
    return Error{"'" + n.name + "' has " + std::to_string(n.arity()) + " input" + (n.arity() == 1 ? "" : "s") +
                 ": there is no input " + std::to_string(k)};
  std::vector<const Matrix*> in;
  for (int i = 0; i < n.arity(); ++i) in.push_back(&g.node(n.inputs[i]).value);
  const Matrix& x = *in[size_t(k)];
  Jacobian j;
  j.of = node, j.wrt = n.inputs[k], j.rows = long(n.value.size()), j.cols = long(x.size());
  auto column = [&](long e) -> Matrix {  // J e_j: the op's JVP along one entry of input k
    Matrix dx = unit(x, e), tout = Matrix::Zero(n.value.rows(), n.value.cols());
    std::vector<const Matrix*> tin(in.size(), nullptr);
    tin[size_t(k)] = &dx;
    n.op->jvp(in.data(), tin.data(), n.attr, n.value, tout, *n.op);
    return row_major(tout).transpose();
  };
  auto row = [&](long e) -> Matrix { return row_major(vjp_share(g, node, k, unit(n.value, e))); };  // e_i^T J
  auto built = build(g, j, chosen, column, row);
  if (built.ok() && built->note.empty()) {
    built->upstream = row_major(n.grad);
    built->vjp = row_major(vjp_share(g, node, k, n.grad));
    compare(*built);
  }
  return built;
}

Result<Jacobian> output_jacobian(const Graph& g, int node, long chosen) {
  if (node < 0 || size_t(node) >= g.nodes.size()) return Error{"there is no such node"};
  const Node& n = g.node(node);
  Jacobian j;
  j.of = g.output, j.wrt = node, j.rows = 1, j.cols = long(n.value.size());
  auto column = [&](long e) -> Matrix {  // df along one entry of the node: one forward sweep from it
    std::vector<Matrix> seed(g.nodes.size());
    seed[size_t(node)] = unit(n.value, e);
    return tangent_sweep(g, seed)[size_t(g.output)];
  };
  auto row = [&](long) -> Matrix { return row_major(n.grad); };  // never used: J has one row
  auto built = build(g, j, chosen, column, row);
  if (built.ok() && built->note.empty()) {
    built->upstream = Matrix::Ones(1, 1);
    built->vjp = row_major(n.grad);
    compare(*built);
  }
  return built;
}

std::string jacobian_json(const Graph& g, const Jacobian& j, int indent) {
  JsonWriter w(indent);
  w.begin_object().key("of").string(g.node(j.of).name).key("wrt").string(g.node(j.wrt).name);
  w.key("rows").integer(j.rows).key("cols").integer(j.cols).key("J");
  write_matrix(w, j.J);
  for (const auto* labels : {&j.row_labels, &j.col_labels}) {
    w.key(labels == &j.row_labels ? "row_labels" : "col_labels").begin_array();
    for (const std::string& l : *labels) w.string(l);
    w.end_array();
  }
  w.key("note").string(j.note);
  for (const auto* m : {&j.upstream, &j.product, &j.vjp}) {
    w.key(m == &j.upstream ? "upstream" : m == &j.product ? "product" : "vjp");
    if (m->size()) write_matrix(w, *m);
    else w.null();
  }
  w.key("max_difference");
  if (j.note.empty()) w.number(j.max_difference);
  else w.null();
  w.end_object();
  return w.take();
}

}  // namespace gs
