// The loss landscape: f over a grid of two input entries around the current point, filled a
// few rows per frame, with the gradient arrow at the point and the Train tab's path on it.
#include <algorithm>
#include <chrono>
#include <cmath>

#include "ui/graph_parts.h"
#include "ui/theme.h"
#include "ui/views.h"

namespace gs::ui {
namespace {

constexpr double kFrameBudgetMs = 6;  // grid evaluations per frame stop after this long

bool valid_axis(const Graph& g, const LandscapeAxis& a) {
  return a.node >= 0 && a.node < int(g.nodes.size()) && g.node(a.node).kind == NodeKind::Input &&
         a.row < g.node(a.node).value.rows() && a.col < g.node(a.node).value.cols();
}

// Default axes: the first input's first entry, and its last (or the next input's first).
void default_axes(AppState& s) {
  ViewsState& v = s.views;
  const Graph& g = s.graph;
  auto ids = g.input_ids();
  if (ids.empty()) return;
  const Matrix& m = g.node(ids[0]).value;
  if (!valid_axis(g, v.ax)) v.ax = landscape_axis(g, ids[0], 0, 0);
  if (!valid_axis(g, v.ay) || (v.ay.node == v.ax.node && v.ay.row == v.ax.row && v.ay.col == v.ax.col)) {
    if (m.size() > 1) v.ay = landscape_axis(g, ids[0], int(m.rows()) - 1, int(m.cols()) - 1);
    else if (ids.size() > 1) v.ay = landscape_axis(g, ids[1], 0, 0);
  }
}

// What the grid depends on: every input value except the two axis entries, the axes and ranges.
std::vector<double> grid_key(const AppState& s) {
  const ViewsState& v = s.views;
  std::vector<double> key;
  for (const LandscapeAxis* a : {&v.ax, &v.ay})
    key.insert(key.end(), {double(a->node), double(a->row), double(a->col), a->lo, a->hi});
  for (int id : s.graph.input_ids()) {
    Matrix m = s.graph.node(id).value;
    for (const LandscapeAxis* a : {&v.ax, &v.ay})
      if (a->node == id) m(a->row, a->col) = 0;
    key.insert(key.end(), m.data(), m.data() + m.size());
  }
  return key;
}

double entry(const Graph& g, const LandscapeAxis& a, bool grad) {
  return grad ? g.node(a.node).grad(a.row, a.col) : g.node(a.node).value(a.row, a.col);
}

// The axis's input, entry and range.
void axis_picker(AppState& s, const char* id, LandscapeAxis& a) {
  ImGui::PushID(id);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(id);
  ImGui::SameLine();
  int node = a.node;
  bool changed = node_combo("##in", s, node, true);
  int row = a.row, col = a.col;
  changed |= entry_picker(s, node, row, col);
  if (changed) a = landscape_axis(s.graph, node, row, col);
  // "from [lo] to [hi]": the range swept along this axis (drag or type).
  const float w = ImGui::CalcTextSize("-1.23e+05").x + 2 * ImGui::GetStyle().FramePadding.x;  // (%.3g)
  double lo = a.lo, hi = a.hi, step = std::max(1e-3, (hi - lo) / 100);
  ImGui::Indent();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("from");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(w);
  ImGui::DragScalar("##lo", ImGuiDataType_Double, &lo, float(step), nullptr, &hi, "%.3g");
  ImGui::SameLine();
  ImGui::TextUnformatted("to");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(w);
  ImGui::DragScalar("##hi", ImGuiDataType_Double, &hi, float(step), &lo, nullptr, "%.3g");
  ImGui::Unindent();
  if (lo < hi && std::isfinite(lo) && std::isfinite(hi)) a.lo = lo, a.hi = hi;
  ImGui::PopID();
}

}  // namespace

void landscape_view(AppState& s) {
  ViewsState& v = s.views;
  const Graph& g = s.graph;
  const Palette& pal = palette(s.dark);
  default_axes(s);
  if (!valid_axis(g, v.ax) || !valid_axis(g, v.ay)) {
    ImGui::TextWrapped("The landscape needs two entries of inputs to sweep: this program has only one.");
    return;
  }
  // The pickers come first, but in a narrow panel (a phone's sheet) after the picture, which
  // they would push out of sight.
  const bool narrow = narrow_panel();
  auto pickers = [&] {
    axis_picker(s, "x", v.ax);
    axis_picker(s, "y", v.ay);
    return ImGui::SmallButton("recompute");
  };
  const bool recompute = !narrow && pickers();
  // A new grid when what it depends on changed; kept while training runs (the path goes over it).
  const Training& t = s.training;
  std::vector<double> key = grid_key(s);
  if (!v.has_land || (key != v.land_key && t.history.empty()) || recompute) {
    auto l = landscape(g, v.ax, v.ay, kLandscapeSide);
    if (!l) {
      ImGui::TextWrapped("%s", l.error().message.c_str());
      v.has_land = false;
      return;
    }
    v.land = std::move(l.value());
    v.land_key = key, v.has_land = true;
  }
  Landscape& l = v.land;
  auto began = std::chrono::steady_clock::now();
  while (!l.done() && std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - began).count() <
                          kFrameBudgetMs)
    fill_landscape(l, 1);
  // The training path: a point per step, from the values before the first.
  if (t.history.size() != v.path_steps) {
    if (t.history.empty()) v.path.clear();
    if (!t.history.empty() && v.path.empty()) {  // where the first step started
      auto start = [&](const LandscapeAxis& a) {
        for (const auto& [name, m] : t.start_values)
          if (name == g.node(a.node).name) return m(a.row, a.col);
        return entry(g, a, false);  // not trained: it has not moved
      };
      v.path.emplace_back(start(v.ax), start(v.ay));
    }
    if (!t.history.empty()) v.path.emplace_back(entry(g, v.ax, false), entry(g, v.ay, false));
    v.path_steps = t.history.size();
  }
  // "W[0,0]", as core/jacobian.h's entry_label (not in the browser build) writes an entry.
  auto label = [&](const LandscapeAxis& a) {
    return g.node(a.node).name + "[" + std::to_string(a.row) + "," + std::to_string(a.col) + "]";
  };
  const std::string xn = label(l.x), yn = label(l.y);
  double lo = INFINITY, hi = -INFINITY;
  for (Eigen::Index i = 0; i < l.f.size(); ++i)
    if (std::isfinite(l.f.data()[i])) lo = std::min(lo, l.f.data()[i]), hi = std::max(hi, l.f.data()[i]);
  const std::string f = g.node(g.output).name;
  if (l.done()) ImGui::Text("%s from %s to %s", f.c_str(), format_short(lo, 4).c_str(), format_short(hi, 4).c_str());
  else ImGui::Text("filling: %d of %d rows", l.rows_done, l.side);
  // The picture: a square, y upwards, the value axis names outside it.
  const float font = ImGui::GetFontSize(), margin = ImGui::CalcTextSize("-0.000").x + 4;
  bring_into_sight(v);  // the view just opened: its picture, not the tabs above
  const ImVec2 top = ImGui::GetCursorScreenPos();
  const float side = std::clamp(ImGui::GetContentRegionAvail().x - margin - 4, 120.f, 420.f);
  const ImVec2 a(top.x + margin, top.y + 2), b(a.x + side, a.y + side);
  ImGui::InvisibleButton("landscape", ImVec2(margin + side, side + 2 * font + 6));
  record_rect(v.landscape, a, ImVec2(side, side));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(a, b, pal.canvas_bg);
  const float cell = side / float(l.side);
  for (int j = 0; j < l.rows_done; ++j)
    for (int i = 0; i < l.side; ++i) {
      double fv = l.f(j, i);
      ImU32 c = std::isfinite(fv) ? heat_color(hi > lo ? 2 * (fv - lo) / (hi - lo) - 1 : 0, s.dark) : pal.error;
      ImVec2 p(a.x + cell * float(i), b.y - cell * float(j + 1));
      dl->AddRectFilled(p, ImVec2(p.x + cell + 0.5f, p.y + cell + 0.5f), c);
    }
  dl->AddRect(a, b, pal.card_border);
  auto X = [&](double x) { return a.x + side * float((x - l.x.lo) / (l.x.hi - l.x.lo)); };
  auto Y = [&](double y) { return b.y - side * float((y - l.y.lo) / (l.y.hi - l.y.lo)); };
  dl->PushClipRect(a, b, true);
  if (v.path.size() > 1) {
    std::vector<ImVec2> pts;
    for (const auto& [x, y] : v.path) pts.emplace_back(X(x), Y(y));
    // Cyan on a dark halo: it stands out on the purple and the orange alike, and apart from the
    // arrow (the blue of the theme's "reads" was lost on the purple).
    constexpr ImU32 kPath = IM_COL32(0, 229, 255, 255), kHalo = IM_COL32(0, 0, 0, 200);
    dl->AddPolyline(pts.data(), int(pts.size()), kHalo, 0, 4);
    dl->AddPolyline(pts.data(), int(pts.size()), kPath, 0, 2);
    for (const ImVec2& q : pts) dl->AddCircleFilled(q, 3, kHalo), dl->AddCircleFilled(q, 2, kPath);
  }
  const ImVec2 p(X(entry(g, v.ax, false)), Y(entry(g, v.ay, false)));
  dl->AddCircleFilled(p, 4, pal.text);
  // The gradient arrow: (df/dx, df/dy) in the picture's own scale; descent goes against it.
  const double gx = entry(g, v.ax, true), gy = entry(g, v.ay, true);
  ImVec2 d(float(gx / (l.x.hi - l.x.lo)), float(-gy / (l.y.hi - l.y.lo)));
  const float len = std::sqrt(d.x * d.x + d.y * d.y);
  v.arrow_from = v.arrow_to = p;
  if (len > 0 && std::isfinite(len)) {
    v.arrow_to = ImVec2(p.x + d.x / len * font * 3, p.y + d.y / len * font * 3);
    ImVec2 u(d.x / len, d.y / len), q = v.arrow_to;
    dl->AddLine(p, q, pal.text, 2);
    dl->AddTriangleFilled(q, ImVec2(q.x - u.x * 8 - u.y * 4, q.y - u.y * 8 + u.x * 4),
                          ImVec2(q.x - u.x * 8 + u.y * 4, q.y - u.y * 8 - u.x * 4), pal.text);
  }
  dl->PopClipRect();
  // Axis names and ranges.
  for (int k = 0; k < 2; ++k) {
    std::string lx = format_short(k ? l.x.hi : l.x.lo, 3), ly = format_short(k ? l.y.hi : l.y.lo, 3);
    ImVec2 sx = ImGui::CalcTextSize(lx.c_str()), sy = ImGui::CalcTextSize(ly.c_str());
    dl->AddText(ImVec2(k ? b.x - sx.x : a.x, b.y + 2), pal.text_dim, lx.c_str());
    dl->AddText(ImVec2(a.x - sy.x - 3, k ? a.y : b.y - sy.y), pal.text_dim, ly.c_str());
  }
  ImVec2 sx = ImGui::CalcTextSize(xn.c_str());
  dl->AddText(ImVec2((a.x + b.x - sx.x) / 2, b.y + 2 + font), pal.text, xn.c_str());
  dl->AddText(ImVec2(top.x, (a.y + b.y) / 2 - font / 2), pal.text, yn.c_str());
  // Hover: f there; a click moves the point there (both entries at once).
  const ImVec2 m = ImGui::GetIO().MousePos;
  const bool inside = m.x >= a.x && m.x < b.x && m.y >= a.y && m.y < b.y;
  if (inside && ImGui::IsItemHovered()) {
    const int i = std::clamp(int((m.x - a.x) / cell), 0, l.side - 1), j = std::clamp(int((b.y - m.y) / cell), 0, l.side - 1);
    if (j < l.rows_done)
      ImGui::SetTooltip("%s = %s, %s = %s: %s = %s", xn.c_str(), format_short(l.x_at(i), 4).c_str(), yn.c_str(),
                        format_short(l.y_at(j), 4).c_str(), f.c_str(), format_short(l.f(j, i), 5).c_str());
  }
  if (inside && ImGui::IsItemClicked()) {
    const double x = l.x.lo + (l.x.hi - l.x.lo) * (m.x - a.x) / side, y = l.y.lo + (l.y.hi - l.y.lo) * (b.y - m.y) / side;
    const LandscapeAxis ax = v.ax, ay = v.ay;
    if (!set_input_entry(s, ax.node, ax.row, ax.col, std::round(x * 1e4) / 1e4) ||
        !set_input_entry(s, ay.node, ay.row, ay.col, std::round(y * 1e4) / 1e4))
      s.status = "The point cannot move: an input it sweeps is locked.";
  }
  ImGui::Text("gradient here: (%s, %s)", format_short(gx, 4).c_str(), format_short(gy, 4).c_str());
  if (narrow && pickers()) v.has_land = false;  // (the next frame recomputes)
  ImGui::TextWrapped(
      "%s over a %dx%d grid of %s and %s, every other entry as it is (purple low, orange high). The arrow is the "
      "gradient's direction (df/d%s, df/d%s) at the current point (the dot): gradient descent steps against it, "
      "downhill. The cyan line is the Train tab's path (a dot per step): the grid is kept while training runs, though training also "
      "moves the other trained entries, so the path is drawn over the slice where it started. Click to move the point.",
      f.c_str(), l.side, l.side, xn.c_str(), yn.c_str(), xn.c_str(), yn.c_str());
}

}  // namespace gs::ui
