// The Exercise tab: predict-then-reveal questions for students, and "make this an
// exercise" for instructors.
#include <imgui.h>

#include <cmath>

#include "core/exercise.h"
#include "ui/layout.h"
#include "ui/panels.h"
#include "ui/theme.h"

namespace gs::ui {
namespace {

std::string question_text(const AppState& s, const Question& q) {
  return q.gradient ? grad_label(s.graph, s.graph.find(q.node)) : q.node;
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
  if (s.stepper.active() && !a.done() && s.stepper.step() == s.stepper.computing_step(id, q.gradient))
    ImGui::PushTextWrapPos(0), ImGui::TextColored(ImVec4(0.0f, 0.55f, 0.35f, 1), "This step computes it: predict before you step on."), ImGui::PopTextWrapPos();
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
        bool not_number = a.checked && k < a.not_number.size() && a.not_number[k];
        if (marked)
          ImGui::PushStyleColor(ImGuiCol_FrameBg, a.marked.right[k] ? ImGui::ColorConvertU32ToFloat4(pal.ok)
                                                                  : ImGui::ColorConvertU32ToFloat4(pal.error));
        char buf[48];
        std::snprintf(buf, sizeof buf, "%s", a.cells[k].c_str());
        ImGui::SetNextItemWidth(w);
        if (ImGui::InputText("##cell", buf, sizeof buf)) {
          a.cells[k] = buf;
          a.checked = false;
        }
        if (marked) ImGui::PopStyleColor();
        if (not_number && ImGui::IsItemHovered()) ImGui::SetTooltip("not a number: type e.g. 0.25, 1/4 or -2.5e-1");
        ImGui::PopID();
      }
    for (size_t k = 0; a.checked && k < a.not_number.size(); ++k)
      if (a.not_number[k])
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal.error), "entry (%d, %d) '%s': not a number",
                           int(k / size_t(truth.cols())) + 1, int(k % size_t(truth.cols())) + 1, a.cells[k].c_str());
  }
  if (ImGui::Button("Check")) check_answer(s, qi);
  ImGui::SameLine();
  if (!a.revealed) {
    if (ImGui::Button("Reveal")) a.revealed = true, ++s.revision;
  } else if (ImGui::Button(a.show_step ? "Hide step" : "Show step")) {
    a.show_step = !a.show_step;
  }
  ImGui::SameLine();
  if (a.right_first_try()) ImGui::TextColored(ImVec4(0.0f, 0.55f, 0.25f, 1), "Right on the first try!");
  else if (a.right_after_retries()) ImGui::TextColored(ImVec4(0.0f, 0.55f, 0.25f, 1), "Right after %d tries", a.right_at);
  else if (a.revealed) ImGui::TextDisabled("revealed");
  else if (a.checked) ImGui::Text("%d of %d entries right", a.marked.correct, a.marked.total);
  if (a.revealed && a.show_step) {
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
  std::set<std::string>& ask_values = s.panels.ask_values;
  std::set<std::string>& ask_grads = s.panels.ask_grads;
  std::set<std::string>& lock = s.panels.lock;
  std::set<std::string>& hide = s.panels.hide;
  ImGui::TextWrapped("Make this program an exercise: tick what students must predict. The choices become "
                     "'#!' lines at the top of the program, so the exercise travels in files, links and embeds.");
  {  // three columns (ui/layout.cpp's column(): no ImGui tables in the build)
    const char* const heads[] = {"node", "ask value", "ask gradient"};
    for (int k = 0; k < 3; ++k) column(k, 3), ImGui::TextDisabled("%s", heads[k]);
    ImGui::Separator();
    for (const Node& n : s.graph.nodes) {
      if (n.generated_name) continue;
      ImGui::PushID(n.name.c_str());
      ImGui::AlignTextToFramePadding();
      ImGui::TextUnformatted(n.name.c_str());
      auto toggle = [](std::set<std::string>& set, const std::string& name, const char* id) {
        bool on = set.count(name) > 0;
        if (ImGui::Checkbox(id, &on)) {
          if (on) set.insert(name);
          else set.erase(name);
        }
      };
      column(1, 3);
      if (n.kind != NodeKind::Input) toggle(ask_values, n.name, "##v");
      column(2, 3);
      toggle(ask_grads, n.name, "##g");
      ImGui::PopID();
    }
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
  for (const char* panel : kHideablePanels) {
    if (std::string(panel) == "side") continue;  // the side panel holds the exercise itself
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
      if (g.nodes[j].inputs[k] == id && g.nodes[j].op->chain_for(k)) {
        out.push_back("from " + g.nodes[j].name + " = " + g.nodes[j].expr + ": " +
                      fill_template(g, int(j), g.nodes[j].op->chain_for(k)));
        out.push_back("  shapes: " + fill_template(g, int(j), g.nodes[j].op->chain_for(k), true));
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
  const ExerciseSummary sum = exercise_summary(s);
  const int done = int(s.exercise.questions.size()) - sum.open;
  ImGui::TextWrapped("Exercise: %d right on the first try, %d after retries, %d revealed, %d open", sum.first_try,
                     sum.after_retries, sum.revealed, sum.open);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("Type your prediction (a number or a sum like 1/4), then Check (tolerance %s). Reveal shows "
                     "the answer and its chain-rule step.",
                     format_short(s.exercise.tolerance, 3).c_str());
  ImGui::PopStyleColor();
  ImGui::Separator();
  for (size_t q = 0; q < s.exercise.questions.size() && q < s.answers.size(); ++q) question_block(s, q);
  if (done == int(s.exercise.questions.size())) ImGui::TextWrapped("All done. Drag the inputs and see how the answers change.");
  // Not while it locks inputs: removing its lines would unlock them.
  if (panel_visible(s, "editor") && s.exercise.locked.empty() &&
      ImGui::SmallButton("Stop the exercise (remove its '#!' lines)"))
    set_program(s, strip_exercise(s.graph.program_text()), s.example);
}

}  // namespace gs::ui
