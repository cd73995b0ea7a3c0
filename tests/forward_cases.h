// Test programs built from the op records, shared by the forward-mode, Jacobian and landscape
// tests: one program per op and accepted shape pair, and random programs that chain ops.
// Header-only; every function is inline.
#pragma once

#include <random>
#include <regex>
#include <string>
#include <vector>

#include "tests/helpers.h"

namespace gs::testing {

// A program "a = ...\n[b = ...\n]G = ...\ny = CALL\nf = sum(G * y)": the op's node is y, and
// the gradient reaching it from f is the random matrix G.
struct OpCase {
  const OpDef* op;
  std::string source;
  Graph g;
};

// How a program calls the op on a (and b): its usage for operators, name(a[, b]) otherwise,
// with its numbers (OpDef::params) after: sum(a, 1), zeros(3, 2), reshape(a, 3, 2), and
// onehot(argmax(a, 1), 3) for whole numbers below the class count.
inline std::string op_call(const OpDef& op) {
  if (op.symbol) {  // "a @ b"; a statement's right-hand side ("b = a", an alias: y = a)
    const std::string usage = op.usage;
    const size_t at = usage.find(" = ");
    return at == std::string::npos ? usage : usage.substr(at + 3);
  }
  std::vector<std::string> args;
  if (op.arity != 0) args.push_back("a");
  if (op.arity >= 2 || op.arity == kAnyArity) args.push_back("b");
  for (const std::string& p : param_names(op)) {
    args.push_back(p == "axis" ? "1" : p == "rows" ? "3" : p == "cols" ? "2" : "3");
    if (p == "k") args[0] = "argmax(a, 1)";
  }
  std::string call = std::string(op.function ? op.function : op.name) + "(";
  for (size_t i = 0; i < args.size(); ++i) call += (i ? ", " : "") + args[i];
  return call + ")";
}

inline Matrix random_entries(std::mt19937& rng, Shape s, double lo, double hi) {
  std::uniform_real_distribution<double> u(lo, hi);
  Matrix m(s.rows, s.cols);  // (s.rows, s.cols)
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = u(rng);
  return m;
}

// Every value and gradient is finite and moderate: no log of a negative, no overflow.
inline bool well_behaved(const Graph& g) {
  for (const Node& n : g.nodes)
    if (!n.value.allFinite() || !n.grad.allFinite() || n.value.cwiseAbs().maxCoeff() > 1e4) return false;
  return true;
}

// One case per op and each shape pair it accepts, entries drawn from (-2, 2), or from
// (0.05, 0.95) where the first draw is not well behaved (log, sqrt, bce).
inline std::vector<OpCase> op_cases(std::mt19937& rng) {
  const std::vector<std::pair<Shape, Shape>> pairs = {{{2, 3}, {2, 3}}, {{3, 3}, {3, 3}}, {{2, 3}, {3, 4}},
                                                      {{3, 2}, {1, 2}}, {{3, 1}, {3, 4}}, {{1, 1}, {2, 3}}};
  const std::vector<Shape> singles = {{2, 3}, {3, 3}, {3, 1}, {2, 2}};
  std::vector<OpCase> cases;
  for (const OpDef* op : all_ops()) {
    const bool two = op->arity != 1;  // two inputs (or any number: given two)
    const size_t count = two ? pairs.size() : singles.size();
    for (size_t i = 0; i < count; ++i) {
      const Shape sa = two ? pairs[i].first : singles[i];
      const Shape sb = two ? pairs[i].second : Shape{};
      for (double lo : {-2.0, 0.05}) {
        const double hi = lo < 0 ? 2.0 : 0.95;
        std::string inputs = "a = " + format_matrix(random_entries(rng, sa, lo, hi)) + "\n";
        if (two) inputs += "b = " + format_matrix(random_entries(rng, sb, lo, hi)) + "\n";
        auto plain = compile(inputs + "y = " + op_call(*op) + "\nf = sum(y)\n");
        if (!plain) break;  // the op does not take these shapes
        const Shape sy = plain->node(plain->find("y")).shape();
        std::string source = inputs + "G = " + format_matrix(random_entries(rng, sy, -2, 2)) + "\ny = " +
                             op_call(*op) + "\nf = sum(G * y)\n";
        Graph g = compiled(source);
        // (relu of all negatives moves nothing; an op without a gradient, argmax or zeros, never
        // moves a, and its case checks that its tangent is zero too)
        if (!well_behaved(g) || (g.node(g.find("a")).grad.isZero() && !op->no_grad)) continue;
        cases.push_back({op, source, std::move(g)});
        break;
      }
    }
  }
  return cases;
}

// A random program: inputs a (3, 2), b (3, 2), w (2, 3), s (1, 1), then `steps` statements
// n1, n2, ... each applying a random op to earlier names (redrawn until it compiles and stays
// well behaved), and f = norm2(last) + sum(an earlier statement).
inline std::string random_program(std::mt19937& rng, int steps) {
  std::string source = "a = " + format_matrix(random_entries(rng, {3, 2}, -1.5, 1.5)) +
                       "\nb = " + format_matrix(random_entries(rng, {3, 2}, 0.1, 0.9)) +
                       "\nw = " + format_matrix(random_entries(rng, {2, 3}, -1.5, 1.5)) +
                       "\ns = " + format_matrix(random_entries(rng, {1, 1}, 0.2, 1.5)) + "\n";
  std::vector<std::string> names = {"a", "b", "w", "s"};
  const std::vector<const OpDef*>& ops = all_ops();
  for (int step = 1; step <= steps; ++step) {
    for (int attempt = 0; attempt < 200; ++attempt) {
      const OpDef& op = *ops[std::uniform_int_distribution<size_t>(0, ops.size() - 1)(rng)];
      auto pick = [&] { return names[std::uniform_int_distribution<size_t>(0, names.size() - 1)(rng)]; };
      // The call with a and b replaced by earlier names (a placeholder first, so that a
      // name containing the letter b is not replaced again).
      std::string call = std::regex_replace(op_call(op), std::regex("\\ba\\b"), "@A@");
      call = std::regex_replace(call, std::regex("\\bb\\b"), pick());
      call = std::regex_replace(call, std::regex("@A@"), attempt % 3 == 0 ? names.back() : pick());
      const std::string name = "n" + std::to_string(step);
      const std::string line = name + " = " + call + "\n";
      auto g = compile(source + line + "f = norm2(" + name + ")\n");
      if (!g || !well_behaved(*g)) continue;
      source += line;
      names.push_back(name);
      break;
    }
  }
  if (names.size() == 4) return source + "f = norm2(a)\n";
  const std::string other = names[std::uniform_int_distribution<size_t>(4, names.size() - 1)(rng)];
  return source + "f = norm2(" + names.back() + ") + sum(" + other + ")\n";
}

}  // namespace gs::testing
