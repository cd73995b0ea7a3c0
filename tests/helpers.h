// Helpers shared by the doctest files: compile-or-fail, matrices from text, approximate
// comparison, node lookup. Header-only; every function is inline.
#pragma once

#include <doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/compile.h"

namespace gs::testing {

// `source` fails to compile with exactly this message, at this line and column.
inline void check_compile_error(const std::string& source, const std::string& message, int line, int column) {
  CAPTURE(source);
  auto g = compile(source);
  REQUIRE_FALSE(g.ok());
  CHECK(g.error().message == message);
  CHECK(g.error().line == line);
  CHECK(g.error().column == column);
}

// The graph of `source`, or a test failure with the error (and the program, if short).
inline Graph compiled(const std::string& source, const Overrides& overrides = {}) {
  auto g = compile(source, overrides);
  if (!g) {
    // Some programs are a quarter of a megabyte on one line: show those by place only.
    std::string where = source.size() < 2000 ? g.error().format() + "\nin the program:\n" + source
                                             : g.error().message + " at " + std::to_string(g.error().line) + ":" +
                                                   std::to_string(g.error().column);
    FAIL(where);
  }
  return std::move(g.value());
}

inline Matrix matrix(const std::string& text) {
  auto m = parse_matrix(text);
  if (!m) FAIL(m.error().format("matrix"));
  return m.value();
}

// max over entries of |a - e| / max(1, |e|); +inf when the shapes differ or an entry is not finite.
inline double difference(const Matrix& actual, const Matrix& expected) {
  if (shape_of(actual) != shape_of(expected)) return INFINITY;
  double worst = 0;
  for (Eigen::Index i = 0; i < actual.size(); ++i) {
    double d = std::abs(actual.data()[i] - expected.data()[i]) / std::max(1.0, std::abs(expected.data()[i]));
    worst = std::max(worst, std::isfinite(d) ? d : INFINITY);
  }
  return worst;
}

inline void check_matrix(const Matrix& actual, const std::string& expected_text, double tolerance = 1e-12) {
  std::string actual_text = format_matrix(actual);
  CAPTURE(actual_text);
  CAPTURE(expected_text);
  CHECK(difference(actual, matrix(expected_text)) <= tolerance);
}

inline const Node& node(const Graph& g, const std::string& name) {
  int id = g.find(name);
  if (id < 0) FAIL(std::string("no node named '" + name + "'"));
  return g.node(id);
}

inline std::string op_of(const Node& n) {
  return n.kind == NodeKind::Input ? "input" : n.kind == NodeKind::Constant ? "const" : n.op->name;
}

// "W, x": a node's inputs as one comparable, printable string.
inline std::string inputs_of(const Graph& g, const Node& n) {
  std::string names;
  for (int k = 0; k < n.arity(); ++k) names += (k ? ", " : "") + g.node(n.inputs[k]).name;
  return names;
}

inline std::string repeat(const std::string& s, int n) {
  std::string out;
  out.reserve(s.size() * size_t(std::max(n, 0)));
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace gs::testing
