// Side panels. They only read the graph and write inputs or a new program back.
#include "ui/panels.h"

#include <imgui.h>
#include <imgui_internal.h>  // GetActiveID, ClearActiveID: Escape in the program editor

#include <cmath>
#include <cstring>

#include "core/examples.h"
#include "core/export.h"
#include "core/gradcheck.h"
#include "core/serialize.h"
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

bool input_text_multiline(const char* label, std::string& str, ImVec2 size) {
  // Escape leaves the editor and keeps what was typed. (ImGui's own Escape restores the text
  // as it was when editing began: all the typing since the click, lost to one key.)
  if (ImGui::GetActiveID() == ImGui::GetID(label) && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false))
    ImGui::ClearActiveID();
  return ImGui::InputTextMultiline(label, str.data(), str.capacity() + 1, size,
                                   ImGuiInputTextFlags_CallbackResize | ImGuiInputTextFlags_AllowTabInput,
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
  if (!ImGui::BeginTable(id, int(m.cols()), ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) return;
  double scale = 0;
  for (Eigen::Index i = 0; i < m.size(); ++i)
    if (std::isfinite(m.data()[i])) scale = std::max(scale, std::abs(m.data()[i]));
  if (scale == 0) scale = 1;
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    ImGui::TableNextRow();
    for (Eigen::Index c = 0; c < m.cols(); ++c) {
      ImGui::TableSetColumnIndex(int(c));
      ImU32 bg = heat_color(m(r, c) / scale, dark);
      ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, bg);
      ImGui::PushStyleColor(ImGuiCol_Text, text_on(bg));
      ImGui::Text("%s", format_short(m(r, c), 5).c_str());
      ImGui::PopStyleColor();
    }
  }
  ImGui::EndTable();
}

// A labelled rule between sections (ImGui 1.86 has no SeparatorText).
void section(const std::string& label) {
  ImGui::Spacing();
  ImGui::TextDisabled("%s", label.c_str());
  ImGui::Separator();
}

}  // namespace

std::string fill_template(const Graph& g, int node, const char* text, bool shapes) {
  if (!text) return "";
  const Node& n = g.node(node);
  const std::string out_name = g.node(g.output).name;
  std::string result;
  for (const char* p = text; *p;) {
    if (*p == '{') {
      const char* close = std::strchr(p, '}');
      if (!close) break;
      std::string key(p + 1, close);
      bool is_grad = !result.empty() && result.back() == 'd' &&
                     (result.size() == 1 || !std::isalnum(static_cast<unsigned char>(result[result.size() - 2])));
      const Node* target = key == "out" ? &n : key == "0" ? &g.node(n.inputs[0])
                                         : key == "1" && n.inputs[1] >= 0 ? &g.node(n.inputs[1]) : nullptr;
      if (key == "p") {
        result += format_number(n.attr);
      } else if (target) {
        if (shapes) {
          if (is_grad) result.pop_back();
          result += to_string(target->shape());
        } else {
          result += target->name;
        }
      }
      p = close + 1;
    } else {
      result += *p++;
    }
  }
  (void)out_name;
  return result;
}

