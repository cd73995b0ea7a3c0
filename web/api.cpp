// Exported C functions for the JS API. Strings cross the boundary as UTF-8 JSON; every
// failure is returned as text, never thrown.
#include "web/api.h"

#include <emscripten.h>

#include <nlohmann/json.hpp>
#include <string>

#include "core/serialize.h"
#include "ui/panels.h"
#include "ui/theme.h"

namespace gs::web {

ui::AppState& state() {
  static ui::AppState s;
  return s;
}

namespace {

std::string g_out;  // the last returned string: valid until the next call
unsigned long long g_notified_revision = ~0ull;
bool g_ready = false;

const char* out(std::string s) {
  g_out = std::move(s);
  return g_out.c_str();
}

nlohmann::json error_list(const Error& e) {
  return nlohmann::json::array(
      {{{"message", e.message}, {"line", e.line}, {"column", e.column}, {"text", e.format("program")}}});
}

}  // namespace

void after_frame() {
  ui::AppState& s = state();
  if (!g_ready) {
    g_ready = true;
    EM_ASM({ if (Module.onGradscopeReady) Module.onGradscopeReady(); });
  }
  if (s.revision != g_notified_revision) {
    g_notified_revision = s.revision;
    EM_ASM({ if (Module.onGradscopeChange) Module.onGradscopeChange(); });
  }
}

}  // namespace gs::web

using gs::web::state;

