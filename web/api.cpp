// Exported C functions for the JS API. Strings cross the boundary as UTF-8 in the heap, as a
// pointer and a byte count both ways (web/embed.js copies them there after checking the size
// limits; nothing goes through the 1 MiB stack, and a NUL inside a text stays part of it).
// Every failure is returned as text, never thrown.
#include "web/api.h"

#include <emscripten.h>

#include <algorithm>
#include <optional>
#include <string>

#include "core/derive.h"
#include "core/json.h"
#include "core/serialize.h"
#include "ui/layout.h"
#include "ui/app.h"
#include "ui/panels.h"
#include "ui/render.h"
#include "ui/theme.h"
#include "web/font.h"

namespace gs::web {

ui::AppState& state() {
  static ui::AppState s;
  return s;
}

namespace {

std::string g_out;  // the last returned string: valid until the next call
std::string g_svg;  // the last SVG taken (take_svg), until the page reads it
bool g_svg_frame = false;  // this frame is drawn for an SVG (svg_frame)
unsigned long long g_notified_revision = ~0ull;
bool g_ready = false;

const char* out(std::string s) {
  g_out = std::move(s);
  return g_out.c_str();
}

std::string arg(const char* text, int bytes) { return text && bytes > 0 ? std::string(text, size_t(bytes)) : ""; }

// A name as error messages quote it: a long one is cut (its length is what matters).
std::string quoted(const std::string& name) {
  return "'" + (name.size() <= 60 ? name : name.substr(0, 60) + "...") + "'";
}

// [{"message", "line", "column", "text"}]
std::string error_list(const Error& e) {
  JsonWriter w;
  w.begin_array().begin_object().key("message").string(e.message).key("line").integer(e.line);
  w.key("column").integer(e.column).key("text").string(e.format("program")).end_object().end_array();
  return w.take();
}

}  // namespace

bool svg_frame() {
  g_svg_frame = state().svg_request != ui::AppState::Picture::None;
  ImGuiStyle& st = ImGui::GetStyle();
  st.AntiAliasedLines = st.AntiAliasedLinesUseTex = st.AntiAliasedFill = !g_svg_frame;
  return g_svg_frame;
}

void take_svg() {
  ui::AppState& s = state();
  const ui::Rect& r = s.view.graph;
  const ImVec4 bg = ui::clear_color(s);  // (where the canvas is cleared, no triangle draws it)
  g_svg = ui::draw_data_svg(*ImGui::GetDrawData(), r.x, r.y, int(r.w + 0.5f), int(r.h + 0.5f),
                            ui::kSvgFontFamily, page_font_em_per_height(),
                            ImGui::ColorConvertFloat4ToU32(ImVec4(bg.x, bg.y, bg.z, 1)));
  // 3: for svg(), 4: a download (which a request made during this frame may have become).
  const int kind = int(s.svg_request) + 2;
  s.svg_request = ui::AppState::Picture::None;
  EM_ASM({ if (Module.onGradscopePicture) Module.onGradscopePicture($0); }, kind);
}

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
  // The frame is in the canvas's drawing buffer until this task ends: the page copies the graph
  // from it now (1: for png(), 2: a download), unless this frame was drawn for an SVG, without
  // anti-aliasing: then the next one.
  if (s.png_request != ui::AppState::Picture::None && !g_svg_frame) {
    const int kind = int(s.png_request);
    s.png_request = ui::AppState::Picture::None;
    EM_ASM({ if (Module.onGradscopePicture) Module.onGradscopePicture($0); }, kind);
  }
}

}  // namespace gs::web

using gs::web::state;

