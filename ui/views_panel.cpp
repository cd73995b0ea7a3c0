// The Views tab: the choice between the four views, what they share (heatmap cells, entry
// pickers, their rectangles for layout()), and the gradient-flow strip.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/examples.h"
#include "core/json.h"
#include "core/ops.h"
#include "ui/derive_panel.h"
#include "ui/graph_parts.h"
#include "ui/graph_view.h"
#include "ui/layout.h"
#include "ui/theme.h"
#include "ui/views.h"

namespace gs::ui {

bool views_locked(const AppState& s) { return answers_hidden(s) || derivation_hides_gradients(s); }

void views_tab(AppState& s) {
  ViewsState& v = s.views;
  v.jacobian.visible = v.forward_rect.visible = v.flow.visible = v.landscape.visible = v.forward = false;
  if (!side_tab(s, "Views")) return;
  if (views_locked(s)) {
    dim_text(s.stepper.active() ? "Not during step-through: leave it (Done) to use these views."
                                : "Locked while gradients are hidden (open exercise questions, or a backward "
                                  "section not yet right): every view here would give them away.");
    end_side_tab(s);
    return;
  }
  struct Choice { const char* name; ViewMode mode; void (*draw)(AppState&); };
  static constexpr Choice kViews[] = {{"Jacobian", ViewMode::Jacobian, jacobian_view},
                                      {"Forward", ViewMode::Forward, forward_view},
                                      {"Flow", ViewMode::Flow, flow_view},
                                      {"Landscape", ViewMode::Landscape, landscape_view}};
  const Choice* shown = &kViews[0];
  for (const Choice& c : kViews) shown = c.mode == v.mode ? &c : shown;
  for (const Choice& c : kViews)
    if (wrapping_radio(c.name, shown == &c, &c == kViews)) shown = &c, v.scroll_to_view = true;
  v.mode = shown->mode;
  v.forward = v.mode == ViewMode::Forward;  // the cards' tangent rows, while this view is open
  ImGui::Separator();
  shown->draw(s);
  v.scroll_to_view = false;  // (a view that returned before its picture does not scroll later)
  end_side_tab(s);
}

void views_layout_json(const AppState& s, JsonWriter& w) {
  w.begin_object();
  const ViewsState& v = s.views;
  for (const auto& [key, r] : {std::pair{"jacobian", v.jacobian}, {"forward", v.forward_rect}, {"flow", v.flow},
                               {"landscape", v.landscape}}) {
    w.key(key).begin_object().key("x").number(r.x).key("y").number(r.y).key("width").number(r.w);
    w.key("height").number(r.h).key("visible").boolean(r.visible).end_object();
  }
  w.end_object();
}

ImVec2 heat_cells(ImDrawList* dl, ImVec2 at, float cw, float ch, const Matrix& m, bool dark, bool numbers,
                  float font_px) {
  ImFont* font = ImGui::GetFont();
  const float fs = font_px > 0 ? font_px : ImGui::GetFontSize();
  const double scale = largest_entry(m) > 0 ? largest_entry(m) : 1;
  for (Eigen::Index r = 0; r < m.rows(); ++r)
    for (Eigen::Index c = 0; c < m.cols(); ++c) {
      ImVec2 a(at.x + cw * float(c), at.y + ch * float(r)), b(a.x + cw, a.y + ch);
      ImU32 bg = heat_color(m(r, c) / scale, dark);
      dl->AddRectFilled(a, b, bg);
      if (!numbers) continue;
      std::string t = format_short(m(r, c), 3);
      ImVec2 ts = font->CalcTextSizeA(fs, FLT_MAX, 0, t.c_str());
      const float shrink = std::min(1.f, (cw - 2) / ts.x);  // a little smaller where it would not fit
      if (shrink >= 0.7f)
        dl->AddText(font, fs * shrink, ImVec2((a.x + b.x - ts.x * shrink) / 2, (a.y + b.y - ts.y * shrink) / 2), text_on(bg),
                    t.c_str());
    }
  ImVec2 size(cw * float(m.cols()), ch * float(m.rows()));
  dl->AddRect(at, ImVec2(at.x + size.x, at.y + size.y), ImGui::GetColorU32(ImGuiCol_Border));
  return size;
}

void dim_text(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}

void record_rect(ViewRect& r, ImVec2 a, ImVec2 size) { r = {a.x, a.y, size.x, size.y, true}; }

// Starts the next item on this line when `width` more fits, else on the next.
void same_line_if_fits(float width) {
  ImGui::SameLine();  // (the space left already counts the spacing after the last item)
  if (ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
}

// A radio button that goes on the next line when it would not fit on this one (unless it is
// the first of its row): a phone's narrow panel wraps a row of them instead of cutting it off.
bool wrapping_radio(const char* label, bool active, bool first) {
  if (!first) same_line_if_fits(ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label).x);
  return ImGui::RadioButton(label, active);
}

bool narrow_panel() { return ImGui::GetContentRegionAvail().x < ImGui::GetFontSize() * 24; }

void bring_into_sight(ViewsState& v) {
  if (v.scroll_to_view && narrow_panel()) ImGui::SetScrollHereY(0);
  v.scroll_to_view = false;
}

// The width of an InputInt showing up to `digits` digits, with its - and + buttons.
float int_input_width(int digits) {
  const ImGuiStyle& st = ImGui::GetStyle();
  return ImGui::CalcTextSize("0").x * float(digits) + 2 * st.FramePadding.x +
         2 * (ImGui::GetFrameHeight() + st.ItemInnerSpacing.x);
}

bool node_combo(const char* label, const AppState& s, int& node, bool inputs) {
  const Graph& g = s.graph;
  bool changed = false;
  auto listed = [&](const Node& n) { return n.kind == NodeKind::Input || (!inputs && n.kind == NodeKind::Op); };
  float widest = ImGui::CalcTextSize("(none)").x;  // as wide as the longest name it lists
  for (const Node& n : g.nodes)
    if (listed(n)) widest = std::max(widest, ImGui::CalcTextSize(n.name.c_str()).x);
  ImGui::SetNextItemWidth(std::min(widest + ImGui::GetFrameHeight() + 2 * ImGui::GetStyle().FramePadding.x,
                                   ImGui::GetContentRegionAvail().x));
  if (ImGui::BeginCombo(label, node >= 0 && node < int(g.nodes.size()) ? g.node(node).name.c_str() : "(none)")) {
    for (int i = 0; i < int(g.nodes.size()); ++i)
      if (listed(g.node(i)))
        if (ImGui::Selectable(g.node(i).name.c_str(), i == node)) node = i, changed = true;
    ImGui::EndCombo();
  }
  return changed;
}

bool entry_picker(const AppState& s, int node, int& row, int& col) {
  const Matrix& m = s.graph.node(node).value;
  ImGui::PushID(&row);
  const float w = int_input_width(int(std::to_string(std::max(m.rows(), m.cols())).size()) + 1);
  const float label = ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize("row").x;
  same_line_if_fits(w + label);
  ImGui::SetNextItemWidth(w);
  bool changed = ImGui::InputInt("row", &row);
  same_line_if_fits(w + label);
  ImGui::SetNextItemWidth(w);
  changed |= ImGui::InputInt("col", &col);
  ImGui::PopID();
  row = std::clamp(row, 0, int(m.rows()) - 1), col = std::clamp(col, 0, int(m.cols()) - 1);
  return changed;
}

// --- forward mode's row on the cards (the tangents come from ui/views_forward.cpp) -----------

namespace {
constexpr float kRowGap = 4;  // graph units, as between a card's other rows
}  // namespace

float tangent_row_height(const AppState& s, int node, const CardLayout& c) {
  const ViewsState& v = s.views;
  if (!v.forward || node < 0 || size_t(node) >= v.tangents.size() || v.tangents.size() != s.graph.nodes.size() ||
      s.graph.node(node).kind == NodeKind::Constant)
    return 0;
  return kRowGap + label_height() + c.cell_h * float(v.tangents[size_t(node)].rows());
}

float tangent_cell_width(const AppState& s, int node, const CardLayout& c) {
  if (tangent_row_height(s, node, c) <= 0) return 0;
  float widest = 0;  // the numbers as heat_cells writes them (a heatmap writes none)
  const Matrix& m = s.views.tangents[size_t(node)];
  for (Eigen::Index k = 0; c.numbers && k < m.size(); ++k)
    widest = std::max(widest, ImGui::CalcTextSize(format_short(m.data()[k], 3).c_str()).x + 6);
  return std::max({c.cell_w, c.grad_cell_w, widest});
}

void draw_tangent_row(const AppState& s, int node, const CardLayout& c, ImVec2 origin, float zoom, ImDrawList* dl) {
  const float h = tangent_row_height(s, node, c);
  if (h <= 0 || views_locked(s) || is_hidden(s, node, true)) return;
  const Matrix& m = s.views.tangents[size_t(node)];  // (rows, cols), the node's shape
  auto P = [&](float x, float y) { return ImVec2(origin.x + x * zoom, origin.y + y * zoom); };
  const float fs = ImGui::GetFontSize() * zoom;
  // Above derive mode's row when both are there (that one keeps the card's bottom).
  float top = c.y + c.h - kCardPad - claim_row_height(s, node, c) - h + kRowGap;
  if (fs >= 6)
    dl->AddText(ImGui::GetFont(), fs * 0.9f, P(c.x + kCardPad, top + 1), palette(s.dark).current,
                ("tangent d" + s.graph.node(node).name + ".v").c_str());
  top += label_height();
  const float cw = c.tangent_cell_w, mx = c.x + (c.w - cw * float(m.cols())) / 2;
  heat_cells(dl, P(mx, top), cw * zoom, c.cell_h * zoom, m, s.dark, c.numbers && fs >= 6, fs);
}

// --- the gradient-flow strip ---------------------------------------------------------------

void load_deep_example(AppState& s, const std::string& activation) {
  set_program(s, deep_chain(activation));
  s.fit_pending = true;
  s.view.fold[1] = Fold::Open;  // the strip is in the side panel: a larger graph must not fold it away
}

void flow_view(AppState& s) {
  const Graph& g = s.graph;
  const Palette& pal = palette(s.dark);
  ImGui::TextWrapped("Gradient flow: each node's gradient norm ||df/dnode|| in graph order, on a log scale.");
  ImGui::TextDisabled("deep example:");
  for (const std::string& act : deep_activations()) {
    ImGui::SameLine();
    if (ImGui::SmallButton(act.c_str())) load_deep_example(s, act);
  }
  std::vector<double> norms = gradient_norms(g);
  std::vector<int> shown;  // nodes whose gradient may be shown (constants have none)
  double lo = INFINITY, hi = -INFINITY;
  for (int i = 0; i < int(g.nodes.size()); ++i) {
    if (g.node(i).kind == NodeKind::Constant || !shows_gradient(s, i) || is_hidden(s, i, true)) continue;
    shown.push_back(i);
    if (norms[size_t(i)] > 0 && std::isfinite(norms[size_t(i)]))
      lo = std::min(lo, std::log10(norms[size_t(i)])), hi = std::max(hi, std::log10(norms[size_t(i)]));
  }
  if (!(lo <= hi)) lo = -1, hi = 1;
  lo = std::floor(lo), hi = std::max(std::ceil(hi), lo + 1);
  const float font = ImGui::GetFontSize(), margin_l = ImGui::CalcTextSize("1e-10").x + 6;
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float w = std::max(200.f, ImGui::GetContentRegionAvail().x), h = font * 12;
  // Names under the bars, staggered over two lines when they would touch.
  ImGui::Dummy(ImVec2(w, h + 2 * font + 8));
  record_rect(s.views.flow, at, ImVec2(w, h + 2 * font + 8));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 a(at.x + margin_l, at.y + 4), b(at.x + w - 4, at.y + h);
  dl->AddRectFilled(a, b, pal.canvas_bg);
  dl->AddRect(a, b, pal.card_border);
  auto Y = [&](double l) { return b.y - (b.y - a.y) * float((l - lo) / (hi - lo)); };
  const int step = int(std::ceil((hi - lo) / 4));
  for (double l = lo; l <= hi; l += step) {
    char t[16];
    std::snprintf(t, sizeof t, "1e%d", int(l));
    dl->AddLine(ImVec2(a.x, Y(l)), ImVec2(b.x, Y(l)), pal.grid);
    dl->AddText(ImVec2(at.x, Y(l) - font / 2), pal.text_dim, t);
  }
  const float bw = (b.x - a.x) / float(std::max<size_t>(1, shown.size()));
  float last_end[2] = {-1e9f, -1e9f};
  for (size_t k = 0; k < shown.size(); ++k) {
    const int i = shown[k];
    const double n = norms[size_t(i)];
    const float x0 = a.x + bw * float(k) + bw * 0.15f, x1 = a.x + bw * float(k + 1) - bw * 0.15f;
    if (n > 0 && std::isfinite(n))
      dl->AddRectFilled(ImVec2(x0, Y(std::log10(n))), ImVec2(x1, b.y), g.node(i).kind == NodeKind::Input ? pal.partial : pal.reads);
    const std::string& name = g.node(i).name;
    ImVec2 ts = ImGui::CalcTextSize(name.c_str());
    float x = (x0 + x1 - ts.x) / 2;
    int line = x > last_end[0] ? 0 : x > last_end[1] ? 1 : -1;
    if (line < 0) continue;
    dl->AddText(ImVec2(x, b.y + 2 + float(line) * font), pal.text_dim, name.c_str());
    last_end[line] = x + ts.x + 3;
  }
  if (s.selected >= 0 && s.selected < int(g.nodes.size()) &&
      std::find(shown.begin(), shown.end(), s.selected) != shown.end())
    ImGui::Text("%s: ||%s|| = %s", g.node(s.selected).name.c_str(), grad_label(g, s.selected).c_str(),
                format_short(norms[size_t(s.selected)], 4).c_str());
  ImGui::TextWrapped(
      "Why: backward multiplies the gradient by one local derivative per layer. Sigmoid's slope is at most 0.25, so "
      "through a chain of sigmoids the gradient shrinks about fourfold a layer and the first layers barely learn "
      "(vanishing gradients); relu passes a slope of 1 where it is active, so the norms stay level. Weights larger "
      "than 1 make them grow instead (exploding gradients). Inputs' bars are amber.");
}

}  // namespace gs::ui
