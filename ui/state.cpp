// The front end's actions on AppState: compile, edit inputs, randomize, train.
#include "ui/state.h"

#include <cmath>
#include <random>

#include "core/examples.h"

namespace gs::ui {

bool set_program(AppState& s, const std::string& text, const std::string& example) {
  s.program = text;
  s.example = example;
  auto g = compile(text);
  if (!g) {
    s.error = g.error();
    return false;
  }
  bool same_layout = s.graph.nodes.size() == g.value().nodes.size();
  s.graph = std::move(g.value());
  s.error.reset();
  if (s.selected >= int(s.graph.nodes.size())) s.selected = -1;
  if (!same_layout) s.fit_pending = true;
  if (s.stepper.active()) s.stepper.start(s.graph);
  s.training.history.clear();
  ++s.revision;
  return true;
}

bool load_example(AppState& s, const std::string& name) {
  const Example* e = find_example(name);
  if (!e) return false;
  s.selected = -1;
  s.fit_pending = true;
  bool ok = set_program(s, e->source, name);
  // Start the inspector on the first op that reads an input: its chain rule is the
  // notebook's first hand computation (dW = dZ x^T for the seed).
  for (size_t i = 0; ok && i < s.graph.nodes.size() && s.selected < 0; ++i)
    if (s.graph.nodes[i].kind == NodeKind::Op) s.selected = int(i);
  return ok;
}

bool is_locked(const AppState& s, const std::string& input) {
  return s.options.locked.count("*") > 0 || s.options.locked.count(input) > 0;
}

bool shows_gradient(const AppState& s, int node) {
  if (!s.show_gradients) return false;
  if (s.options.grad_nodes.empty()) return true;
  return s.options.grad_nodes.count(s.graph.node(node).name) > 0;
}

void values_changed(AppState& s) {
  s.graph.evaluate();
  // Keep the editor's text in step with the values, unless it holds an edit that does
  // not compile: the user's typing must never be overwritten.
  if (!s.error) s.program = s.graph.program_text();
  if (s.stepper.active()) s.stepper.go(s.graph, s.stepper.step());
  ++s.revision;
}

bool set_input_entry(AppState& s, int node, int row, int col, double value) {
  if (node < 0 || node >= int(s.graph.nodes.size())) return false;
  Node& n = s.graph.node(node);
  if (n.kind != NodeKind::Input || is_locked(s, n.name) || !std::isfinite(value)) return false;
  if (row < 0 || col < 0 || row >= n.value.rows() || col >= n.value.cols()) return false;
  n.value(row, col) = value;
  values_changed(s);
  return true;
}

Result<bool> set_input_value(AppState& s, const std::string& name, const Matrix& value) {
  int id = s.graph.find(name);
  if (id < 0 || s.graph.node(id).kind != NodeKind::Input)
    return Error{"there is no input named '" + name + "'"};
  if (is_locked(s, name)) return Error{"'" + name + "' is locked"};
  if (!value.allFinite()) return Error{"the value for '" + name + "' must be finite"};
  if (shape_of(value) == s.graph.node(id).shape()) {
    s.graph.node(id).value = value;
    values_changed(s);
    return true;
  }
  // A new shape: rebuild from the text with this value, so every shape is re-checked.
  Overrides o{{name, value}};
  auto g = compile(s.graph.program_text(), o);
  if (!g) return g.error();
  auto text = g.value().program_text();
  set_program(s, text, s.example);
  return true;
}

void randomize_inputs(AppState& s, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (int id : s.graph.input_ids()) {
    Node& n = s.graph.node(id);
    if (is_locked(s, n.name)) continue;
    for (Eigen::Index i = 0; i < n.value.size(); ++i) n.value.data()[i] = std::round(normal(rng) * 100) / 100;
  }
  values_changed(s);
}

void train_step(AppState& s) {
  std::vector<std::pair<int, Matrix>> before;
  for (const std::string& name : s.training.train) {
    int id = s.graph.find(name);
    if (id < 0 || is_locked(s, name)) continue;
    Node& n = s.graph.node(id);
    before.emplace_back(id, n.value);
    n.value -= s.training.learning_rate * n.grad;
  }
  s.graph.evaluate();
  double f = s.graph.node(s.graph.output).value(0, 0);
  bool finite = std::isfinite(f);
  for (auto& [id, value] : before) finite = finite && s.graph.node(id).value.allFinite();
  if (!finite) {  // diverged: undo the step rather than fill the inputs with nan
    for (auto& [id, value] : before) s.graph.node(id).value = value;
    s.training.running = false;
    s.status = "Training stopped: the step made the output or an input non-finite; lower the learning rate.";
    values_changed(s);
    return;
  }
  values_changed(s);
  s.training.history.push_back(float(f));
}

}  // namespace gs::ui
