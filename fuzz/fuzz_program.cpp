// libFuzzer target for everything a program's text reaches: the lexer, parser, lowering and
// limits (compile), both sweeps (evaluate), the gradient check on small graphs, the exercise
// directives, and the promise that program_text() reopens: after the inputs take any finite
// values (or an override of another shape, as --set and the JS API give), compiling
// program_text() must succeed and give the same graph, bit for bit.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "check.h"
#include "core/compile.h"
#include "core/exercise.h"
#include "core/gradcheck.h"
#include "core/limits.h"

using namespace gs;
using gs::fuzz::identical;

namespace {

struct Snapshot {
  std::vector<Matrix> values, grads;
};

Snapshot snapshot(const Graph& g) {
  Snapshot s;
  for (const Node& n : g.nodes) s.values.push_back(n.value), s.grads.push_back(n.grad);
  return s;
}

bool same(const Snapshot& a, const Snapshot& b, bool grads = true) {
  if (a.values.size() != b.values.size()) return false;
  for (size_t i = 0; i < a.values.size(); ++i)
    if (!identical(a.values[i], b.values[i]) || (grads && !identical(a.grads[i], b.grads[i]))) return false;
  return true;
}

// The limits hold for every graph compile() returns.
void check_graph(const Graph& g) {
  FUZZ_CHECK(g.output >= 0 && size_t(g.output) < g.nodes.size(), "output %d", g.output);
  FUZZ_CHECK(g.node(g.output).shape() == (Shape{1, 1}), "output shape %s", to_string(g.node(g.output).shape()).c_str());
  FUZZ_CHECK(g.nodes.size() <= size_t(kMaxNodes), "%zu nodes", g.nodes.size());
  long long total = 0;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    FUZZ_CHECK(n.value.rows() >= 1 && n.value.cols() >= 1 && n.value.rows() <= kMaxDim && n.value.cols() <= kMaxDim,
               "node %s is %s", n.name.c_str(), to_string(n.shape()).c_str());
    FUZZ_CHECK(n.grad.rows() == n.value.rows() && n.grad.cols() == n.value.cols(), "grad shape of %s", n.name.c_str());
    for (int k = 0; k < n.arity(); ++k) FUZZ_CHECK(n.inputs[k] >= 0 && size_t(n.inputs[k]) < i, "topological order");
    FUZZ_CHECK(n.kind != NodeKind::Input || n.value.allFinite(), "input %s is not finite", n.name.c_str());
    total += n.value.size();
  }
  FUZZ_CHECK(total <= kMaxTotalElements, "%lld entries", total);
}

