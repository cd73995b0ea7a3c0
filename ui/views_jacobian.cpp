// The Jacobian view: one step's J as a labelled heatmap, the upstream gradient beside it, and
// g^T J under it next to the VJP backward computes without ever building J.
#include <algorithm>
#include <cstdio>

#include "ui/graph_parts.h"
#include "ui/theme.h"
#include "ui/views.h"

namespace gs::ui {
namespace {

// "g^T J = [0.1, -2, 3]" on as many lines as it needs, broken only between numbers (ImGui's
// wrapping would break after the point inside "-0.031").
void number_list(const char* name, const Matrix& m) {
  std::string line = std::string(name) + " = [";
  const float width = ImGui::GetContentRegionAvail().x;
  for (Eigen::Index i = 0; i < m.size(); ++i) {
    const std::string item = format_short(m.data()[i], 4) + (i + 1 < m.size() ? "," : "]");
    if (i > 0 && ImGui::CalcTextSize((line + " " + item).c_str()).x > width) {
      ImGui::TextUnformatted(line.c_str());
      line = "   ";
    } else if (i > 0) {
      line += ' ';
    }
    line += item;
  }
  ImGui::TextUnformatted(line.c_str());
}

// Labels along a run of cells, on up to two staggered lines, each only where it has room.
void axis_labels(ImDrawList* dl, const std::vector<std::string>& labels, ImVec2 at, float step, bool across, ImU32 col) {
  float end[2] = {-1e9f, -1e9f};
  const float font = ImGui::GetFontSize();
  for (size_t k = 0; k < labels.size(); ++k) {
    ImVec2 ts = ImGui::CalcTextSize(labels[k].c_str());
    if (!across) {  // row labels: right-aligned before the row, where the rows are tall enough
      float y = at.y + step * float(k) + (step - ts.y) / 2;
      if (y < end[0]) continue;
      dl->AddText(ImVec2(at.x - ts.x - 4, y), col, labels[k].c_str());
      end[0] = y + ts.y;
      continue;
    }
    // Centred over its column, but never past the grid's right edge (where g's column starts).
    float x = std::min(at.x + step * (float(k) + 0.5f) - ts.x / 2, at.x + step * float(labels.size()) - ts.x);
    int line = x > end[0] ? 0 : x > end[1] ? 1 : -1;
    if (line < 0) continue;
    dl->AddText(ImVec2(x, at.y - float(2 - line) * font - 2), col, labels[k].c_str());
    end[line] = x + ts.x + 4;
  }
}

}  // namespace

void jacobian_view(AppState& s) {
  ViewsState& v = s.views;
  const Graph& g = s.graph;
  const Palette& pal = palette(s.dark);
  if (s.selected < 0 || s.selected >= int(g.nodes.size())) {
    ImGui::TextWrapped("Click a node in the graph: this view shows its Jacobian against one of its inputs, or the "
                       "output's against it.");
    return;
  }
  const int sel = s.selected;
  const Node& n = g.node(sel);
  if (n.kind != NodeKind::Op) v.slot = -1;
  v.slot = std::clamp(v.slot, -1, n.arity() - 1);
  char label[256];
  bool first = true;
  for (int k = 0; k < n.arity(); ++k) {
    if (g.node(n.inputs[k]).kind == NodeKind::Constant) continue;
    std::snprintf(label, sizeof label, "d%s/d%s", n.name.c_str(), g.node(n.inputs[k]).name.c_str());
    if (wrapping_radio(label, v.slot == k, first)) v.slot = k;
    first = false;
  }
  std::snprintf(label, sizeof label, "%s (output)", grad_label(g, sel).c_str());
  if (wrapping_radio(label, v.slot == -1, first)) v.slot = -1;
  const std::vector<double> key = {double(s.revision), double(sel), double(v.slot), double(v.chosen),
                                   double(g.nodes.size())};
  if (key != v.jac_key) {
    auto j = v.slot < 0 ? output_jacobian(g, sel, v.chosen) : local_jacobian(g, sel, v.slot, v.chosen);
    v.jac_key = key;
    v.jac_error = j ? "" : j.error().message;
    if (j) v.jac = std::move(j.value());
  }
  if (!v.jac_error.empty()) {
    ImGui::TextWrapped("%s", v.jac_error.c_str());
    return;
  }
  const Jacobian& j = v.jac;
  const char* of = g.node(j.of).name.c_str();
  const char* wrt = g.node(j.wrt).name.c_str();
  bring_into_sight(v);  // on a phone: J, not the tab buttons above it
  ImGui::Text("J = d%s/d%s: %ld x %ld", of, wrt, j.rows, j.cols);
  ImGui::TextDisabled("rows: entries of %s; columns: entries of %s", of, wrt);
  if (!j.note.empty()) {
    dim_text(j.note.c_str());
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
    ImGui::InputInt(j.rows > kJacobianSide ? "row shown" : "column shown", &v.chosen);
    v.chosen = std::clamp(v.chosen, 0, int(j.rows > kJacobianSide ? j.rows : j.cols) - 1);
  }
  // The heatmap: row labels on the left, column labels above (two staggered lines), g on the right.
  const float font = ImGui::GetFontSize();
  float label_w = 0;
  for (const std::string& l : j.row_labels) label_w = std::max(label_w, ImGui::CalcTextSize(l.c_str()).x);
  const bool full = j.note.empty();
  const float avail = ImGui::GetContentRegionAvail().x - label_w - 8 - (full ? font * 4 : 0);
  const float cw = std::clamp(avail / float(j.J.cols()), 3.f, font * 4);
  const float ch = std::clamp(cw, std::min(cw, font + 4), font + 4);
  const ImVec2 top = ImGui::GetCursorScreenPos();
  const ImVec2 at(top.x + label_w + 8, top.y + 2 * font + 4);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 size = heat_cells(dl, at, cw, ch, j.J, s.dark, true);
  axis_labels(dl, j.row_labels, at, ch, false, pal.text_dim);
  axis_labels(dl, j.col_labels, at, cw, true, pal.text_dim);
  const bool grads = shows_gradient(s, j.of) && shows_gradient(s, j.wrt);
  float right = at.x + size.x;
  if (full && grads) {  // the upstream gradient, one entry beside each row of J
    const float gx = right + font * 0.6f;
    dl->AddText(ImVec2(gx, at.y - font - 2), pal.text_dim, "g");
    ImVec2 gs = heat_cells(dl, ImVec2(gx, at.y), font * 3.2f, ch, j.upstream.transpose(), s.dark, true);
    right = gx + gs.x;
  }
  float y = at.y + size.y + 4;
  if (full && grads) {  // g^T J and the VJP under J's columns
    for (const auto& [name, m] : {std::pair{"g^T J", &j.product}, {"VJP", &j.vjp}}) {
      heat_cells(dl, ImVec2(at.x, y), cw, ch, *m, s.dark, true);
      ImVec2 ts = ImGui::CalcTextSize(name);
      dl->AddText(ImVec2(at.x - ts.x - 4, y + (ch - ts.y) / 2), pal.text, name);
      y += ch + 3;
    }
  }
  ImGui::Dummy(ImVec2(right - top.x, y - top.y));
  record_rect(v.jacobian, top, ImVec2(right - top.x, y - top.y));
  if (ImGui::IsItemHovered() && full) {  // the entry under the pointer, exactly
    ImVec2 m = ImGui::GetIO().MousePos;
    int c = int((m.x - at.x) / cw), r = int((m.y - at.y) / ch);
    if (c >= 0 && c < j.J.cols() && r >= 0 && r < j.J.rows())
      ImGui::SetTooltip("d%s / d%s = %s", j.row_labels[size_t(r)].c_str(), j.col_labels[size_t(c)].c_str(),
                        format_short(j.J(r, c), 6).c_str());
  }
  if (full && grads) {
    ImGui::TextWrapped("g = %s (upstream), a row of %ld.", grad_label(g, j.of).c_str(), j.rows);
    if (j.cols <= 16) {
      number_list("g^T J", j.product);
      number_list("VJP  ", j.vjp);
    }
    ImGui::PushStyleColor(ImGuiCol_Text, j.max_difference <= 1e-12 ? pal.ok : pal.error);
    ImGui::TextWrapped("g^T J equals the VJP backward computed for %s: largest difference %s.",
                       grad_label(g, j.wrt).c_str(), format_short(j.max_difference, 3).c_str());
    ImGui::PopStyleColor();
  }
  ImGui::Spacing();
  ImGui::TextWrapped(
      "Why reverse mode never builds J: J has one row per entry of %s and one column per entry of %s (%ld numbers "
      "here, mostly zeros for entrywise ops), but backward only ever needs g^T J. Each op's VJP rule computes that "
      "product straight from its inputs, at about the cost of the forward op, so one reverse sweep gives the gradient "
      "of every input without storing a single Jacobian. This view builds J only to show what the VJP stands for: a "
      "column at a time, with one forward-mode (JVP) sweep per entry of %s.",
      of, wrt, j.rows * j.cols, wrt);
}

}  // namespace gs::ui