extern "C" {

// The byte count of the string the last call returned (it may hold NULs).
EMSCRIPTEN_KEEPALIVE size_t gs_out_size() { return gs::web::g_out.size(); }

// {"value": [[...]], "grad": [[...]], "shape": [r, c]} or {"error": "..."}; what an open
// exercise question or the step-through hides is null, with "hidden": true.
EMSCRIPTEN_KEEPALIVE const char* gs_get(const char* name_text, int name_bytes) {
  const std::string name = gs::web::arg(name_text, name_bytes);
  int id = state().graph.find(name);
  if (id < 0) {
    gs::JsonWriter w;
    w.begin_object().key("error").string("no node named " + gs::web::quoted(name)).end_object();
    return gs::web::out(w.take());
  }
  return gs::web::out(gs::ui::visible_node_json(state(), id));
}

// Sets an input from JSON ([[1, 2], [3, 4]]); returns "" or why not.
EMSCRIPTEN_KEEPALIVE const char* gs_set(const char* name, int name_bytes, const char* json, int json_bytes) {
  auto m = gs::matrix_from_json(gs::web::arg(json, json_bytes));
  if (!m) return gs::web::out(m.error().message);
  auto r = gs::ui::set_input_value(state(), gs::web::arg(name, name_bytes), m.value());
  return gs::web::out(r ? "" : r.error().message);
}

EMSCRIPTEN_KEEPALIVE const char* gs_program() { return gs::web::out(state().program); }

// The program with current values written into its input literals (for links and storage).
EMSCRIPTEN_KEEPALIVE const char* gs_program_with_values() {
  auto& s = state();
  return gs::web::out(s.error ? s.program : s.graph.program_text());
}

// Compiles a new program; returns the JSON list of errors ([] when it built).
EMSCRIPTEN_KEEPALIVE const char* gs_set_program(const char* text, int bytes) {
  bool ok = gs::ui::edit_program(state(), gs::web::arg(text, bytes), "");  // the text view's path: locks hold
  if (ok) state().fit_pending = true;
  return gs::web::out(ok ? "[]" : gs::web::error_list(*state().error));
}

EMSCRIPTEN_KEEPALIVE const char* gs_errors() {
  return gs::web::out(state().error ? gs::web::error_list(*state().error) : "[]");
}

EMSCRIPTEN_KEEPALIVE int gs_load_example(const char* name, int bytes) {
  return gs::ui::load_example(state(), gs::web::arg(name, bytes)) ? 1 : 0;
}

// The whole graph as gradscope eval --json prints it (hidden quantities null).
EMSCRIPTEN_KEEPALIVE const char* gs_graph_json() { return gs::web::out(gs::ui::visible_graph_json(state())); }

// [x, y, w, h] of a value cell in canvas CSS pixels, or [] if it is not drawn.
EMSCRIPTEN_KEEPALIVE const char* gs_cell_rect(const char* name, int name_bytes, int row, int col) {
  auto& s = state();
  int id = s.graph.find(gs::web::arg(name, name_bytes));
  if (id < 0 || size_t(id) >= s.value_cells.size()) return gs::web::out("[]");
  const gs::Node& n = s.graph.node(id);
  if (row < 0 || col < 0 || row >= n.value.rows() || col >= n.value.cols()) return gs::web::out("[]");
  size_t k = size_t(row * n.value.cols() + col);
  if (k >= s.value_cells[size_t(id)].size() || !s.value_cells[size_t(id)][k].visible) return gs::web::out("[]");
  const auto& c = s.value_cells[size_t(id)][k];
  gs::JsonWriter w;
  w.begin_array().number(c.x).number(c.y).number(c.w).number(c.h).end_array();
  return gs::web::out(w.take());
}

// Instructor options as JSON: {"lock": ["W"], "hide": ["editor", "inputs", "side", "menu"],
// "grads": ["W", "x"], "step": true, "dark": false, "fold": [0, 2]}. Returns "" or why it was rejected.
EMSCRIPTEN_KEEPALIVE const char* gs_set_options(const char* json, int json_bytes) {
  auto parsed = gs::parse_json(gs::web::arg(json, json_bytes));
  if (!parsed || !parsed->is_object()) return gs::web::out("options must be a JSON object");
  const gs::JsonValue& j = parsed.value();
  auto& s = state();
  auto strings = [&](const char* key, std::set<std::string>& into) -> bool {
    into.clear();
    const gs::JsonValue* list = j.find(key);
    if (!list) return true;
    if (!list->is_array()) return false;
    for (const gs::JsonValue& v : list->as_array()) {
      if (!v.is_string()) return false;
      into.insert(v.as_string());
    }
    return true;
  };
  std::set<std::string> hide;
  if (!strings("lock", s.options.locked) || !strings("grads", s.options.grad_nodes) || !strings("hide", hide))
    return gs::web::out("lock, grads and hide must be lists of names");
  for (const auto& h : hide)
    if (!gs::is_panel_name(h))
      return gs::web::out("unknown panel '" + h + "' in hide (use " + gs::panel_name_list() + ")");
  s.options.hidden = hide;
  // step and dark count only as true or false; any other value leaves them as they are.
  auto flag = [&](const char* key) -> std::optional<bool> {
    const gs::JsonValue* v = j.find(key);
    return v && v->is_bool() ? std::optional(v->as_bool()) : std::nullopt;
  };
  if (flag("step").value_or(false) && !s.stepper.active()) s.stepper.start(s.graph);
  // "fold": [left, side], the user's panel choice as layout() reports it (a page restores it).
  if (const gs::JsonValue* fold = j.find("fold"); fold && fold->is_array())
    for (size_t i = 0; i < 2 && i < fold->as_array().size(); ++i)
      if (const gs::JsonValue& f = fold->as_array()[i]; f.is_number())
        s.view.fold[i] = gs::ui::Fold(std::clamp(int(f.as_number()), 0, 2)), s.fit_pending = true;
  if (auto dark = flag("dark"); dark && *dark != s.dark) {
    s.dark = *dark;
    gs::ui::apply_theme(s.dark);
  }
  ++s.revision;
  return gs::web::out("");
}

// The accessible text view's data: every named node with its value and gradient, except
// what an exercise still asks for (null, with "hidden" set). With page_rows > 0, each matrix
// is cut to one page: page_rows x page_cols entries from the node's [row, col] in `pages`
// ({"W": [0, 12]}, top left when absent), so a 4096 x 4096 node costs a page, not 16M numbers.
EMSCRIPTEN_KEEPALIVE const char* gs_text_view_json(int page_rows, int page_cols, const char* pages, int pages_bytes) {
  auto& s = state();
  if (page_rows <= 0) return gs::web::out(gs::ui::visible_graph_json(s, false));
  page_cols = std::max(page_cols, 1);  // a page is at least one column wide (0 or less made a negative block)
  const gs::Graph& g = gs::ui::shown_graph(s);  // in step-through, only what is computed so far
  auto parsed = gs::parse_json(gs::web::arg(pages, pages_bytes));
  gs::JsonWriter w;
  w.begin_object().key("output").string(g.output >= 0 ? g.node(g.output).name : "").key("nodes").begin_array();
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const gs::Node& n = g.nodes[i];
    if (n.kind == gs::NodeKind::Constant) continue;
    bool hide_value = gs::ui::is_hidden(s, int(i), false);
    bool hide_grad = gs::ui::is_hidden(s, int(i), true) || !gs::ui::shows_gradient(s, int(i));
    w.begin_object();
    const gs::JsonValue* at = parsed && parsed->is_object() ? parsed->find(n.name) : nullptr;
    auto corner = [&](size_t k, Eigen::Index size, int page) -> Eigen::Index {
      double v = at && at->is_array() && at->as_array().size() > k && at->as_array()[k].is_number()
                     ? at->as_array()[k].as_number() : 0;
      return std::clamp<Eigen::Index>(Eigen::Index(v), 0, std::max<Eigen::Index>(0, size - page));
    };
    const Eigen::Index rows = std::min<Eigen::Index>(page_rows, n.value.rows());
    const Eigen::Index cols = std::min<Eigen::Index>(page_cols, n.value.cols());
    const Eigen::Index r0 = corner(0, n.value.rows(), int(rows)), c0 = corner(1, n.value.cols(), int(cols));
    w.key("name").string(n.name).key("op").string(n.kind == gs::NodeKind::Input ? "input" : n.op->name);
    w.key("expr").string(n.expr).key("shape").begin_array().integer(n.value.rows()).integer(n.value.cols()).end_array();
    w.key("page").begin_array().integer(r0).integer(c0).end_array().key("value");
    if (hide_value) w.null();
    else gs::write_matrix(w, n.value.block(r0, c0, rows, cols));
    w.key("grad");
    if (hide_grad || n.grad.rows() < r0 + rows || n.grad.cols() < c0 + cols) w.null();
    else gs::write_matrix(w, n.grad.block(r0, c0, rows, cols));
    if (hide_value || hide_grad) w.key("hidden").boolean(true);
    w.key("hidden_value").boolean(hide_value).key("hidden_grad").boolean(hide_grad);
    w.key("locked").boolean(n.kind == gs::NodeKind::Input && gs::ui::is_locked(s, n.name));
    w.end_object();
  }
  w.end_array().key("error").string(s.error ? s.error->format("program") : "").end_object();
  return gs::web::out(w.take());
}

