// Cell-level chain rule for the hover tooltip and the Inspector: what each op's record tells
// (core/cell_story.h), shown unless an exercise or the step-through keeps the cell unknown.
#include "ui/cell_story.h"

#include <imgui.h>

#include "ui/panels.h"

namespace gs::ui {
void cell_story_section(const AppState& s, const Graph& g) {
  const CellRef& last = s.view.story_cell;
  const Node& n = g.node(s.selected);
  const bool fits = last.node == s.selected && last.row < n.value.rows() && last.col < n.value.cols();
  const CellRef cell = fits ? last : CellRef{s.selected, false, 0, 0};
  std::vector<CellRef> reads;
  std::string text = cell_story(s, g, cell, reads);
  ImGui::Spacing();
  ImGui::TextDisabled("one cell (hover another in the graph)");
  ImGui::Separator();
  ImGui::TextWrapped("%s", text.c_str());
}

Matrix contribution(const Graph& g, int user, int k) { return vjp_share(g, user, k, g.node(user).grad); }

std::string cell_story(const AppState& s, const Graph& g, const CellRef& cell, std::vector<CellRef>& reads) {
  const Node& n = g.node(cell.node);
  const double v = cell.grad ? n.grad(cell.row, cell.col) : n.value(cell.row, cell.col);
  const std::string plain = (cell.grad ? grad_label(g, cell.node) : n.name) + "[" + std::to_string(cell.row) + "][" +
                            std::to_string(cell.col) + "] = ";
  // While a question is open, or the step-through has not reached it, the cell tells nothing.
  const bool unknown = is_hidden(s, cell.node, cell.grad) || (cell.grad && !shows_gradient(s, cell.node)) ||
                       (s.stepper.active() && (cell.grad ? s.stepper.grad_state(cell.node) == GradState::Unknown
                                                         : !s.stepper.value_known(cell.node)));
  if (unknown) return plain + "?";
  if (exercise_pending(s) || s.stepper.active() || n.value.size() > 4096) return plain + format_number(v);
  return cell.grad ? grad_story(g, cell.node, cell.row, cell.col, reads)
                   : value_story(g, cell.node, cell.row, cell.col, reads);
}

}  // namespace gs::ui
