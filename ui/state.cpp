// The front end's actions on AppState: compile, edit inputs, randomize, train.
#include "ui/state.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "core/examples.h"
#include "core/json.h"
#include "core/serialize.h"
#include "ui/derive_panel.h"

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
  refresh_derivation(s);
  if (!same_questions) s.answers.assign(s.exercise.questions.size(), Answer{});
  if (s.selected >= int(s.graph.nodes.size())) s.selected = -1;
  // Start the inspector on the first op: its chain rule is the notebook's first hand
  // computation (dW = dZ x^T for the seed).
  for (size_t i = 0; i < s.graph.nodes.size() && s.selected < 0; ++i)
    if (s.graph.nodes[i].kind == NodeKind::Op) s.selected = int(i);
  if (!same_layout) s.fit_pending = true;
  if (s.stepper.active()) s.stepper.start(s.graph);
  s.training.history.clear();
  s.training.start_values.clear();
  // Tick the parameters (not data or targets) whenever the program's inputs change.
  std::string inputs;
  for (int id : s.graph.input_ids()) inputs += s.graph.node(id).name + ",";
  std::string seen = inputs + exercise_header(s.exercise);
  if (seen != s.training.inputs_seen) {
    s.training.inputs_seen = seen;
    s.training.train = s.exercise.params.empty() ? default_params(s.graph) : s.exercise.params;
  }
  ++s.revision;
  return true;
}

namespace {

// The 1-based column of byte `offset` in `text`, and its line's number and text.
Error error_at(const std::string& text, size_t offset, const std::string& message) {
  size_t begin = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  begin = begin == std::string::npos || offset == 0 ? 0 : begin + 1;
  int line = 1;
  for (size_t i = 0; i < begin; ++i) line += text[i] == '\n';
  return Error{message, line, int(offset - begin) + 1, line_of(text, line)};
}

}  // namespace

bool all_locked(const AppState& s) { return s.options.locked.count("*") > 0 || s.exercise.locked.count("*") > 0; }

bool edit_program(AppState& s, const std::string& text, const std::string& example) {
  auto next = compile(text);
  // While the exercise locks inputs, its "#!" lines are locked too: removing "#! lock: W" in one
  // edit would otherwise unlock W for the next.
  if (next && !s.exercise.locked.empty()) {
    auto ex = parse_exercise(text, *next);
    if (!ex || exercise_header(*ex) != exercise_header(s.exercise)) {
      s.program = text;
      s.error = error_at(text, std::min(text.find("#!"), text.size()),
                         "the exercise's '#!' lines are locked: they say what is asked and what is locked");
      ++s.revision;
      return false;
    }
  }
  if (next) {
    for (int id : s.graph.input_ids()) {
      const Node& old = s.graph.node(id);
      if (!is_locked(s, old.name)) continue;
      int nid = next->find(old.name);
      std::string why;
      if (nid < 0 || next->node(nid).kind != NodeKind::Input)
        why = "'" + old.name + "' is locked: it must stay an input";
      else if (!(next->node(nid).value.rows() == old.value.rows() && next->node(nid).value.cols() == old.value.cols() &&
                 next->node(nid).value == old.value))
        why = "'" + old.name + "' is locked: its value cannot be changed";
      if (why.empty()) continue;
      s.program = text;
      s.error = nid >= 0 ? error_at(text, next->node(nid).literal_begin, why) : Error{why};
      ++s.revision;
      return false;
    }
  }
  return set_program(s, text, example);
}

bool load_example(AppState& s, const std::string& name) {
  const Example* e = find_example(name);
  if (!e) return false;
  s.selected = -1;
  s.fit_pending = true;
  return set_program(s, e->source, name);
}

bool is_locked(const AppState& s, const std::string& input) {
  return all_locked(s) || s.options.locked.count(input) > 0 || s.exercise.locked.count(input) > 0;
}

bool panel_visible(const AppState& s, const char* panel) {
  return s.options.hidden.count(panel) == 0 && s.exercise.hidden_panels.count(panel) == 0;
}