// The exercise as JSON: {"questions": [{"label", "node", "gradient", "shape", "checked",
// "right", "correct", "total", "revealed", "answer" (only once answered or revealed), "step"}]}
EMSCRIPTEN_KEEPALIVE const char* gs_exercise_json() {
  auto& s = state();
  gs::JsonWriter w;
  w.begin_object().key("questions").begin_array();
  for (size_t i = 0; i < s.exercise.questions.size() && i < s.answers.size(); ++i) {
    const gs::Question& q = s.exercise.questions[i];
    const gs::ui::Answer& a = s.answers[i];
    int id = s.graph.find(q.node);
    const gs::Matrix& truth = q.gradient ? s.graph.node(id).grad : s.graph.node(id).value;
    w.begin_object().key("label").string(q.gradient ? gs::grad_label(s.graph, id) : q.node).key("node").string(q.node);
    w.key("gradient").boolean(q.gradient).key("shape").begin_array().integer(truth.rows()).integer(truth.cols());
    w.end_array();
    w.key("checked").boolean(a.checked).key("correct").integer(a.marked.correct).key("total").integer(a.marked.total);
    w.key("revealed").boolean(a.revealed).key("done").boolean(a.done()).key("right").begin_array();
    for (char r : a.marked.right) w.boolean(r != 0);
    w.end_array().key("answer");
    if (a.done()) gs::write_matrix(w, truth);
    else w.null();
    w.key("step").begin_array();
    if (a.revealed)
      for (const std::string& line : gs::ui::reveal_lines(s, q)) w.string(line);
    w.end_array().end_object();
  }
  w.end_array().key("tolerance").number(s.exercise.tolerance).end_object();
  return gs::web::out(w.take());
}

