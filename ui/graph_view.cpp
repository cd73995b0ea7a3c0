// The graph canvas. Layout: columns by depth (longest path from an input), nodes in
// program order within a column. Everything is laid out in graph units and drawn at
// origin + zoom * position.
#include "ui/graph_view.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "ui/theme.h"

namespace gs::ui {
namespace {

constexpr float kPad = 8, kGapX = 40, kGapY = 26, kLabelH = 17, kHeaderH = 38;
constexpr int kMaxPrinted = 8;  // larger matrices draw as heatmaps without numbers

bool is_constant(const Graph& g, int i) { return g.node(i).kind == NodeKind::Constant; }

std::string sub_text(const Graph& g, const AppState& s, int id) {
  const Node& n = g.node(id);
  bool bad = !n.value.allFinite() || !n.grad.allFinite();
  return (n.kind == NodeKind::Input ? std::string("input") : std::string(n.op->name)) + "  " + to_string(n.shape()) +
         (id == g.output ? "  output" : "") + (n.kind == NodeKind::Input && is_locked(s, n.name) ? "  locked" : "") +
         (bad ? "  non-finite!" : "");
}

std::string header_text(const Node& n) {
  if (n.kind == NodeKind::Input) return n.name;
  if (n.kind == NodeKind::Constant) return n.name;
  return n.name + " = " + n.expr;
}

struct Drag {
  int node = -1, row = 0, col = 0;
  double start_value = 0;
  float start_x = 0;
};

struct Edit {  // the "type a value" popup
  int node = -1, row = 0, col = 0;
  char text[64] = "";
};

Drag g_drag;
Edit g_edit;

}  // namespace

std::vector<CardLayout> layout_graph(const AppState& s) {
  const Graph& g = s.graph;
  const size_t n = g.nodes.size();
  std::vector<int> depth(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const Node& node = g.nodes[i];
    if (node.kind != NodeKind::Op) continue;
    for (int k = 0; k < node.arity(); ++k)
      if (!is_constant(g, node.inputs[k])) depth[i] = std::max(depth[i], depth[size_t(node.inputs[k])] + 1);
    depth[i] = std::max(depth[i], 1);
  }
  // Inputs and constants sit just left of their first consumer, so a layer's weights stand
  // beside the layer rather than all in the first column (the graph stays wide, not tall).
  for (size_t i = n; i-- > 0;) {
    if (g.nodes[i].kind == NodeKind::Op) continue;
    int d = 1 << 20;
    for (size_t j = i + 1; j < n; ++j)
      for (int k = 0; k < g.nodes[j].arity(); ++k)
        if (g.nodes[j].inputs[k] == int(i)) d = std::min(d, depth[j] - 1);
    depth[i] = d == (1 << 20) ? 0 : std::max(0, d);
  }
  const float font = ImGui::GetFontSize();
  std::vector<CardLayout> cards(n);
  for (size_t i = 0; i < n; ++i) {
    const Node& node = g.nodes[i];
    CardLayout& c = cards[i];
    int rows = int(node.value.rows()), cols = int(node.value.cols());
    c.numbers = rows <= kMaxPrinted && cols <= kMaxPrinted;
    if (c.numbers) {
      c.cell_w = std::max(font * 3.2f, 40.f);
      c.cell_h = font + 6;
    } else {
      float cell = std::max(3.f, std::min(14.f, 220.f / float(std::max(rows, cols))));
      c.cell_w = c.cell_h = cell;
    }
    float mw = c.cell_w * float(cols), mh = c.cell_h * float(rows);
    float header_w = ImGui::CalcTextSize(header_text(node).c_str()).x;
    if (node.kind != NodeKind::Constant)
      header_w = std::max(header_w, ImGui::CalcTextSize(sub_text(g, s, int(i)).c_str()).x);
    if (node.kind == NodeKind::Constant) {
      c.w = std::max(mw, header_w) + 2 * kPad;
      c.value_y = kPad + kLabelH;
      c.grad_y = c.value_y + mh;
      c.h = c.grad_y + kPad;
      continue;
    }
    c.w = std::max({mw, header_w, 120.f}) + 2 * kPad;
    c.value_y = kHeaderH + kLabelH;
    c.grad_y = c.value_y + mh + 6 + kLabelH;
    c.h = (s.show_gradients ? c.grad_y + mh : c.value_y + mh) + kPad;
  }
  int max_depth = 0;
  for (int d : depth) max_depth = std::max(max_depth, d);
  std::vector<float> col_w(size_t(max_depth) + 1, 0), col_h(size_t(max_depth) + 1, 0);
  for (size_t i = 0; i < n; ++i) {
    col_w[size_t(depth[i])] = std::max(col_w[size_t(depth[i])], cards[i].w);
    col_h[size_t(depth[i])] += cards[i].h + kGapY;
  }
  float tallest = *std::max_element(col_h.begin(), col_h.end());
  std::vector<float> col_x(col_w.size(), 0), col_y(col_w.size(), 0);
  for (size_t d = 1; d < col_w.size(); ++d) col_x[d] = col_x[d - 1] + col_w[d - 1] + kGapX;
  for (size_t d = 0; d < col_w.size(); ++d) col_y[d] = (tallest - col_h[d]) / 2;
  for (size_t i = 0; i < n; ++i) {
    size_t d = size_t(depth[i]);
    cards[i].x = col_x[d] + (col_w[d] - cards[i].w) / 2;
    cards[i].y = col_y[d];
    col_y[d] += cards[i].h + kGapY;
  }
  return cards;
}

void graph_view(AppState& s) {
  const Graph& g0 = s.graph;
  if (g0.nodes.empty()) {
    ImGui::TextDisabled("No graph yet: write a program in the editor.");
    return;
  }
  const bool stepping = s.stepper.active();
  const Graph& g = stepping ? s.stepper.view() : g0;
  const Palette& pal = palette(s.dark);
  ImGuiIO& io = ImGui::GetIO();

  ImVec2 origin = ImGui::GetCursorScreenPos();
  ImVec2 size = ImGui::GetContentRegionAvail();
  size.x = std::max(size.x, 50.f);
  size.y = std::max(size.y, 50.f);
  ImGui::InvisibleButton("canvas", size, ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight |
                                             ImGuiButtonFlags_MouseButtonMiddle);
  const bool canvas_hovered = ImGui::IsItemHovered();
  const bool canvas_active = ImGui::IsItemActive();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(origin, ImVec2(origin.x + size.x, origin.y + size.y), true);
  dl->AddRectFilled(origin, ImVec2(origin.x + size.x, origin.y + size.y), pal.canvas_bg);

  std::vector<CardLayout> cards = layout_graph(s);
  if (s.fit_pending) {  // fit the graph into the canvas, but never below readable text
    float max_x = 0, max_y = 0;
    for (const auto& c : cards) max_x = std::max(max_x, c.x + c.w), max_y = std::max(max_y, c.y + c.h);
    float z = std::min({(size.x - 40) / std::max(max_x, 1.f), (size.y - 70) / std::max(max_y, 1.f), 1.4f});
    s.zoom = std::max(0.5f, z);
    // Centre what fits; start at the top left of what does not (drag or zoom to see the rest).
    s.pan_x = max_x * s.zoom <= size.x - 40 ? (size.x - max_x * s.zoom) / 2 : 16.f;
    s.pan_y = max_y * s.zoom <= size.y - 70 ? std::max(20.f, (size.y - 40 - max_y * s.zoom) / 2) : 12.f;
    s.fit_pending = false;
  }
  const float z = s.zoom;
  auto P = [&](float x, float y) { return ImVec2(origin.x + s.pan_x + x * z, origin.y + s.pan_y + y * z); };
  ImFont* font = ImGui::GetFont();
  const float fs = ImGui::GetFontSize() * z;
  const bool text_visible = fs >= 6;

  // Edges first, under the cards: a bezier from the right of each input to the left of its user.
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    for (int k = 0; k < n.arity(); ++k) {
      const CardLayout& a = cards[size_t(n.inputs[k])];
      const CardLayout& b = cards[i];
      float by = b.y + (n.arity() == 2 ? (k == 0 ? 0.33f : 0.66f) : 0.5f) * std::min(b.h, 90.f);
      ImVec2 p0 = P(a.x + a.w, a.y + std::min(a.h, 90.f) * 0.5f), p3 = P(b.x, by);
      float dx = std::max(30.f, (p3.x - p0.x) * 0.5f);
      bool hot = stepping && int(i) == s.stepper.current();
      ImU32 col = hot ? pal.current : pal.edge;
      dl->AddBezierCubic(p0, ImVec2(p0.x + dx, p0.y), ImVec2(p3.x - dx, p3.y), ImVec2(p3.x - 6 * z, p3.y), col,
                         (hot ? 3.f : 1.6f) * std::max(z, 0.6f));
      float ah = 7 * std::max(z, 0.6f);
      dl->AddTriangleFilled(ImVec2(p3.x, p3.y), ImVec2(p3.x - ah, p3.y - ah * 0.6f), ImVec2(p3.x - ah, p3.y + ah * 0.6f),
                            col);
    }
  }