void program_panel(AppState& s) {
  if (ImGui::BeginCombo("##examples", s.example.empty() ? "Examples..." : s.example.c_str())) {
    for (const Example& e : examples()) {
      if (ImGui::Selectable(e.name, s.example == e.name)) load_example(s, e.name);
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", e.title);
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  if (ImGui::Button("Reset")) load_example(s, s.example.empty() ? "seed" : s.example);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Reload the example with its original numbers");
  float h = std::max(120.f, ImGui::GetContentRegionAvail().y * 0.55f);
  std::string text = s.program;
  text.reserve(text.size() + 256);
  // Whole lines: the box is as wide as the longest line and scrolls sideways (ui/layout.cpp).
  bool edited = input_text_multiline("##program", text, begin_editor_box(s.program, h));
  ImGui::EndChild();
  if (edited && text != s.program) set_program(s, text, s.example);
  if (s.error) {
    const Error& e = *s.error;
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.85f, 0.15f, 0.15f, 1));
    ImGui::TextWrapped("line %d, column %d: %s", e.line, e.column, e.message.c_str());
    ImGui::PopStyleColor();
    if (!e.source_line.empty()) {
      std::string caret(size_t(std::max(0, e.column - 1)), ' ');
      ImGui::TextUnformatted(("  " + e.source_line + "\n  " + caret + "^").c_str());
    }
    ImGui::TextDisabled("The graph shows the last program that worked.");
  } else {
    ImGui::TextDisabled("%d nodes; output %s = %s", int(s.graph.nodes.size()),
                        s.graph.node(s.graph.output).name.c_str(),
                        format_short(s.graph.node(s.graph.output).value(0, 0), 6).c_str());
  }
}