// Deterministic finite values from the input's bytes: the special ones first.
double pick(uint64_t& state) {
  state = state * 6364136223846793005ULL + 1442695040888963407ULL;
  uint64_t r = state >> 11;
  static const double special[] = {0.0, -0.0, 1.0, -1.0, 0.1, -2.5, 1e-320, -4.9406564584124654e-324,
                                   1.7976931348623157e308, -2.2250738585072014e-308, 0.30000000000000004, 1e22};
  if (r % 3 == 0) return special[(r / 3) % (sizeof special / sizeof *special)];
  double d;
  uint64_t bits = state ^ (state >> 29);
  std::memcpy(&d, &bits, sizeof d);
  return std::isfinite(d) ? d : double(int64_t(r % 2001) - 1000) / 8;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string source(reinterpret_cast<const char*>(data), size);
  auto compiled = compile(source);
  if (!compiled) {
    const Error& e = compiled.error();
    FUZZ_CHECK(!e.message.empty(), "empty message");
    FUZZ_CHECK(e.line >= 0 && e.column >= 0 && (e.line == 0 || e.column >= 1), "place %d:%d", e.line, e.column);
    FUZZ_CHECK(e.line == 0 || e.source_line == line_of(source, e.line), "source line of %d", e.line);
    FUZZ_CHECK(!e.format("f").empty(), "format");
    return 0;
  }
  Graph& g = compiled.value();
  check_graph(g);

  // Evaluating again changes nothing: no state leaks from one sweep into the next.
  Snapshot first = snapshot(g);
  g.evaluate();
  FUZZ_CHECK(same(first, snapshot(g)), "a second evaluate() changed a value or gradient");

  // The gradient check (the UI runs it on every change of a small graph) leaves the graph as found.
  long long entries = 0;
  for (int id : g.input_ids()) entries += g.node(id).value.size();
  if (g.nodes.size() <= 48 && entries <= 24) {
    GradCheck report = gradient_check(g);
    FUZZ_CHECK(report.inputs.size() == g.input_ids().size(), "one report per input");
    FUZZ_CHECK(report.max_error >= 0 || std::isnan(report.max_error), "max_error %g", report.max_error);
    FUZZ_CHECK(same(first, snapshot(g)), "gradient_check() did not restore the graph");
  }

  // Exercise directives are comments: parsing them never crashes, and removing them leaves the graph.
  auto ex = parse_exercise(source, g);
  if (ex) {  // "make this an exercise" writes the header above the program: it reads back the same
    auto again = parse_exercise(exercise_header(ex.value()), g);
    FUZZ_CHECK(again.ok() && again.value().questions.size() == ex.value().questions.size(),
               "the exercise's own header does not read back: %s", exercise_header(ex.value()).c_str());
  }
  if (source.find("#!") != std::string::npos) {
    auto plain = compile(strip_exercise(source));
    FUZZ_CHECK(plain.ok(), "without its '#!' lines the program fails: %s", plain.error().message.c_str());
    FUZZ_CHECK(same(first, snapshot(plain.value())), "without its '#!' lines the program computes something else");
  }

  // New finite values for every input, written back as text, reopen to the very same graph.
  uint64_t state = 0x9E3779B97F4A7C15ULL ^ size;
  for (size_t i = 0; i < size; ++i) state = (state ^ data[i]) * 0x100000001B3ULL;
  for (int id : g.input_ids()) {
    Matrix& v = g.node(id).value;
    for (Eigen::Index k = 0; k < v.size(); ++k) v.data()[k] = pick(state);
  }
  g.evaluate();
  Snapshot edited = snapshot(g);
  std::string text = g.program_text();
  auto reopened = compile(text);
  FUZZ_CHECK(reopened.ok(), "program_text() does not compile: %s\n--- text:\n%s", reopened.error().format().c_str(),
             text.c_str());
  check_graph(reopened.value());
  FUZZ_CHECK(reopened.value().nodes.size() == g.nodes.size(), "node count %zu != %zu", reopened.value().nodes.size(),
             g.nodes.size());
  for (size_t i = 0; i < g.nodes.size(); ++i)
    FUZZ_CHECK(reopened.value().nodes[i].name == g.nodes[i].name, "node %zu is %s, was %s", i,
               reopened.value().nodes[i].name.c_str(), g.nodes[i].name.c_str());
  FUZZ_CHECK(same(edited, snapshot(reopened.value())), "program_text() reopens with other values\n--- text:\n%s",
             text.c_str());
  FUZZ_CHECK(reopened.value().program_text() == text, "program_text() is not stable");

  // The --set / JS API path: the first input overridden by its new values transposed (another
  // shape). Whatever compile() makes of that, a graph it returns reopens from its text too.
  if (!g.input_ids().empty()) {
    const Node& first = g.node(g.input_ids().front());
    auto overridden = compile(source, {{first.name, first.value.transpose()}});
    if (overridden) {
      check_graph(overridden.value());
      auto again = compile(overridden.value().program_text());
      FUZZ_CHECK(again.ok(), "an overridden program's text does not compile: %s", again.error().message.c_str());
      FUZZ_CHECK(same(snapshot(overridden.value()), snapshot(again.value())), "an overridden program reopens changed");
    } else {
      FUZZ_CHECK(!overridden.error().message.empty(), "empty message");
    }
  }
  return 0;
}
