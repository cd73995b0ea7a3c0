// Side panels. They only read the graph and write inputs or a new program back.
#include "ui/panels.h"

#include <imgui.h>
#include <imgui_internal.h>  // GetActiveID, ClearActiveID: Escape in the program editor

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

#include "core/examples.h"
#include "core/export.h"
#include "core/gradcheck.h"
#include "core/serialize.h"
#include "ui/cell_story.h"
#include "ui/layout.h"
#include "ui/theme.h"

namespace gs::ui {
namespace {

// ImGui's InputTextMultiline writes into a char buffer; this grows a std::string instead.
int resize_callback(ImGuiInputTextCallbackData* data) {
  if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
    auto* str = static_cast<std::string*>(data->UserData);
    str->resize(size_t(data->BufTextLen));
    data->Buf = str->data();
  }
  return 0;
}

bool input_text_multiline(const char* label, std::string& str, ImVec2 size, bool read_only) {
  // Escape leaves the editor and keeps what was typed. (ImGui's own Escape restores the text
  // as it was when editing began: all the typing since the click, lost to one key.)
  if (ImGui::GetActiveID() == ImGui::GetID(label) && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false))
    ImGui::ClearActiveID();
  return ImGui::InputTextMultiline(label, str.data(), str.capacity() + 1, size,
                                   ImGuiInputTextFlags_CallbackResize | ImGuiInputTextFlags_AllowTabInput |
                                       (read_only ? ImGuiInputTextFlags_ReadOnly : 0),
                                   resize_callback, &str);
}

// Greyed text that wraps at the panel's edge (ImGui::TextDisabled does not wrap).
void disabled_wrapped(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}

void matrix_table(const char* id, const Matrix& m, bool dark) {
  if (m.rows() > 12 || m.cols() > 12) {
    disabled_wrapped(("(" + std::to_string(m.rows()) + " x " + std::to_string(m.cols()) +
                      ": too large to list; hover the heatmap for exact values)").c_str());
    return;
  }
  ImGui::PushID(id);
  matrix_grid(m, dark);  // ui/layout.cpp: drawn cells, not ImGui's tables (smaller WebAssembly)
  ImGui::PopID();
}

// A labelled rule between sections (ImGui 1.86 has no SeparatorText).
void section(const std::string& label) {
  ImGui::Spacing();
  ImGui::TextDisabled("%s", label.c_str());
  ImGui::Separator();
}

}  // namespace

namespace {

// Marks drawn over the program editor: the error's line (a gutter bar and an underline from
// its column) and each locked input's literal ("locked" at the line's end).
void editor_marks(const AppState& s, const char* label) {
  ImGuiWindow* parent = ImGui::GetCurrentWindow();
  char name[600];
  std::snprintf(name, sizeof name, "%s/%s_%08X", parent->Name, label, ImGui::GetID(label));
  ImGuiWindow* child = ImGui::FindWindowByName(name);
  if (!child || child->Hidden) return;
  const ImVec2 pad = ImGui::GetStyle().FramePadding;
  const float line_h = ImGui::GetFontSize();
  const ImVec2 origin(child->Pos.x + pad.x - child->Scroll.x, child->Pos.y + pad.y - child->Scroll.y);
  ImDrawList* dl = child->DrawList;
  dl->PushClipRect(child->Pos, ImVec2(child->Pos.x + child->Size.x, child->Pos.y + child->Size.y), false);
  const Palette& pal = palette(s.dark);
  auto line_top = [&](int line) { return origin.y + float(line - 1) * line_h; };
  if (s.error && s.error->line > 0) {
    const Error& e = *s.error;
    float y = line_top(e.line);
    dl->AddRectFilled(ImVec2(child->Pos.x, y), ImVec2(child->Pos.x + 3, y + line_h), pal.error);
    std::string line = line_of(s.program, e.line);
    std::string before = line.substr(0, std::min(line.size(), size_t(std::max(0, e.column - 1))));
    float x0 = origin.x + ImGui::CalcTextSize(before.c_str()).x;
    float x1 = std::max(origin.x + ImGui::CalcTextSize(line.c_str()).x, x0 + line_h * 0.6f);
    for (float x = x0; x < x1; x += 4)  // a wavy underline
      dl->AddLine(ImVec2(x, y + line_h + 1), ImVec2(std::min(x + 2, x1), y + line_h - 1), pal.error, 1.5f);
  }
  if (!s.error)  // a grey gutter bar on each locked input's line, "locked" after it where it fits
    for (int id : s.graph.input_ids()) {
      const Node& n = s.graph.node(id);
      if (!is_locked(s, n.name) || n.line <= 0) continue;
      float y = line_top(n.line);
      dl->AddRectFilled(ImVec2(child->Pos.x, y), ImVec2(child->Pos.x + 3, y + line_h), pal.text_dim);
      float x = origin.x + ImGui::CalcTextSize(line_of(s.program, n.line).c_str()).x + line_h;
      if (x + ImGui::CalcTextSize("locked").x < child->Pos.x + child->Size.x - ImGui::GetStyle().ScrollbarSize)
        dl->AddText(ImVec2(x, y), pal.text_dim, "locked");
    }
  dl->PopClipRect();
}

}  // namespace

