// The Exercise tab: predict-then-reveal questions for students, and "make this an
// exercise" for instructors.
#include <imgui.h>

#include <cmath>

#include "core/exercise.h"
#include "ui/panels.h"
#include "ui/theme.h"

namespace gs::ui {
namespace {

std::string question_text(const AppState& s, const Question& q) {
  const std::string f = s.graph.node(s.graph.output).name;
  return q.gradient ? "d" + f + "/d" + q.node : q.node;
}

void reveal_step(const AppState& s, const Question& q) {
  for (const std::string& line : reveal_lines(s, q)) ImGui::TextWrapped("%s", line.c_str());
}

void question_block(AppState& s, size_t qi) {
  const Question& q = s.exercise.questions[qi];
  Answer& a = s.answers[qi];
  int id = s.graph.find(q.node);
  if (id < 0) return;
  const Matrix& truth = q.gradient ? s.graph.node(id).grad : s.graph.node(id).value;
  a.cells.resize(size_t(truth.size()));
  const Palette& pal = palette(s.dark);
  ImGui::PushID(int(qi));
  ImGui::TextWrapped("%d. What is %s?  %s", int(qi) + 1, question_text(s, q).c_str(), to_string(shape_of(truth)).c_str());
  if (s.stepper.active() && s.stepper.current() >= 0 && s.graph.node(s.stepper.current()).name == q.node)
    ImGui::TextColored(ImVec4(0.0f, 0.55f, 0.35f, 1), "This step computes it: predict before you step on.");
  if (truth.rows() > 8 || truth.cols() > 8) {
    ImGui::TextDisabled("(too large to type entry by entry: use Reveal)");
  } else {
    float w = std::min(64.f, (ImGui::GetContentRegionAvail().x - 8) / float(truth.cols()) - 4);
    for (Eigen::Index r = 0; r < truth.rows(); ++r)
      for (Eigen::Index c = 0; c < truth.cols(); ++c) {
        if (c) ImGui::SameLine(0, 4);
        size_t k = size_t(r * truth.cols() + c);
        ImGui::PushID(int(k));
        bool marked = a.checked && k < a.marked.right.size();
        if (marked)
          ImGui::PushStyleColor(ImGuiCol_FrameBg, a.marked.right[k] ? ImGui::ColorConvertU32ToFloat4(pal.ok)
                                                                  : ImGui::ColorConvertU32ToFloat4(pal.error));
        char buf[48];
        std::snprintf(buf, sizeof buf, "%s", a.cells[k].c_str());
        ImGui::SetNextItemWidth(w);
        if (ImGui::InputText("##cell", buf, sizeof buf, ImGuiInputTextFlags_CharsScientific)) {
          a.cells[k] = buf;
          a.checked = false;
        }
        if (marked) ImGui::PopStyleColor();
        ImGui::PopID();
      }
  }
  if (ImGui::Button("Check")) check_answer(s, qi);
  ImGui::SameLine();
  if (ImGui::Button(a.revealed ? "Hide step" : "Reveal")) a.revealed = !a.revealed;
  if (a.checked) {
    ImGui::SameLine();
    if (a.marked.all()) ImGui::TextColored(ImVec4(0.0f, 0.55f, 0.25f, 1), "Right!");
    else ImGui::Text("%d of %d entries right", a.marked.correct, a.marked.total);
  }
  if (a.revealed) {
    ImGui::PushTextWrapPos(0);  // long answers wrap in the narrow panel
    ImGui::TextDisabled("The answer: %s", format_matrix(truth).c_str());
    ImGui::PopTextWrapPos();
    reveal_step(s, q);
  }
  ImGui::PopID();
  ImGui::Separator();
}

// "Make this an exercise": pick what to ask, lock and hide, then rewrite the program.
void authoring(AppState& s) {
  static std::set<std::string> ask_values, ask_grads, lock, hide;
  ImGui::TextWrapped("Make this program an exercise: tick what students must predict. The choices become "
                     "'#!' lines at the top of the program, so the exercise travels in files, links and embeds.");
  if (ImGui::BeginTable("ask", 3, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("node");
    ImGui::TableSetupColumn("ask value");
    ImGui::TableSetupColumn("ask gradient");
    ImGui::TableHeadersRow();
    for (const Node& n : s.graph.nodes) {
      if (n.generated_name) continue;
      ImGui::PushID(n.name.c_str());
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(n.name.c_str());
      auto toggle = [](std::set<std::string>& set, const std::string& name, const char* id) {
        bool on = set.count(name) > 0;
        if (ImGui::Checkbox(id, &on)) {
          if (on) set.insert(name);
          else set.erase(name);
        }
      };
      ImGui::TableNextColumn();
      if (n.kind != NodeKind::Input) toggle(ask_values, n.name, "##v");
      ImGui::TableNextColumn();
      toggle(ask_grads, n.name, "##g");
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  ImGui::Text("Lock:");
  for (int id : s.graph.input_ids()) {
    ImGui::SameLine();
    bool on = lock.count(s.graph.node(id).name) > 0;
    if (ImGui::Checkbox(s.graph.node(id).name.c_str(), &on)) {
      if (on) lock.insert(s.graph.node(id).name);
      else lock.erase(s.graph.node(id).name);
    }
  }
  ImGui::Text("Hide:");
  for (const char* panel : {"editor", "inputs", "menu"}) {
    ImGui::SameLine();
    bool on = hide.count(panel) > 0;
    if (ImGui::Checkbox(panel, &on)) {
      if (on) hide.insert(panel);
      else hide.erase(panel);
    }
  }
  ImGui::BeginDisabled(ask_values.empty() && ask_grads.empty());
  if (ImGui::Button("Make this an exercise")) {
    Exercise e;
    // Questions follow the backward pass: values in program order, then gradients from the output back.
    for (const Node& n : s.graph.nodes)
      if (ask_values.count(n.name)) e.questions.push_back({n.name, false});
    for (size_t i = s.graph.nodes.size(); i-- > 0;)
      if (ask_grads.count(s.graph.nodes[i].name)) e.questions.push_back({s.graph.nodes[i].name, true});
    e.locked = lock;
    e.hidden_panels = hide;
    std::string text = exercise_header(e) + strip_exercise(s.graph.program_text());
    if (set_program(s, text, s.example)) s.status = "This is now an exercise; share its link or save the file.";
  }
  ImGui::EndDisabled();
}

}  // namespace

std::vector<std::string> reveal_lines(const AppState& s, const Question& q) {
  std::vector<std::string> out;
  const Graph& g = s.graph;
  int id = g.find(q.node);
  if (id < 0) return out;
  const Node& n = g.node(id);
  if (!q.gradient) {
    if (n.kind == NodeKind::Op) out.push_back(fill_template(g, id, n.op->formula));
    return out;
  }
  if (id == g.output) {
    out.push_back("The output's gradient with respect to itself is 1.");
    return out;
  }
  for (size_t j = 0; j < g.nodes.size(); ++j)
    for (int k = 0; k < g.nodes[j].arity(); ++k)
      if (g.nodes[j].inputs[k] == id && g.nodes[j].op->chain[k]) {
        out.push_back("from " + g.nodes[j].name + " = " + g.nodes[j].expr + ": " +
                      fill_template(g, int(j), g.nodes[j].op->chain[k]));
        out.push_back("  shapes: " + fill_template(g, int(j), g.nodes[j].op->chain[k], true));
        out.push_back("  local derivative: " + fill_template(g, int(j), g.nodes[j].op->local));
      }
  return out;
}

bool exercise_pending(const AppState& s) {
  for (size_t q = 0; q < s.exercise.questions.size(); ++q)
    if (q >= s.answers.size() || !s.answers[q].done()) return true;
  return false;
}

void exercise_panel(AppState& s) {
  if (!s.exercise.active()) {
    authoring(s);
    return;
  }
  int done = 0;
  for (const Answer& a : s.answers) done += a.done();
  ImGui::Text("Exercise: %d of %d answered", done, int(s.exercise.questions.size()));
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("Type your prediction, then Check (tolerance %s). Reveal shows the answer and its chain-rule step.",
                     format_short(s.exercise.tolerance, 3).c_str());
  ImGui::PopStyleColor();
  ImGui::Separator();
  for (size_t q = 0; q < s.exercise.questions.size() && q < s.answers.size(); ++q) question_block(s, q);
  if (done == int(s.exercise.questions.size())) ImGui::TextWrapped("All done. Drag the inputs and see how the answers change.");
  if (panel_visible(s, "editor") && ImGui::SmallButton("Stop the exercise (remove its '#!' lines)"))
    set_program(s, strip_exercise(s.graph.program_text()), s.example);
}

}  // namespace gs::ui