extern "C" {

// {"value": [[...]], "grad": [[...]], "shape": [r, c]} or {"error": "..."}
EMSCRIPTEN_KEEPALIVE const char* gs_get(const char* name) {
  int id = state().graph.find(name);
  if (id < 0) return gs::web::out(nlohmann::json{{"error", std::string("no node named '") + name + "'"}}.dump());
  return gs::web::out(gs::node_json(state().graph, id));
}

// Sets an input from JSON ([[1, 2], [3, 4]]); returns "" or why not.
EMSCRIPTEN_KEEPALIVE const char* gs_set(const char* name, const char* matrix_json) {
  auto m = gs::matrix_from_json(matrix_json);
  if (!m) return gs::web::out(m.error().message);
  auto r = gs::ui::set_input_value(state(), name, m.value());
  return gs::web::out(r ? "" : r.error().message);
}

EMSCRIPTEN_KEEPALIVE const char* gs_program() { return gs::web::out(state().program); }

// The program with current values written into its input literals (for links and storage).
EMSCRIPTEN_KEEPALIVE const char* gs_program_with_values() {
  auto& s = state();
  return gs::web::out(s.error ? s.program : s.graph.program_text());
}

// Compiles a new program; returns the JSON list of errors ([] when it built).
EMSCRIPTEN_KEEPALIVE const char* gs_set_program(const char* text) {
  bool ok = gs::ui::set_program(state(), text);
  if (ok) state().fit_pending = true;
  return gs::web::out(ok ? "[]" : gs::web::error_list(*state().error).dump());
}

EMSCRIPTEN_KEEPALIVE const char* gs_errors() {
  return gs::web::out(state().error ? gs::web::error_list(*state().error).dump() : "[]");
}

EMSCRIPTEN_KEEPALIVE int gs_load_example(const char* name) { return gs::ui::load_example(state(), name) ? 1 : 0; }

// The whole graph as gradscope eval --json prints it.
EMSCRIPTEN_KEEPALIVE const char* gs_graph_json() { return gs::web::out(gs::graph_json(state().graph)); }

// [x, y, w, h] of a value cell in canvas CSS pixels, or [] if it is not drawn.
EMSCRIPTEN_KEEPALIVE const char* gs_cell_rect(const char* name, int row, int col) {
  auto& s = state();
  int id = s.graph.find(name);
  if (id < 0 || size_t(id) >= s.value_cells.size()) return gs::web::out("[]");
  const gs::Node& n = s.graph.node(id);
  if (row < 0 || col < 0 || row >= n.value.rows() || col >= n.value.cols()) return gs::web::out("[]");
  size_t k = size_t(row * n.value.cols() + col);
  if (k >= s.value_cells[size_t(id)].size() || !s.value_cells[size_t(id)][k].visible) return gs::web::out("[]");
  const auto& c = s.value_cells[size_t(id)][k];
  return gs::web::out(nlohmann::json::array({c.x, c.y, c.w, c.h}).dump());
}

// Instructor options as JSON: {"lock": ["W"], "hide": ["editor", "inputs", "side", "menu"],
// "grads": ["W", "x"], "step": true, "dark": false}. Returns "" or why it was rejected.
EMSCRIPTEN_KEEPALIVE const char* gs_set_options(const char* options_json) {
  auto j = nlohmann::json::parse(options_json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return gs::web::out("options must be a JSON object");
  auto& s = state();
  auto strings = [&](const char* key, std::set<std::string>& into) -> bool {
    into.clear();
    if (!j.contains(key)) return true;
    if (!j[key].is_array()) return false;
    for (const auto& v : j[key]) {
      if (!v.is_string()) return false;
      into.insert(v.get<std::string>());
    }
    return true;
  };
  std::set<std::string> hide;
  if (!strings("lock", s.options.locked) || !strings("grads", s.options.grad_nodes) || !strings("hide", hide))
    return gs::web::out("lock, grads and hide must be lists of names");
  for (const auto& h : hide)
    if (h != "editor" && h != "inputs" && h != "side" && h != "menu")
      return gs::web::out("unknown panel '" + h + "' in hide (use editor, inputs, side, menu)");
  s.options.show_editor = !hide.count("editor");
  s.options.show_inputs = !hide.count("inputs");
  s.options.show_side = !hide.count("side");
  s.options.show_menu = !hide.count("menu");
  if (j.value("step", false) && !s.stepper.active()) s.stepper.start(s.graph);
  if (j.contains("dark") && j["dark"].is_boolean() && j["dark"].get<bool>() != s.dark) {
    s.dark = j["dark"].get<bool>();
    gs::ui::apply_theme(s.dark);
  }
  ++s.revision;
  return gs::web::out("");
}

// The accessible text view's data: every named node with its value and gradient, except
// what an exercise still asks for (null, with "hidden" set).
EMSCRIPTEN_KEEPALIVE const char* gs_text_view_json() {
  auto& s = state();
  const gs::Graph& g = s.graph;
  auto j = nlohmann::json::parse(gs::graph_json(g));
  nlohmann::json nodes = nlohmann::json::array();
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    if (g.nodes[i].kind == gs::NodeKind::Constant) continue;
    nlohmann::json n = j["nodes"][i];
    bool hide_value = gs::ui::is_hidden(s, int(i), false);
    bool hide_grad = gs::ui::is_hidden(s, int(i), true) || !gs::ui::shows_gradient(s, int(i));
    if (hide_value) n["value"] = nullptr;
    if (hide_grad) n["grad"] = nullptr;
    n["hidden_value"] = hide_value;
    n["hidden_grad"] = hide_grad;
    n["locked"] = g.nodes[i].kind == gs::NodeKind::Input && gs::ui::is_locked(s, g.nodes[i].name);
    nodes.push_back(std::move(n));
  }
  return gs::web::out(nlohmann::json{{"output", j["output"]}, {"nodes", nodes},
                                     {"error", s.error ? s.error->format("program") : ""}}.dump());
}

// The exercise as JSON: {"questions": [{"label", "node", "gradient", "shape", "checked",
// "right", "correct", "total", "revealed", "answer" (only once answered or revealed), "step"}]}
EMSCRIPTEN_KEEPALIVE const char* gs_exercise_json() {
  auto& s = state();
  nlohmann::json qs = nlohmann::json::array();
  const std::string f = s.graph.node(s.graph.output).name;
  for (size_t i = 0; i < s.exercise.questions.size() && i < s.answers.size(); ++i) {
    const gs::Question& q = s.exercise.questions[i];
    const gs::ui::Answer& a = s.answers[i];
    int id = s.graph.find(q.node);
    const gs::Matrix& truth = q.gradient ? s.graph.node(id).grad : s.graph.node(id).value;
    nlohmann::json j = {{"label", q.gradient ? "d" + f + "/d" + q.node : q.node}, {"node", q.node},
                        {"gradient", q.gradient}, {"shape", {truth.rows(), truth.cols()}},
                        {"checked", a.checked}, {"correct", a.marked.correct}, {"total", a.marked.total},
                        {"revealed", a.revealed}, {"done", a.done()}};
    nlohmann::json right = nlohmann::json::array();
    for (char r : a.marked.right) right.push_back(r != 0);
    j["right"] = right;
    nlohmann::json answer = nullptr;
    if (a.done()) {
      answer = nlohmann::json::array();
      for (Eigen::Index r = 0; r < truth.rows(); ++r) {
        nlohmann::json row = nlohmann::json::array();
        for (Eigen::Index c = 0; c < truth.cols(); ++c) row.push_back(truth(r, c));
        answer.push_back(row);
      }
    }
    j["answer"] = answer;
    j["step"] = a.revealed ? nlohmann::json(gs::ui::reveal_lines(s, q)) : nlohmann::json::array();
    qs.push_back(std::move(j));
  }
  return gs::web::out(nlohmann::json{{"questions", qs}, {"tolerance", s.exercise.tolerance}}.dump());
}

// A prediction for question q (a JSON matrix), checked at once; returns "" or why not.
EMSCRIPTEN_KEEPALIVE const char* gs_answer(int q, const char* matrix_json) {
  auto& s = state();
  if (q < 0 || size_t(q) >= s.answers.size()) return gs::web::out("there is no question " + std::to_string(q + 1));
  auto m = gs::matrix_from_json(matrix_json);
  if (!m) return gs::web::out(m.error().message);
  const gs::Question& question = s.exercise.questions[size_t(q)];
  const gs::Node& n = s.graph.node(s.graph.find(question.node));
  if (gs::shape_of(m.value()) != n.shape())
    return gs::web::out("the answer must have shape " + gs::to_string(n.shape()) + ", not " +
                        gs::to_string(gs::shape_of(m.value())));
  s.answers[size_t(q)].cells.clear();
  for (Eigen::Index r = 0; r < m.value().rows(); ++r)
    for (Eigen::Index c = 0; c < m.value().cols(); ++c)
      s.answers[size_t(q)].cells.push_back(gs::format_number(m.value()(r, c)));
  gs::ui::check_answer(s, size_t(q));
  return gs::web::out("");
}

EMSCRIPTEN_KEEPALIVE const char* gs_reveal(int q) {
  auto& s = state();
  if (q < 0 || size_t(q) >= s.answers.size()) return gs::web::out("there is no question " + std::to_string(q + 1));
  s.answers[size_t(q)].revealed = true;
  ++s.revision;
  return gs::web::out("");
}

EMSCRIPTEN_KEEPALIVE unsigned gs_revision() { return unsigned(state().revision); }

}  // extern "C"