void program_panel(AppState& s) {
  const bool read_only = all_locked(s);
  ImGui::BeginDisabled(read_only);
  if (ImGui::BeginCombo("##examples", s.example.empty() ? "Examples..." : s.example.c_str())) {
    for (const Example& e : examples()) {
      if (ImGui::Selectable(e.name, s.example == e.name)) load_example(s, e.name);
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", e.title);
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  if (ImGui::Button("Reset")) {
    load_example(s, s.example.empty() ? "seed" : s.example);
    s.status = "Reset to the example's own program: Undo (Ctrl+Z) brings yours back.";
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Reload the example with its original numbers (undoable)");
  ImGui::EndDisabled();
  float h = std::max(120.f, ImGui::GetContentRegionAvail().y * 0.55f);
  std::string text = s.program;
  text.reserve(text.size() + 256);
  // Whole lines: the box is as wide as the longest line and scrolls sideways (ui/layout.cpp).
  bool edited = input_text_multiline("##program", text, begin_editor_box(s.program, h), read_only);
  editor_marks(s, "##program");
  ImGui::EndChild();
  if (edited && text != s.program) edit_program(s, text, s.example);
  if (read_only) ImGui::TextDisabled("Read-only: every input is locked.");
  if (s.error) {
    const Error& e = *s.error;
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.85f, 0.15f, 0.15f, 1));
    ImGui::TextWrapped("line %d, column %d: %s", e.line, e.column, e.message.c_str());
    ImGui::PopStyleColor();
    if (!e.source_line.empty()) ImGui::TextUnformatted(e.excerpt("  ").c_str());  // control characters escaped
    disabled_wrapped("The graph shows the last program that worked.");
  } else {
    const int out = s.graph.output;
    ImGui::TextDisabled("%d nodes; output %s = %s", int(s.graph.nodes.size()), s.graph.node(out).name.c_str(),
                        is_hidden(s, out, false) ? "?" : format_short(shown_graph(s).node(out).value(0, 0), 6).c_str());
  }
}

void inputs_panel(AppState& s) {
  for (int id : s.graph.input_ids()) {
    Node& n = s.graph.node(id);
    bool locked = is_locked(s, n.name);
    ImGui::PushID(id);
    ImGui::Text("%s %s%s", n.name.c_str(), to_string(n.shape()).c_str(), locked ? "  (locked)" : "");
    if (is_hidden(s, id, false)) {
      ImGui::TextDisabled("(hidden: an exercise asks for it)");
    } else if (n.value.rows() <= 8 && n.value.cols() <= 8) {
      ImGui::BeginDisabled(locked);
      float w = std::min(70.f, (ImGui::GetContentRegionAvail().x - 8) / float(n.value.cols()) - 4);
      for (Eigen::Index r = 0; r < n.value.rows(); ++r) {
        for (Eigen::Index c = 0; c < n.value.cols(); ++c) {
          if (c) ImGui::SameLine(0, 4);
          ImGui::PushID(int(r * n.value.cols() + c));
          ImGui::SetNextItemWidth(w);
          double v = n.value(r, c);
          if (ImGui::DragScalar("##v", ImGuiDataType_Double, &v, 0.01f, nullptr, nullptr, "%.3g") &&
              std::isfinite(v))
            set_input_entry(s, id, int(r), int(c), std::round(v * 1e4) / 1e4);
          ImGui::PopID();
        }
      }
      ImGui::EndDisabled();
    } else {
      disabled_wrapped("Too large for fields: drag its entries on the graph, or give it a new shape.");
    }
    if (!locked && ImGui::SmallButton("shape...")) ImGui::OpenPopup("reshape");
    if (ImGui::BeginPopup("reshape")) {
      int& rows = s.panels.reshape_rows;
      int& cols = s.panels.reshape_cols;
      if (ImGui::IsWindowAppearing()) rows = int(n.value.rows()), cols = int(n.value.cols());
      ImGui::Text("New shape for %s (fills new entries with 0)", n.name.c_str());
      ImGui::InputInt("rows", &rows);
      ImGui::InputInt("cols", &cols);
      rows = std::clamp(rows, 1, 64);
      cols = std::clamp(cols, 1, 64);
      if (ImGui::Button("Apply")) {
        Matrix m = Matrix::Zero(rows, cols);
        Eigen::Index rr = std::min<Eigen::Index>(rows, n.value.rows()), cc = std::min<Eigen::Index>(cols, n.value.cols());
        m.topLeftCorner(rr, cc) = n.value.topLeftCorner(rr, cc);
        std::string name = n.name;
        auto r = set_input_value(s, name, m);
        s.status = r ? name + " is now " + to_string({rows, cols}) : "Cannot reshape " + name + ": " + r.error().message;
        ImGui::CloseCurrentPopup();
      }
      ImGui::EndPopup();
    }
    ImGui::PopID();
    ImGui::Spacing();
    if (&n != &s.graph.node(id)) break;  // the graph was rebuilt: stop drawing stale nodes
  }
  if (ImGui::Button("Randomize")) randomize_inputs(s, unsigned(s.revision * 2654435761u + 1));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("New random values (normal, sd 1) for every unlocked input");
}

namespace {

// What a hidden matrix shows instead of its numbers, and why.
void hidden_note(const AppState& s, int node, bool gradient) {
  bool not_yet = s.stepper.active() &&
                 (gradient ? s.stepper.grad_state(node) == GradState::Unknown : !s.stepper.value_known(node));
  ImGui::TextDisabled("%s", not_yet ? "? (not computed yet at this step)" : "? (hidden: an exercise question needs it)");
}

}  // namespace

void inspector_panel(AppState& s) {
  const Graph& g = shown_graph(s);
  if (s.error) {  // the numbers below belong to the last program that compiled
    ImGui::PushStyleColor(ImGuiCol_Text, palette(s.dark).error);
    ImGui::TextWrapped("Stale: the program has an error (line %d); this is the last valid program.", s.error->line);
    ImGui::PopStyleColor();
  }
  if (s.selected < 0 || s.selected >= int(g.nodes.size())) {
    ImGui::TextWrapped("Click a node in the graph to see its value, its gradient and the chain rule that produced it.");
    return;
  }
  const int sel = s.selected;
  const Node& n = g.node(sel);
  const bool stepping = s.stepper.active();
  ImGui::Text("%s  %s", n.name.c_str(), to_string(n.shape()).c_str());
  const bool value_hidden = is_hidden(s, sel, false);
  const bool grad_hidden = is_hidden(s, sel, true) || !shows_gradient(s, sel);
  if (n.kind == NodeKind::Input) disabled_wrapped("an input: drag its entries, or type them in the Inputs panel");
  else if (n.kind == NodeKind::Constant) ImGui::TextDisabled("a constant from the program text");
  else ImGui::TextWrapped("%s", fill_template(g, sel, n.op->formula).c_str());
  cell_story_section(s, g);  // ui/cell_story.cpp: the graph's hover text for one of its cells
  section("value");
  if (value_hidden) hidden_note(s, sel, false);
  else matrix_table("value", n.value, s.dark);
  const bool partial = stepping && s.stepper.grad_state(sel) == GradState::Partial;
  section("gradient " + grad_label(g, sel) + (partial ? "  (partial sum so far)" : ""));
  if (grad_hidden) hidden_note(s, sel, true);
  else matrix_table("grad", n.grad, s.dark);
  if (n.kind != NodeKind::Op) {
    // Which ops send gradient here.
    for (size_t j = 0; j < g.nodes.size(); ++j)
      for (int k = 0; k < g.nodes[j].arity(); ++k)
        if (g.nodes[j].inputs[k] == sel && g.nodes[j].op->chain_for(k))
          ImGui::BulletText("from %s: %s", g.nodes[j].name.c_str(),
                            fill_template(g, int(j), g.nodes[j].op->chain_for(k)).c_str());
    return;
  }
  section("local derivative");
  ImGui::TextWrapped("%s", fill_template(g, sel, n.op->local).c_str());
  section("chain rule");
  for (int k = 0; k < n.arity(); ++k) {
    const Node& src = g.node(n.inputs[k]);
    if (src.kind == NodeKind::Constant || !n.op->chain_for(k)) continue;
    ImGui::PushID(k);
    ImGui::TextWrapped("%s", fill_template(g, sel, n.op->chain_for(k)).c_str());
    disabled_wrapped(("shapes: " + fill_template(g, sel, n.op->chain_for(k), true)).c_str());
    ImGui::Text("d%s (from %s) =", src.name.c_str(), n.name.c_str());
    // This node's contribution alone, with the numbers: once it has been sent, and only
    // if neither gradient it is made of or adds to is hidden.
    if (grad_hidden || is_hidden(s, n.inputs[k], true) || (stepping && !s.stepper.sent(sel))) {
      hidden_note(s, n.inputs[k], true);
    } else {
      matrix_table("contribution", vjp_share(g, sel, k, n.grad), s.dark);
    }
    ImGui::PopID();
  }
  section("why");
  // The explanation quotes typical numbers ("sigmoid' is 0.25 at 0"): not while they answer a question.
  bool inputs_hidden = false;
  for (int k = 0; k < n.arity(); ++k) inputs_hidden |= is_hidden(s, n.inputs[k], true);
  if (inputs_hidden) disabled_wrapped("(shown once the questions about this step's gradients are answered)");
  else ImGui::TextWrapped("%s", fill_template(g, sel, n.op->explain).c_str());
}

namespace {

// Check, Train and Export reveal gradients (and Train the output): while they must stay
// hidden the panels say why instead.
bool locked_by_answers(const AppState& s) {
  if (!answers_hidden(s)) return false;
  disabled_wrapped(s.stepper.active() ? "Not during step-through: leave it (Done) to use this panel."
                                      : "Locked while the exercise has open questions: it would give answers away. "
                                        "Answer or reveal every question first.");
  return true;
}

}  // namespace

void run_check_slice(AppState& s) {
  PanelState& p = s.panels;
  if (!p.check_run) return;
  if (p.check_run_revision != s.revision) {  // the program or an input changed: start again on request
    p.check_run.reset();
    return;
  }
  const double budget = p.check_slice_seconds;
  const auto clock = [] { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); };
  const double t0 = clock();
  while (!p.check_run->step(1) && clock() - t0 < budget) {}
  if (p.check_run->done()) {
    p.report = p.check_run->report();
    p.checked_revision = p.check_run_revision;
    p.check_run.reset();
  }
}

