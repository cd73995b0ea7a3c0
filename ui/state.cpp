// The front end's actions on AppState: compile, edit inputs, randomize, train.
#include "ui/state.h"

#include <cmath>
#include <random>

#include "core/examples.h"

namespace gs::ui {

bool set_program(AppState& s, const std::string& text, const std::string& example) {
  s.program = text;
  s.example = example;
  // A failed compile is still a change (of the text and the error), so it is saved and shown.
  auto g = compile(text);
  if (!g) {
    s.error = g.error();
    ++s.revision;
    return false;
  }
  auto ex = parse_exercise(text, g.value());
  if (!ex) {  // the program is fine but its exercise lines are not: same treatment as an error
    s.error = ex.error();
    ++s.revision;
    return false;
  }
  bool same_layout = s.graph.nodes.size() == g.value().nodes.size();
  s.graph = std::move(g.value());
  s.error.reset();
  bool same_questions = ex.value().questions.size() == s.exercise.questions.size();
  for (size_t i = 0; same_questions && i < ex.value().questions.size(); ++i)
    same_questions = ex.value().questions[i].node == s.exercise.questions[i].node &&
                     ex.value().questions[i].gradient == s.exercise.questions[i].gradient;
  s.exercise = std::move(ex.value());
  if (!same_questions) s.answers.assign(s.exercise.questions.size(), Answer{});
  if (s.selected >= int(s.graph.nodes.size())) s.selected = -1;
  // Start the inspector on the first op: its chain rule is the notebook's first hand
  // computation (dW = dZ x^T for the seed).
  for (size_t i = 0; i < s.graph.nodes.size() && s.selected < 0; ++i)
    if (s.graph.nodes[i].kind == NodeKind::Op) s.selected = int(i);
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
  return set_program(s, e->source, name);
}

bool is_locked(const AppState& s, const std::string& input) {
  return s.options.locked.count("*") > 0 || s.options.locked.count(input) > 0 ||
         s.exercise.locked.count("*") > 0 || s.exercise.locked.count(input) > 0;
}

bool panel_visible(const AppState& s, const char* panel) {
  std::string p = panel;
  bool page = p == "editor" ? s.options.show_editor : p == "inputs" ? s.options.show_inputs
              : p == "side" ? s.options.show_side : p == "menu" ? s.options.show_menu : true;
  return page && s.exercise.hidden_panels.count(p) == 0;
}

bool is_hidden(const AppState& s, int node, bool gradient) {
  if (node < 0 || node >= int(s.graph.nodes.size())) return false;
  const std::string& name = s.graph.node(node).name;
  for (size_t q = 0; q < s.exercise.questions.size(); ++q) {
    const Question& question = s.exercise.questions[q];
    if (question.node == name && question.gradient == gradient && !(q < s.answers.size() && s.answers[q].done()))
      return true;
  }
  return false;
}

void check_answer(AppState& s, size_t q) {
  if (q >= s.exercise.questions.size() || q >= s.answers.size()) return;
  const Question& question = s.exercise.questions[q];
  int id = s.graph.find(question.node);
  if (id < 0) return;
  const Matrix& truth = question.gradient ? s.graph.node(id).grad : s.graph.node(id).value;
  Answer& a = s.answers[q];
  a.cells.resize(size_t(truth.size()));
  Matrix typed(truth.rows(), truth.cols());
  for (Eigen::Index r = 0; r < truth.rows(); ++r)
    for (Eigen::Index c = 0; c < truth.cols(); ++c) {
      const std::string& cell = a.cells[size_t(r * truth.cols() + c)];
      auto m = parse_matrix(cell);
      typed(r, c) = m && m.value().size() == 1 ? m.value()(0, 0) : std::nan("");
    }
  a.marked = mark_answer(typed, truth, s.exercise.tolerance);
  a.checked = true;
  ++s.revision;
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