  if (s.value_cells.size() != g.nodes.size()) s.value_cells.assign(g.nodes.size(), {});
  int hovered_node = -1, hovered_row = 0, hovered_col = 0;
  bool hovered_grad = false;

  // One matrix: heatmap cells, numbers when they fit, hover detection.
  auto draw_matrix = [&](int id, const Matrix& m, const CardLayout& c, float top, bool grad, bool known,
                         bool partial) {
    double scale = 0;
    for (Eigen::Index i = 0; i < m.size(); ++i)
      if (std::isfinite(m.data()[i])) scale = std::max(scale, std::abs(m.data()[i]));
    if (scale == 0) scale = 1;
    float mx = c.x + (c.w - c.cell_w * float(m.cols())) / 2;
    if (!grad) s.value_cells[size_t(id)].assign(size_t(m.size()), {});
    for (Eigen::Index r = 0; r < m.rows(); ++r) {
      for (Eigen::Index col = 0; col < m.cols(); ++col) {
        double v = m(r, col);
        ImVec2 a = P(mx + c.cell_w * float(col), top + c.cell_h * float(r));
        ImVec2 b = P(mx + c.cell_w * float(col + 1), top + c.cell_h * float(r + 1));
        ImU32 bg = known ? heat_color(v / scale, s.dark) : pal.grid;
        dl->AddRectFilled(ImVec2(a.x + 0.5f, a.y + 0.5f), ImVec2(b.x - 0.5f, b.y - 0.5f), bg, 2 * z);
        if (!std::isfinite(v) && known) dl->AddRect(a, b, pal.error, 0, 0, 2);
        if (c.numbers && text_visible) {
          std::string t = known ? format_short(v, 3) : "?";
          ImVec2 ts = font->CalcTextSizeA(fs, FLT_MAX, 0, t.c_str());
          ImU32 tc = known ? text_on(bg) : pal.text_dim;
          dl->AddText(font, fs, ImVec2((a.x + b.x - ts.x) / 2, (a.y + b.y - ts.y) / 2), tc, t.c_str());
        }
        if (!grad)
          s.value_cells[size_t(id)][size_t(r * m.cols() + col)] = {a.x, a.y, b.x - a.x, b.y - a.y, true};
        if (canvas_hovered && ImGui::IsMouseHoveringRect(a, b)) {
          hovered_node = id;
          hovered_row = int(r);
          hovered_col = int(col);
          hovered_grad = grad;
        }
      }
    }
    if (partial) {
      ImVec2 a = P(mx - 2, top - 2), b = P(mx + c.cell_w * float(m.cols()) + 2, top + c.cell_h * float(m.rows()) + 2);
      dl->AddRect(a, b, pal.partial, 2, 0, 2);
    }
  };

  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    const CardLayout& c = cards[i];
    int id = int(i);
    ImVec2 a = P(c.x, c.y), b = P(c.x + c.w, c.y + c.h);
    bool selected = s.selected == id;
    bool current = stepping && s.stepper.current() == id;
    bool reads = stepping && s.stepper.reads(id);
    bool bad = !n.value.allFinite() || !n.grad.allFinite();
    ImU32 border = current ? pal.current : reads ? pal.reads : selected ? pal.card_selected : bad ? pal.error
                                                                                                  : pal.card_border;
    float thick = (current || reads || selected || bad) ? 3.f : 1.f;
    dl->AddRectFilled(a, b, pal.card_bg, 6 * z);
    dl->AddRect(a, b, border, 6 * z, 0, thick);
    if (text_visible) {
      std::string head = header_text(n);
      dl->AddText(font, fs, P(c.x + kPad, c.y + kPad * 0.6f), pal.text, head.c_str());
      if (n.kind != NodeKind::Constant) {
        std::string sub = sub_text(g, s, id);
        dl->AddText(font, fs, P(c.x + kPad, c.y + kPad * 0.6f + kLabelH), bad ? pal.error : pal.text_dim, sub.c_str());
        dl->AddText(font, fs * 0.9f, P(c.x + kPad, c.y + c.value_y - kLabelH + 1), pal.text_dim, "value");
      }
    }
    bool known = (!stepping || s.stepper.value_known(id)) && !is_hidden(s, id, false);
    draw_matrix(id, n.value, c, c.value_y + c.y, false, known, false);
    if (n.kind != NodeKind::Constant && s.show_gradients) {
      bool show = shows_gradient(s, id) && !is_hidden(s, id, true);
      GradState gs_ = stepping ? s.stepper.grad_state(id) : GradState::Final;
      if (text_visible) {
        std::string label = grad_label(g, id) + (show ? "" : "  (hidden)") +
                            (gs_ == GradState::Partial ? "  (partial sum)" : "");
        dl->AddText(font, fs * 0.9f, P(c.x + kPad, c.grad_y + c.y - kLabelH + 1), pal.text_dim, label.c_str());
      }
      draw_matrix(id, n.grad, c, c.grad_y + c.y, true, show && gs_ != GradState::Unknown, gs_ == GradState::Partial);
    }
    // Clicking a card (not a draggable cell) selects it.
    if (canvas_hovered && ImGui::IsMouseHoveringRect(a, b) && ImGui::IsMouseClicked(ImGuiMouseButton_Left))
      s.selected = id;
  }

  // Dragging an input entry: 0.01 per pixel (Shift 0.001, Ctrl 0.1), rounded to 4 decimals.
  bool editable_hover = hovered_node >= 0 && !hovered_grad && !stepping &&
                        g0.node(hovered_node).kind == NodeKind::Input && !is_locked(s, g0.node(hovered_node).name);
  if (editable_hover && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
    g_drag = {hovered_node, hovered_row, hovered_col, g0.node(hovered_node).value(hovered_row, hovered_col),
              io.MousePos.x};
  }
  if (g_drag.node >= 0) {
    if (ImGui::IsMouseDown(ImGuiMouseButton_Left) && g_drag.node < int(g0.nodes.size())) {
      float step = io.KeyShift ? 0.001f : io.KeyCtrl ? 0.1f : 0.01f;
      double v = g_drag.start_value + double(io.MousePos.x - g_drag.start_x) * step;
      v = std::round(v * 1e4) / 1e4;
      if (v != g0.node(g_drag.node).value(g_drag.row, g_drag.col))
        set_input_entry(s, g_drag.node, g_drag.row, g_drag.col, v);
      ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
    } else {
      g_drag.node = -1;
    }
  } else if (canvas_active && (ImGui::IsMouseDragging(ImGuiMouseButton_Left) ||
                               ImGui::IsMouseDragging(ImGuiMouseButton_Right) ||
                               ImGui::IsMouseDragging(ImGuiMouseButton_Middle))) {
    s.pan_x += io.MouseDelta.x;
    s.pan_y += io.MouseDelta.y;
  }
  if (editable_hover && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
    g_edit.node = hovered_node;
    g_edit.row = hovered_row;
    g_edit.col = hovered_col;
    std::snprintf(g_edit.text, sizeof g_edit.text, "%s",
                  format_number(g0.node(hovered_node).value(hovered_row, hovered_col)).c_str());
    ImGui::OpenPopup("edit-cell");
  }
  if (canvas_hovered && io.MouseWheel != 0) {  // zoom about the mouse
    float old = s.zoom;
    s.zoom = std::clamp(s.zoom * std::pow(1.15f, io.MouseWheel), 0.15f, 4.0f);
    float mx = io.MousePos.x - origin.x, my = io.MousePos.y - origin.y;
    s.pan_x = mx - (mx - s.pan_x) * s.zoom / old;
    s.pan_y = my - (my - s.pan_y) * s.zoom / old;
  }

  // Hover: the exact value.
  if (hovered_node >= 0 && g_drag.node < 0) {
    const Node& n = g.node(hovered_node);
    double v = hovered_grad ? n.grad(hovered_row, hovered_col) : n.value(hovered_row, hovered_col);
    bool hidden = is_hidden(s, hovered_node, hovered_grad) || (hovered_grad && !shows_gradient(s, hovered_node)) ||
                  (stepping && (hovered_grad ? s.stepper.grad_state(hovered_node) == GradState::Unknown
                                             : !s.stepper.value_known(hovered_node)));
    std::string what = (hovered_grad ? grad_label(g, hovered_node) : n.name) + "[" +
                       std::to_string(hovered_row) + "][" + std::to_string(hovered_col) + "] = " +
                       (hidden ? std::string("?") : format_number(v));
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(what.c_str());
    if (editable_hover) ImGui::TextDisabled("drag left/right to change (Shift: fine, Ctrl: coarse); double-click to type");
    ImGui::EndTooltip();
    if (editable_hover) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
  }

  // Legend, bottom left.
  {
    ImVec2 lo(origin.x + 12, origin.y + size.y - 40);
    float w = 160, h = 10;
    for (int k = 0; k < 40; ++k) {
      float t0 = float(k) / 40, t1 = float(k + 1) / 40;
      dl->AddRectFilled(ImVec2(lo.x + w * t0, lo.y), ImVec2(lo.x + w * t1, lo.y + h),
                        heat_color(t0 * 2 - 1 + 1.0 / 40, s.dark));
    }
    dl->AddRect(lo, ImVec2(lo.x + w, lo.y + h), pal.card_border);
    dl->AddText(ImVec2(lo.x, lo.y + h + 2), pal.text_dim, "-max");
    dl->AddText(ImVec2(lo.x + w / 2 - 3, lo.y + h + 2), pal.text_dim, "0");
    dl->AddText(ImVec2(lo.x + w - 30, lo.y + h + 2), pal.text_dim, "+max");
    dl->AddText(ImVec2(lo.x + w + 10, lo.y - 2), pal.text_dim, "each matrix is coloured by its own largest |entry|");
  }
  dl->PopClipRect();

  if (ImGui::BeginPopup("edit-cell")) {
    if (g_edit.node >= 0 && g_edit.node < int(g0.nodes.size())) {
      ImGui::Text("%s[%d][%d]", g0.node(g_edit.node).name.c_str(), g_edit.row, g_edit.col);
      if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
      bool enter = ImGui::InputText("##value", g_edit.text, sizeof g_edit.text, ImGuiInputTextFlags_EnterReturnsTrue);
      auto m = parse_matrix(g_edit.text);
      bool valid = m && m.value().size() == 1;
      if (!valid) ImGui::TextColored(ImVec4(0.85f, 0.2f, 0.2f, 1), "%s", m ? "enter one number" : m.error().message.c_str());
      if (enter && valid) {
        set_input_entry(s, g_edit.node, g_edit.row, g_edit.col, m.value()(0, 0));
        ImGui::CloseCurrentPopup();
      }
    }
    ImGui::EndPopup();
  }
}

}  // namespace gs::ui