void check_panel(AppState& s) {
  if (locked_by_answers(s)) return;
  PanelState& p = s.panels;
  ImGui::Checkbox("re-check on every change", &p.auto_check);
  // Each checked entry costs two forward passes, and large inputs are sampled (core/gradcheck.h):
  // a quick check re-runs on every change; a longer one runs on request, a slice a frame.
  constexpr double kAutoCheckWork = 1 << 22;  // about 10 ms in the browser
  const double work = check_work(s.graph);
  const bool small = s.graph.nodes.size() < 64 && work <= kAutoCheckWork;
  if (p.check_run) {
    // A progress bar: the share of forward passes run, and the count.
    const float done = float(p.check_run->passes_done()) / float(std::max<long long>(1, p.check_run->passes_total()));
    const ImVec2 at = ImGui::GetCursorScreenPos(), size(ImGui::GetContentRegionAvail().x, ImGui::GetFrameHeight());
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(at, ImVec2(at.x + size.x, at.y + size.y), ImGui::GetColorU32(ImGuiCol_FrameBg), 3);
    dl->AddRectFilled(at, ImVec2(at.x + size.x * done, at.y + size.y), ImGui::GetColorU32(ImGuiCol_PlotHistogram), 3);
    ImGui::SetCursorScreenPos(ImVec2(at.x + ImGui::GetStyle().FramePadding.x, at.y + ImGui::GetStyle().FramePadding.y));
    ImGui::Text("%lld of %lld forward passes", p.check_run->passes_done(), p.check_run->passes_total());
    ImGui::SetCursorScreenPos(ImVec2(at.x, at.y + size.y + ImGui::GetStyle().ItemSpacing.y));
    if (ImGui::Button("Cancel")) p.check_run.reset();
  } else if (ImGui::Button("Check now") || (p.auto_check && small && p.checked_revision != s.revision)) {
    p.check_run = std::make_unique<GradCheckRun>(s.graph);
    p.check_run_revision = s.revision;
    if (small) run_check_slice(s);  // a quick check completes in this frame
  }
  ImGui::TextWrapped(
      "Central differences: each input entry is nudged by +-1e-6 (times |entry| if larger than 1) and the change in %s compared with "
      "the backward pass. Error = |analytic - numeric| / max(1, |analytic|, |numeric|).",
      s.graph.node(s.graph.output).name.c_str());
  const GradCheck& report = p.report;
  if (p.checked_revision != s.revision && !p.check_run) ImGui::TextDisabled("(out of date: press Check now)");
  if (report.sampled())
    ImGui::TextDisabled("(a sample: %lld of %lld input entries, chosen with a fixed seed)", report.checked, report.entries);
  // Three columns (ui/layout.cpp's column(): no ImGui tables in the build).
  const char* const heads[] = {"input", "max rel. error", "result"};
  for (int k = 0; k < 3; ++k) column(k, 3), ImGui::TextDisabled("%s", heads[k]);
  ImGui::Separator();
  const Palette& pal = palette(s.dark);
  for (const InputCheck& c : report.inputs) {
    ImGui::TextUnformatted(c.name.c_str());
    column(1, 3);
    ImGui::Text("%s", format_short(c.max_error, 3).c_str());
    column(2, 3);
    bool ok = c.max_error <= 1e-6;
    colored_label(ok ? "ok" : "MISMATCH", ok ? pal.ok : pal.error, IM_COL32(255, 255, 255, 255));
  }
}