bool is_hidden(const AppState& s, int node, bool gradient) {
  if (node < 0 || node >= int(s.graph.nodes.size())) return false;
  if (gradient && derivation_hides_gradients(s)) return true;
  if (s.stepper.active() &&
      (gradient ? s.stepper.grad_state(node) == GradState::Unknown : !s.stepper.value_known(node)))
    return true;
  std::vector<Question> open;
  for (size_t q = 0; q < s.exercise.questions.size(); ++q)
    if (!(q < s.answers.size() && s.answers[q].done())) open.push_back(s.exercise.questions[q]);
  if (open.empty()) return false;
  HiddenMask m = hidden_by(s.graph, open);
  return (gradient ? m.grad : m.value)[size_t(node)] != 0;
}

const Graph& shown_graph(const AppState& s) { return s.stepper.active() ? s.stepper.view() : s.graph; }

namespace {

void write_visible_node(JsonWriter& w, const AppState& s, int id) {
  const Graph& g = shown_graph(s);
  bool hide_value = is_hidden(s, id, false);
  bool hide_grad = is_hidden(s, id, true) || !shows_gradient(s, id);
  write_node_members(w, g, g.node(id), !hide_value, !hide_grad);
  if (hide_value || hide_grad) w.key("hidden").boolean(true);
  w.key("hidden_value").boolean(hide_value).key("hidden_grad").boolean(hide_grad);
}

}  // namespace

std::string visible_node_json(const AppState& s, int node) {
  JsonWriter w;
  w.begin_object();
  write_visible_node(w, s, node);
  w.end_object();
  return w.take();
}

std::string visible_graph_json(const AppState& s, bool constants) {
  const Graph& g = shown_graph(s);
  JsonWriter w;
  w.begin_object().key("output").string(g.output >= 0 ? g.node(g.output).name : "").key("nodes").begin_array();
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    if (n.kind == NodeKind::Constant && !constants) continue;
    w.begin_object();
    write_visible_node(w, s, int(i));
    w.key("locked").boolean(n.kind == NodeKind::Input && is_locked(s, n.name));
    w.end_object();
  }
  w.end_array().key("error").string(s.error ? s.error->format("program") : "").end_object();
  return w.take();
}

bool answers_hidden(const AppState& s) {
  if (s.stepper.active()) return true;
  for (size_t q = 0; q < s.exercise.questions.size(); ++q)
    if (q >= s.answers.size() || !s.answers[q].done()) return true;
  return false;
}

ExerciseSummary exercise_summary(const AppState& s) {
  ExerciseSummary sum;
  for (size_t q = 0; q < s.exercise.questions.size(); ++q) {
    const Answer a = q < s.answers.size() ? s.answers[q] : Answer{};
    if (a.right_first_try()) ++sum.first_try;
    else if (a.right_after_retries()) ++sum.after_retries;
    else if (a.revealed) ++sum.revealed;
    else ++sum.open;
  }
  return sum;
}

void step_to(AppState& s, int step) {
  s.stepper.go(s.graph, step);
  if (s.stepper.current() >= 0) s.selected = s.stepper.current();
}

void check_answer(AppState& s, size_t q) {
  if (q >= s.exercise.questions.size() || q >= s.answers.size()) return;
  const Question& question = s.exercise.questions[q];
  int id = s.graph.find(question.node);
  if (id < 0) return;
  const Matrix& truth = question.gradient ? s.graph.node(id).grad : s.graph.node(id).value;
  Answer& a = s.answers[q];
  a.cells.resize(size_t(truth.size()));
  a.not_number.assign(size_t(truth.size()), 0);
  Matrix typed(truth.rows(), truth.cols());
  for (Eigen::Index r = 0; r < truth.rows(); ++r)
    for (Eigen::Index c = 0; c < truth.cols(); ++c) {
      size_t k = size_t(r * truth.cols() + c);
      auto v = parse_answer(a.cells[k]);
      a.not_number[k] = !v;
      typed(r, c) = v ? *v : std::nan("");
    }
  a.marked = mark_answer(typed, truth, s.exercise.tolerance);
  a.checked = true;
  ++a.checks;
  if (a.marked.all() && a.right_at == 0 && !a.revealed) a.right_at = a.checks;
  ++s.revision;
}