void inputs_panel(AppState& s) {
  for (int id : s.graph.input_ids()) {
    Node& n = s.graph.node(id);
    bool locked = is_locked(s, n.name);
    ImGui::PushID(id);
    ImGui::Text("%s %s%s", n.name.c_str(), to_string(n.shape()).c_str(), locked ? "  (locked)" : "");
    if (n.value.rows() <= 8 && n.value.cols() <= 8) {
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
      static int rows = 1, cols = 1;
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

void inspector_panel(AppState& s) {
  const Graph& g = s.graph;
  if (s.selected < 0 || s.selected >= int(g.nodes.size())) {
    ImGui::TextWrapped("Click a node in the graph to see its value, its gradient and the chain rule that produced it.");
    return;
  }
  const Node& n = g.node(s.selected);
  const std::string f = g.node(g.output).name;
  ImGui::Text("%s  %s", n.name.c_str(), to_string(n.shape()).c_str());
  const bool value_hidden = is_hidden(s, s.selected, false), grad_hidden = is_hidden(s, s.selected, true);
  if (n.kind == NodeKind::Input) ImGui::TextDisabled("an input: drag its entries, or type them in the Inputs panel");
  else if (n.kind == NodeKind::Constant) ImGui::TextDisabled("a constant from the program text");
  else ImGui::TextWrapped("%s", fill_template(g, s.selected, n.op->formula).c_str());
  section("value");
  if (value_hidden) ImGui::TextDisabled("(hidden: an exercise asks for it)");
  else matrix_table("value", n.value, s.dark);
  section(("gradient d" + f + "/d" + n.name).c_str());
  if (grad_hidden) ImGui::TextDisabled("(hidden: an exercise asks for it)");
  else matrix_table("grad", n.grad, s.dark);
  if (n.kind != NodeKind::Op) {
    // Which ops send gradient here.
    for (size_t j = 0; j < g.nodes.size(); ++j)
      for (int k = 0; k < g.nodes[j].arity(); ++k)
        if (g.nodes[j].inputs[k] == s.selected && g.nodes[j].op->chain[k])
          ImGui::BulletText("from %s: %s", g.nodes[j].name.c_str(),
                            fill_template(g, int(j), g.nodes[j].op->chain[k]).c_str());
    return;
  }
  section("local derivative");
  ImGui::TextWrapped("%s", fill_template(g, s.selected, n.op->local).c_str());
  section("chain rule");
  for (int k = 0; k < n.arity(); ++k) {
    const Node& src = g.node(n.inputs[k]);
    if (src.kind == NodeKind::Constant || !n.op->chain[k]) continue;
    ImGui::PushID(k);
    ImGui::TextWrapped("%s", fill_template(g, s.selected, n.op->chain[k]).c_str());
    disabled_wrapped(("shapes: " + fill_template(g, s.selected, n.op->chain[k], true)).c_str());
    // This node's contribution alone, with the numbers.
    Matrix contribution = Matrix::Zero(src.value.rows(), src.value.cols());
    const Matrix* in[2] = {&g.node(n.inputs[0]).value, n.inputs[1] >= 0 ? &g.node(n.inputs[1]).value : nullptr};
    Matrix* gin[2] = {nullptr, nullptr};
    gin[k] = &contribution;
    n.op->vjp(in, n.attr, n.value, n.grad, gin);
    ImGui::Text("d%s (from %s) =", src.name.c_str(), n.name.c_str());
    if (is_hidden(s, n.inputs[k], true) || grad_hidden) ImGui::TextDisabled("(hidden: an exercise asks for it)");
    else matrix_table("contribution", contribution, s.dark);
    ImGui::PopID();
  }
  section("why");
  ImGui::TextWrapped("%s", fill_template(g, s.selected, n.op->explain).c_str());
}

void check_panel(AppState& s) {
  static unsigned long long checked_revision = ~0ull;
  static GradCheck report;
  static bool auto_run = true;
  ImGui::Checkbox("re-check on every change", &auto_run);
  bool small = s.graph.nodes.size() < 64;
  long long entries = 0;
  for (int id : s.graph.input_ids()) entries += s.graph.node(id).value.size();
  small = small && entries <= 400;
  // Each entry costs two forward passes: a large program is checked only on request, and a
  // very large one not at all (it would freeze the window).
  const bool affordable = entries <= 20000;
  ImGui::BeginDisabled(!affordable);
  bool now = ImGui::Button("Check now");
  ImGui::EndDisabled();
  if (!affordable) ImGui::TextDisabled("(%lld input entries: too many to check interactively; use gradscope check)", entries);
  if ((now && affordable) || (auto_run && small && checked_revision != s.revision)) {
    Graph copy = s.graph;
    report = gradient_check(copy);
    checked_revision = s.revision;
  }
  ImGui::TextWrapped(
      "Central differences: each input entry is nudged by +-1e-6 (times |entry| if larger than 1) and the change in %s compared with "
      "the backward pass. Error = |analytic - numeric| / max(1, |analytic|, |numeric|).",
      s.graph.node(s.graph.output).name.c_str());
  if (checked_revision != s.revision) ImGui::TextDisabled("(out of date: press Check now)");
  if (ImGui::BeginTable("check", 3, ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg)) {
    ImGui::TableSetupColumn("input");
    ImGui::TableSetupColumn("max rel. error");
    ImGui::TableSetupColumn("result");
    ImGui::TableHeadersRow();
    const Palette& pal = palette(s.dark);
    for (const InputCheck& c : report.inputs) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(c.name.c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%s", format_short(c.max_error, 3).c_str());
      ImGui::TableNextColumn();
      bool ok = c.max_error <= 1e-6;
      ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, ok ? pal.ok : pal.error);
      ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 255, 255, 255));
      ImGui::TextUnformatted(ok ? "ok" : "MISMATCH");
      ImGui::PopStyleColor();
    }
    ImGui::EndTable();
  }
}

void train_panel(AppState& s) {
  Training& t = s.training;
  ImGui::TextWrapped("Gradient descent: each step subtracts learning rate x gradient from the chosen inputs.");
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
  if (ImGui::Button("Clear plot")) t.history.clear();
  if (t.train.empty()) ImGui::TextDisabled("tick at least one input to train");
  if (t.running && !t.train.empty()) train_step(s);
  if (!t.history.empty()) {
    std::string label = s.graph.node(s.graph.output).name + " = " + format_short(t.history.back(), 6) + " after " +
                        std::to_string(t.history.size()) + " steps";
    ImGui::PlotLines("##history", t.history.data(), int(t.history.size()), 0, label.c_str(), FLT_MAX, FLT_MAX,
                     ImVec2(-1, 140));
  }
}

void export_panel(AppState& s) {
  static int which = 0;
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
  wrapped_text_box("##export", text, -1);
}

}  // namespace gs::ui