namespace {

// The loss curve: axes with step numbers and values, linear or log scale. Its rectangle is
// kept in the state (tests and layout() find the plot by it).
void loss_plot(AppState& s) {
  Training& t = s.training;
  const Palette& pal = palette(s.dark);
  const float font = ImGui::GetFontSize();
  const float margin_l = ImGui::CalcTextSize("-0.0000").x + 6, margin_b = 2 * font + 6;
  ImVec2 at = ImGui::GetCursorScreenPos();
  float w = std::max(240.f, ImGui::GetContentRegionAvail().x), h = std::max(160.f, font * 10);
  ImGui::Dummy(ImVec2(w, h));
  ImVec2 a(at.x + margin_l, at.y + font + 6), b(at.x + w - 6, at.y + h - margin_b);  // the plotting area
  t.plot = {at.x, at.y, w, h, true};
  ImDrawList* dl = ImGui::GetWindowDrawList();
  // Axis titles: the output above the values, the step number under the steps.
  const Graph& g = s.graph;
  std::string y_title = (g.output >= 0 ? g.node(g.output).name : std::string("output")) + (t.log_scale ? " (log scale)" : "");
  dl->AddText(ImVec2(at.x + 2, at.y), pal.text_dim, y_title.c_str());
  dl->AddText(ImVec2((a.x + b.x - ImGui::CalcTextSize("training step").x) / 2, b.y + font + 4), pal.text_dim,
              "training step");
  dl->AddRectFilled(a, b, pal.canvas_bg);
  dl->AddRect(a, b, pal.card_border);
  std::vector<double> ys;
  for (float v : t.history) ys.push_back(t.log_scale ? std::log10(std::max(double(v), 1e-300)) : double(v));
  if (ys.empty()) {
    const char* msg = "no steps yet: press Step or Run";
    ImVec2 ts = ImGui::CalcTextSize(msg);
    dl->AddText(ImVec2((a.x + b.x - ts.x) / 2, (a.y + b.y - ts.y) / 2), pal.text_dim, msg);
    return;
  }
  double lo = *std::min_element(ys.begin(), ys.end()), hi = *std::max_element(ys.begin(), ys.end());
  if (!(hi > lo)) lo -= 0.5, hi += 0.5;
  const int n = int(ys.size());
  auto X = [&](int i) { return a.x + (b.x - a.x) * (n > 1 ? float(i) / float(n - 1) : 0.5f); };
  auto Y = [&](double v) { return b.y - (b.y - a.y) * float((v - lo) / (hi - lo)); };
  // Value ticks (left) and step ticks (below).
  for (int k = 0; k <= 2; ++k) {
    double v = lo + (hi - lo) * k / 2;
    std::string label = format_short(t.log_scale ? std::pow(10.0, v) : v, 3);
    float y = Y(v);
    dl->AddLine(ImVec2(a.x - 3, y), ImVec2(a.x, y), pal.text_dim);
    ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    dl->AddText(ImVec2(a.x - 5 - ts.x, std::clamp(y - ts.y / 2, a.y - 2, b.y - ts.y + 2)), pal.text_dim, label.c_str());
  }
  for (int step : {1, (n + 1) / 2, n}) {
    if (step == (n + 1) / 2 && (step == 1 || step == n)) continue;
    float x = X(step - 1);
    std::string label = std::to_string(step);
    ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    dl->AddLine(ImVec2(x, b.y), ImVec2(x, b.y + 3), pal.text_dim);
    dl->AddText(ImVec2(std::clamp(x - ts.x / 2, a.x, b.x - ts.x), b.y + 3), pal.text_dim, label.c_str());
  }
  std::vector<ImVec2> points;
  for (int i = 0; i < n; ++i) points.push_back(ImVec2(X(i), Y(ys[size_t(i)])));
  dl->PushClipRect(a, b, true);
  if (n == 1) dl->AddCircleFilled(points[0], 3, pal.current);
  else dl->AddPolyline(points.data(), n, pal.current, 0, 2.0f);
  dl->PopClipRect();
}

}  // namespace