bool shows_gradient(const AppState& s, int node) {
  if (!s.show_gradients || !s.graph.node(node).differentiable) return false;  // argmax, zeros: none
  if (s.options.grad_nodes.empty()) return true;
  return s.options.grad_nodes.count(s.graph.node(node).name) > 0;
}

void values_changed(AppState& s) {
  s.graph.evaluate();
  refresh_derivation(s);
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
  if (int bound = index_bound(s.graph, node)) value = std::clamp(std::round(value), 0.0, double(bound - 1));  // an index
  n.value(row, col) = value;
  values_changed(s);
  return true;
}

Result<bool> set_input_value(AppState& s, const std::string& name, const Matrix& value) {
  int id = s.graph.find(name);
  if (id < 0 || s.graph.node(id).kind != NodeKind::Input)
    return Error{"there is no input named '" + shown_text(name) + "'"};
  if (is_locked(s, name)) return Error{"'" + name + "' is locked"};
  if (!value.allFinite()) return Error{"the value for '" + name + "' must be finite"};
  if (int bound = index_bound(s.graph, id))
    for (Eigen::Index i = 0; i < value.size(); ++i)
      if (double v = value.data()[i]; v != std::floor(v) || v < -bound || v >= bound)
        return Error{"'" + name + "' holds indices: every entry must be a whole number from " + std::to_string(-bound) +
                     " to " + std::to_string(bound - 1) + ", not " + format_number(v)};
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
    if (is_locked(s, n.name) || index_bound(s.graph, id)) continue;  // indices keep their values
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
    auto& starts = s.training.start_values;  // kept from the first step on
    if (std::none_of(starts.begin(), starts.end(), [&](const auto& e) { return e.first == name; }))
      starts.emplace_back(name, n.value);
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

namespace gs::ui {

void reset_training(AppState& s) {
  Training& t = s.training;
  t.running = false;
  for (const auto& [name, value] : t.start_values) {
    int id = s.graph.find(name);
    if (id >= 0 && s.graph.node(id).shape() == shape_of(value)) s.graph.node(id).value = value;
  }
  t.start_values.clear();
  t.history.clear();
  values_changed(s);
}

void record_history(AppState& s, bool settled) {
  History& h = s.history;
  if (h.entries.empty()) {
    h.entries.push_back({s.program, s.example});
    h.at = 0;
    return;
  }
  const History::Entry& shown = h.entries[h.at];
  if (!settled || (shown.program == s.program && shown.example == s.example)) return;
  h.entries.resize(h.at + 1);  // a new change drops what could be redone
  h.entries.push_back({s.program, s.example});
  if (h.entries.size() > History::kMax) h.entries.erase(h.entries.begin());
  h.at = h.entries.size() - 1;
}

namespace {

void restore(AppState& s, const History::Entry& e) {
  set_program(s, e.program, e.example);
  s.program = e.program;  // exactly as it was, even when it did not compile
}

}  // namespace

bool can_undo(const AppState& s) {
  const History& h = s.history;
  return !h.entries.empty() && (h.at > 0 || h.entries[h.at].program != s.program);
}

bool can_redo(const AppState& s) { return s.history.at + 1 < s.history.entries.size(); }

bool undo(AppState& s) {
  record_history(s);  // a change not yet recorded is kept, so redo can bring it back
  History& h = s.history;
  if (h.at == 0) return false;
  restore(s, h.entries[--h.at]);
  s.status = "Undone (Ctrl+Shift+Z redoes).";
  return true;
}

bool redo(AppState& s) {
  History& h = s.history;
  if (h.at + 1 >= h.entries.size()) return false;
  restore(s, h.entries[++h.at]);
  s.status = "Redone.";
  return true;
}

}  // namespace gs::ui