// A prediction for question q (a JSON matrix), checked at once; returns "" or why not.
EMSCRIPTEN_KEEPALIVE const char* gs_answer(int q, const char* json, int json_bytes) {
  auto& s = state();
  if (q < 0 || size_t(q) >= s.answers.size()) return gs::web::out("there is no question " + std::to_string(q + 1));
  auto m = gs::matrix_from_json(gs::web::arg(json, json_bytes));
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

// png(): the next frame, once drawn, is handed to the page (after_frame).
// (A download already due answers it too.)
EMSCRIPTEN_KEEPALIVE void gs_request_picture() {
  auto& r = state().png_request;
  r = std::max(r, gs::ui::AppState::Picture::ForScript);
}

// svg(): the next frame is drawn without anti-aliasing and its graph viewport written as SVG
// (svg_frame, take_svg), then gs_picture_svg() gives the text, once.
EMSCRIPTEN_KEEPALIVE void gs_request_svg() {
  auto& r = state().svg_request;
  r = std::max(r, gs::ui::AppState::Picture::ForScript);
}
EMSCRIPTEN_KEEPALIVE const char* gs_picture_svg() { return gs::web::out(std::move(gs::web::g_svg)); }

// Whether (x, y), in canvas CSS pixels, is on a value cell that a drag would edit (an input
// that is not locked): embed.js lets a touch there drag the entry instead of scrolling the page.
EMSCRIPTEN_KEEPALIVE int gs_entry_at(float x, float y) {
  auto& s = state();
  for (size_t id = 0; id < s.value_cells.size() && id < s.graph.nodes.size(); ++id) {
    const gs::Node& n = s.graph.nodes[id];
    if (n.kind != gs::NodeKind::Input || gs::ui::is_locked(s, n.name)) continue;
    for (const auto& c : s.value_cells[id])
      if (c.visible && x >= c.x && x < c.x + c.w && y >= c.y && y < c.y + c.h) return 1;
  }
  return 0;
}

// Where the last frame drew the graph, the panels and every card (ui/layout.h, layout_json).
EMSCRIPTEN_KEEPALIVE const char* gs_layout_json() { return gs::web::out(gs::ui::layout_json(state())); }
// Every string the last frame drew with its box in canvas CSS pixels, as JSON
// [{"text", "x", "y", "w", "h"}] (the drawnText() test hook).
EMSCRIPTEN_KEEPALIVE const char* gs_drawn_text() {
  gs::JsonWriter w;
  w.begin_array();
  for (const gs::ui::DrawnString& d : gs::ui::drawn_strings())
    w.begin_object().key("text").string(d.text).key("x").number(d.x).key("y").number(d.y).key("w").number(d.w)
        .key("h").number(d.h).end_object();
  w.end_array();
  return gs::web::out(w.take());
}

EMSCRIPTEN_KEEPALIVE int gs_undo() { return gs::ui::undo(state()) ? 1 : 0; }
EMSCRIPTEN_KEEPALIVE int gs_redo() { return gs::ui::redo(state()) ? 1 : 0; }

// The backward section's verdicts (derivation_json in core/derive.h), or
// {"claims": [], "ok": false, "errors": [...]} when the section does not compile.
EMSCRIPTEN_KEEPALIVE const char* gs_derivation_json() {
  auto& s = state();
  if (s.derive_error)
    return gs::web::out(R"({"claims": [], "first_wrong": null, "ok": false, "errors": )" +
                        gs::web::error_list(*s.derive_error) + "}");
  return gs::web::out(gs::derivation_json(s.derivation));
}

}  // extern "C"