void train_panel(AppState& s) {
  Training& t = s.training;
  if (locked_by_answers(s)) {
    t.running = false;
    t.plot.visible = false;
    return;
  }
  ImGui::TextWrapped("Gradient descent: each step subtracts learning rate x gradient from the ticked inputs "
                     "(the parameters; data and targets stay as they are).");
  for (int id : s.graph.input_ids()) {
    const std::string& name = s.graph.node(id).name;
    bool on = t.train.count(name) > 0;
    ImGui::BeginDisabled(is_locked(s, name));
    if (ImGui::Checkbox(name.c_str(), &on)) {
      if (on) t.train.insert(name);
      else t.train.erase(name);
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
  }
  ImGui::NewLine();
  float lr = float(t.learning_rate);
  if (ImGui::SliderFloat("learning rate", &lr, 1e-4f, 10.f, "%.4g", ImGuiSliderFlags_Logarithmic)) t.learning_rate = lr;
  ImGui::BeginDisabled(t.train.empty());
  if (ImGui::Button("Step")) train_step(s);
  ImGui::SameLine();
  if (ImGui::Button(t.running ? "Pause" : "Run")) t.running = !t.running;
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(t.start_values.empty() && t.history.empty());
  if (ImGui::Button("Reset training")) {
    reset_training(s);
    s.status = "Training reset to the starting values (undoable).";
  }
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("Put the trained inputs back to their values before the first step");
  if (t.train.empty()) ImGui::TextDisabled("tick at least one input to train");
  const std::string out = s.graph.node(s.graph.output).name;
  if (t.history.empty()) ImGui::Text("step 0   %s = %s", out.c_str(), format_short(s.graph.node(s.graph.output).value(0, 0), 6).c_str());
  else ImGui::Text("step %d   %s = %s", int(t.history.size()), out.c_str(), format_short(t.history.back(), 6).c_str());
  ImGui::SameLine();
  ImGui::Checkbox("log scale", &t.log_scale);
  loss_plot(s);
}

void export_panel(AppState& s) {
  if (locked_by_answers(s)) return;
  int& which = s.panels.export_format;
  ImGui::RadioButton("PyTorch", &which, 0);
  ImGui::SameLine();
  ImGui::RadioButton("NumPy", &which, 1);
  ImGui::SameLine();
  ImGui::RadioButton("JSON", &which, 2);
  ImGui::SameLine();
  ImGui::RadioButton("Program", &which, 3);
  std::string text = which == 0 ? export_pytorch(s.graph)
                     : which == 1 ? export_numpy(s.graph)
                     : which == 2 ? graph_json(s.graph, 2)
                                  : s.graph.program_text();
  if (ImGui::Button("Copy to clipboard")) {
    ImGui::SetClipboardText(text.c_str());
    s.status = "Copied to the clipboard.";
  }
  if (s.picture_download) {  // the browser: the graph as drawn, for slides (web/embed.js)
    ImGui::SameLine();
    if (ImGui::Button("Save picture (PNG)")) s.png_request = AppState::Picture::Download;
    ImGui::SameLine();
    if (ImGui::Button("SVG")) s.svg_request = AppState::Picture::Download;
  }
  code_box("##export", text, -1);
}

}  // namespace gs::ui
