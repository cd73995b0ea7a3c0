// The graph canvas, drawn in named parts: fit, edges, cards (with their matrices), input
// handling, the hovered cell's story, off-screen markers and the legend. Everything it
// remembers between frames is in AppState::view (ui/view_state.h).
#include "ui/graph_view.h"

#include "ui/derive_panel.h"
#include "ui/views.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "ui/cell_story.h"
#include "ui/graph_parts.h"
#include "ui/theme.h"

namespace gs::ui {

std::string card_title(const Node& n) { return n.kind == NodeKind::Op ? n.name + " = " + n.expr : n.name; }

std::string card_subtitle(const Graph& g, const AppState& s, int id) {
  const Node& n = g.node(id);
  const bool bad = non_finite(s, g, id);
  return (n.kind == NodeKind::Input ? std::string("input") : std::string(n.op->name)) + "  " + to_string(n.shape()) +
         (id == g.output ? "  output" : "") + (n.kind == NodeKind::Input && is_locked(s, n.name) ? "  locked" : "") +
         (bad ? "  non-finite!" : "");
}

namespace {

// What every part of one frame's drawing shares.
struct Canvas {
  AppState& s;
  ViewState& v;
  const Graph& g0;     // the program's graph (what edits change)
  const Graph& g;      // what is shown: g0, or the step-through's partial view
  const bool stepping;
  const Palette& pal;
  ImDrawList* dl;
  ImVec2 origin, size;
  float legend_h;
  GraphLayout layout;
  bool hovered = false, active = false;
  double value_scale = 0, grad_scale = 0;  // > 0: one shared colour scale
  int heatmaps = 0;                        // matrices drawn without numbers (they share kMaxBlocks)
  MatrixSummary scratch;                   // heatmap blocks of partial values (stepping)
  ImVec2 at(float x, float y) const { return ImVec2(origin.x + v.pan_x + x * v.zoom, origin.y + v.pan_y + y * v.zoom); }
  float font_px() const { return ImGui::GetFontSize() * v.zoom; }
};

// A matrix's colour scale: from the per-revision summary, unless stepping shows partial values.
double largest(const Canvas& c, int id, bool grad) {
  return c.stepping ? largest_entry(grad ? c.g.node(id).grad : c.g.node(id).value) : summary(c.s, id, grad).largest;
}

// In a short embed the page draws its "Text view" button over the canvas's bottom right
// corner (web/embed.js: 12 px text, 6 px from the right, 4 from the bottom, 40 px high on a
// phone; "Close text view" is the wider label): no card is fitted under it.
constexpr float kHostCornerW = 112, kHostCornerH = 30;

// The selected card's ring: this far outside its border, this thick. Its edges end and start
// on the ring (stroke_route), not under it.
constexpr float kRingGap = 3, kRingWidth = 2;

// Shows `f` centred in the canvas's top left w x h.
void place(Canvas& c, const Fit& f, float w, float h) {
  ViewState& v = c.v;
  v.vertical = f.arrangement.vertical;
  v.side = f.arrangement.side;
  v.bands = f.arrangement.bands;
  v.stack = f.arrangement.stack;
  c.layout = layout_graph(c.s, f.arrangement);
  // The cards and the edges: an edge can pass just outside the cards (above the top row).
  ImVec2 lo(0, 0), hi(c.layout.w, c.layout.h);
  for (const EdgeRoute& e : c.layout.edges)
    for (const ImVec2& p : e.points)
      lo = ImVec2(std::min(lo.x, p.x), std::min(lo.y, p.y)), hi = ImVec2(std::max(hi.x, p.x), std::max(hi.y, p.y));
  // Zoomed out to show them too, but not below legible text (then the cards are centred).
  const float m = 2 * fit_margin(), bw = hi.x - lo.x, bh = hi.y - lo.y;
  const float whole = std::min({f.zoom, (w - m) / bw, (h - m) / bh});
  const bool edges_too = whole >= std::min(f.zoom, legible_zoom());
  v.zoom = std::clamp(edges_too ? whole : f.zoom, 0.05f, 4.f);  // a canvas with no room still gets a sane zoom
  if (!edges_too) lo = ImVec2(0, 0), hi = ImVec2(c.layout.w, c.layout.h);
  v.pan_x = (w - (hi.x - lo.x) * v.zoom) / 2 - lo.x * v.zoom;
  v.pan_y = (h - (hi.y - lo.y) * v.zoom) / 2 - lo.y * v.zoom;
}

// Chooses the arrangement and zoom that show the whole graph, centred in the canvas (in a
// short embed, above or beside the page's button if a card would be under it).
void fit(Canvas& c) {
  ViewState& v = c.v;
  const float fw = c.size.x, fh = c.size.y - c.legend_h;
  place(c, best_fit(c.s, fw, fh), fw, fh);
  const ImVec2 corner(ImGui::GetIO().DisplaySize.x - kHostCornerW - c.origin.x,
                      ImGui::GetIO().DisplaySize.y - (phone_width() ? kHostButtonsH : kHostCornerH) - c.origin.y);
  bool under = false;
  for (const CardLayout& k : c.layout.cards) {
    const ImVec2 end = c.at(k.x + k.w, k.y + k.h);
    under |= end.x > c.origin.x + corner.x && end.y > c.origin.y + corner.y;
  }
  if (v.compact && under) {
    const float above_h = std::min(fh, corner.y), beside_w = std::min(fw, corner.x);
    const Fit above = best_fit(c.s, fw, above_h), beside = best_fit(c.s, beside_w, fh);
    if (above.zoom >= beside.zoom) place(c, above, fw, above_h);
    else place(c, beside, beside_w, fh);
  }
  v.last_w = c.size.x;
  v.last_h = c.size.y;
  v.fit_w = c.layout.w;
  v.fit_h = c.layout.h;
  v.fit_legend_h = c.legend_h;
  v.fit_zoom = v.zoom;
  v.fit_pan_x = v.pan_x;
  v.fit_pan_y = v.pan_y;
  c.s.fit_pending = false;
}

// The view is still where the last fit put it, and the cards have grown past what it fitted,
// or the legend has (step-through's takes two lines on a narrow canvas).
bool outgrew_fit(const Canvas& c) {
  const ViewState& v = c.v;
  const bool untouched = v.zoom == v.fit_zoom && v.pan_x == v.fit_pan_x && v.pan_y == v.fit_pan_y;
  return untouched && v.drag.node < 0 &&
         (c.layout.w > v.fit_w + 1 || c.layout.h > v.fit_h + 1 || c.legend_h > v.fit_legend_h + 1);
}

// Gradient magnitude along each edge (the input's share of the gradient from that user),
// as the root mean square of the contribution; recomputed only when the values change.
void update_edge_magnitudes(Canvas& c) {
  ViewState& v = c.v;
  size_t edges = 0;  // one per input of each node, in node order
  for (const Node& n : c.g0.nodes) edges += n.inputs.size();
  if (v.edge_revision == c.s.revision && v.edge_mag.size() == edges) return;
  v.edge_revision = c.s.revision;
  v.edge_mag.clear();
  for (size_t i = 0; i < c.g0.nodes.size(); ++i)
    for (int k = 0; k < c.g0.nodes[i].arity(); ++k) {
      Matrix m = contribution(c.g0, int(i), k);
      v.edge_mag.push_back(m.size() && m.allFinite() ? float(std::sqrt(m.squaredNorm() / double(m.size()))) : 0.f);
    }
}

// One routed edge: straight runs with rounded corners, and an arrowhead into the user.
void stroke_route(Canvas& c, const EdgeRoute& e, ImU32 col, float width) {
  const float z = std::max(c.v.zoom, 0.6f), ah = 7 * z;
  std::vector<ImVec2> p;
  for (const ImVec2& q : e.points) p.push_back(c.at(q.x, q.y));
  ImVec2 tip = p.back(), prev = p[p.size() - 2];
  float dx = tip.x - prev.x, dy = tip.y - prev.y, len = std::sqrt(dx * dx + dy * dy);
  if (len > 0) dx /= len, dy /= len;
  constexpr float kRing = kRingGap + kRingWidth / 2;
  if (e.to == c.s.selected && len > kRing) tip = ImVec2(tip.x - dx * kRing, tip.y - dy * kRing), len -= kRing;
  if (e.from == c.s.selected) {
    const float ox = p[1].x - p[0].x, oy = p[1].y - p[0].y, lo = std::sqrt(ox * ox + oy * oy);
    if (lo > kRing) p[0] = ImVec2(p[0].x + ox / lo * kRing, p[0].y + oy / lo * kRing);
  }
  const float pull = std::min(ah * 0.8f, len);
  p.back() = ImVec2(tip.x - dx * pull, tip.y - dy * pull);
  c.dl->PathLineTo(p[0]);
  for (size_t k = 1; k + 1 < p.size(); ++k) {
    const ImVec2 a = p[k - 1], q = p[k], b = p[k + 1];
    const float la = std::hypot(q.x - a.x, q.y - a.y), lb = std::hypot(b.x - q.x, b.y - q.y);
    const float r = std::min({8 * z, la / 2, lb / 2});
    if (r < 0.5f) continue;
    c.dl->PathLineTo(ImVec2(q.x + (a.x - q.x) / la * r, q.y + (a.y - q.y) / la * r));
    c.dl->PathBezierQuadraticCurveTo(q, ImVec2(q.x + (b.x - q.x) / lb * r, q.y + (b.y - q.y) / lb * r));
  }
  c.dl->PathLineTo(p.back());
  c.dl->PathStroke(col, 0, width);
  const ImVec2 side(-dy * ah * 0.6f, dx * ah * 0.6f);
  c.dl->AddTriangleFilled(tip, ImVec2(tip.x - dx * ah + side.x, tip.y - dy * ah + side.y),
                          ImVec2(tip.x - dx * ah - side.x, tip.y - dy * ah - side.y), col);
}

// Each input to its user along the route the layout found around the cards.
void draw_edges(Canvas& c) {
  const float z = std::max(c.v.zoom, 0.6f);
  const bool flow = c.v.edge_grads && !c.stepping && c.s.show_gradients;
  float top = 0;
  if (flow) {
    update_edge_magnitudes(c);
    for (float m : c.v.edge_mag) top = std::max(top, m);
  }
  std::vector<size_t> first_edge;  // edge_mag holds one entry per input of each node, in node order
  if (flow)
    for (size_t i = 0, k = 0; i < c.g0.nodes.size(); k += c.g0.nodes[i].inputs.size(), ++i) first_edge.push_back(k);
  for (const EdgeRoute& e : c.layout.edges) {
    bool hot = c.stepping && e.to == c.s.stepper.current();
    ImU32 col = hot ? c.pal.current : c.pal.edge;
    float width = (hot ? 3.f : 1.6f) * z;
    if (flow && top > 0) {
      float t = c.v.edge_mag[first_edge[size_t(e.to)] + size_t(e.slot)] / top;
      width = (1.f + 7.f * t) * z;
      col = t > 0 ? c.pal.flow : c.pal.edge;
    }
    stroke_route(c, e, col, width);
  }
}

bool highlighted(const ViewState& v, const CellRef& cell) {
  return std::find(v.highlight.begin(), v.highlight.end(), cell) != v.highlight.end();
}

// The blocks of a large matrix drawn smaller than 2 px a cell (see MatrixSummary), worked
// out once per change of its values or of the block size, not in every frame (while stepping
// through, whose partial values change step by step, for each frame).
const MatrixSummary& heatmap(Canvas& c, int id, bool grad, const Matrix& m, long step) {
  MatrixSummary& h = c.stepping ? c.scratch : summary(c.s, id, grad);
  if (h.step == step && !c.stepping) return h;
  h.step = step;
  h.cols = (long(m.cols()) + step - 1) / step;
  const long rows = long(m.rows());
  h.blocks.assign(size_t((rows + step - 1) / step * h.cols), 0.0);
  for (long col = 0; col < long(m.cols()); ++col) {  // down each column (the storage order)
    const double* x = m.data() + col * rows;
    for (long r = 0, block = col / step; r < rows; block += h.cols) {
      double b = h.blocks[size_t(block)], size = std::fabs(b);
      for (const long end = std::min(rows, r + step); r < end; ++r)
        if (!(std::fabs(x[r]) <= size)) b = x[r], size = std::fabs(b);
      h.blocks[size_t(block)] = b;
    }
  }
  return h;
}

// One matrix: heatmap cells (only the visible ones), numbers where there is room, and the
// cell under the pointer.
void draw_matrix(Canvas& c, int id, const Matrix& m, const CardLayout& card, bool grad, bool known, bool partial) {
  ViewState& v = c.v;
  const float z = v.zoom;
  const float cw = grad ? card.grad_cell_w : card.cell_w, ch = card.cell_h;
  const float left = card.x + (grad ? card.grad_x : card.value_x), top = card.y + (grad ? card.grad_y : card.value_y);
  double scale = grad ? c.grad_scale : c.value_scale;
  if (scale <= 0) scale = largest(c, id, grad);
  if (scale == 0) scale = 1;
  const ImVec2 a0 = c.at(left, top);
  const float sw = cw * z, sh = ch * z;  // one cell on screen
  if (!(sw > 0 && sh > 0) || m.size() == 0) return;
  const long rows = long(m.rows()), cols = long(m.cols());
  // Only the cells inside the canvas are drawn: a 2048 x 2048 matrix costs what fits on screen.
  auto first = [](float from, float lo, float step) { return long(std::max(0.f, std::floor((lo - from) / step))); };
  // Tiny cells are merged into blocks of about 2 px, each coloured by its largest entry; and
  // a heatmap's into larger blocks while the visible ones would be more than its share of
  // kMaxBlocks. The cap bounds the drawing work of a frame (two 2048 x 2048 heatmaps in 2 px
  // blocks were about a million vertices), and keeps a window within 65,536 vertices (4 a
  // block) in the headless front end of the tests: it has ImGui's 16-bit indices and no
  // renderer to draw past them with vertex offsets (the desktop's has; the browser's indices
  // are 32-bit, ui/imconfig_gradscope.h).
  constexpr double kMaxBlocks = 12000;
  long step = sw < 2 || sh < 2 ? long(std::ceil(2 / std::min(sw, sh))) : 1;
  const double seen_rows = std::clamp(double(std::min(a0.y + sh * float(rows), c.origin.y + c.size.y) -
                                             std::max(a0.y, c.origin.y)) / sh + 1, 1.0, double(rows));
  const double seen_cols = std::clamp(double(std::min(a0.x + sw * float(cols), c.origin.x + c.size.x) -
                                             std::max(a0.x, c.origin.x)) / sw + 1, 1.0, double(cols));
  const double share = kMaxBlocks / std::max(c.heatmaps, 1);
  while (!card.numbers && seen_rows / double(step) * seen_cols / double(step) > (step == 1 ? share / 8 : share)) step *= 2;
  const long r0 = first(a0.y, c.origin.y, sh) / step * step, c0 = first(a0.x, c.origin.x, sw) / step * step;
  const long r1 = std::min(rows, long(std::ceil((c.origin.y + c.size.y - a0.y) / sh)));
  const long c1 = std::min(cols, long(std::ceil((c.origin.x + c.size.x - a0.x) / sw)));
  const float fs = c.font_px();
  ImFont* font = ImGui::GetFont();
  const bool text = fs >= 6 && (card.numbers || (sh >= fs + 2 && sw >= fs * 3));
  const bool record = !grad && m.size() <= 4096;
  if (record) c.s.value_cells[size_t(id)].assign(size_t(m.size()), {});
  const MatrixSummary* blocks = step > 1 ? &heatmap(c, id, grad, m, step) : nullptr;
  for (long r = r0; r < r1; r += step) {
    for (long col = c0; col < c1; col += step) {
      const double val = blocks ? blocks->blocks[size_t(r / step * blocks->cols + col / step)] : m(r, col);
      ImVec2 a(a0.x + sw * float(col), a0.y + sh * float(r));
      ImVec2 b(a.x + sw * float(step), a.y + sh * float(step));
      ImU32 bg = known ? heat_color(val / scale, c.s.dark) : c.pal.grid;
      c.dl->AddRectFilled(ImVec2(a.x + 0.5f, a.y + 0.5f), ImVec2(b.x - 0.5f, b.y - 0.5f), bg, step > 1 ? 0 : 2 * z);
      if (!std::isfinite(val) && known) c.dl->AddRect(a, b, c.pal.error, 0, 0, 2);
      if (step == 1 && highlighted(v, {id, grad, int(r), int(col)})) c.dl->AddRect(a, b, c.pal.story, 2 * z, 0, 2.5f);
      if (text && step == 1) {
        std::string t = known ? cell_text(val) : "?";
        ImVec2 ts = font->CalcTextSizeA(fs, FLT_MAX, 0, t.c_str());
        c.dl->AddText(font, fs, ImVec2((a.x + b.x - ts.x) / 2, (a.y + b.y - ts.y) / 2),
                      known ? text_on(bg) : c.pal.text_dim, t.c_str());
      }
    }
  }
  if (record)
    for (long r = 0; r < rows; ++r)
      for (long col = 0; col < cols; ++col)
        c.s.value_cells[size_t(id)][size_t(r * cols + col)] = {a0.x + sw * float(col), a0.y + sh * float(r), sw, sh,
                                                                 true};
  if (c.hovered && ImGui::IsMouseHoveringRect(a0, ImVec2(a0.x + sw * float(cols), a0.y + sh * float(rows)))) {
    ImVec2 p = ImGui::GetIO().MousePos;
    v.hovered = {id, grad, std::clamp(int((p.y - a0.y) / sh), 0, int(rows) - 1),
                 std::clamp(int((p.x - a0.x) / sw), 0, int(cols) - 1)};
  }
  if (partial)
    c.dl->AddRect(ImVec2(a0.x - 2, a0.y - 2), ImVec2(a0.x + sw * float(cols) + 2, a0.y + sh * float(rows) + 2),
                  c.pal.partial, 2, 0, 2);
}

// "df/dW", the label above a gradient.

void draw_card(Canvas& c, int id) {
  const Node& n = c.g.node(id);
  const CardLayout& card = c.layout.cards[size_t(id)];
  AppState& s = c.s;
  const float z = c.v.zoom, fs = c.font_px();
  ImVec2 a = c.at(card.x, card.y), b = c.at(card.x + card.w, card.y + card.h);
  c.v.cards[size_t(id)] = {a.x, a.y, b.x - a.x, b.y - a.y};
  bool current = c.stepping && s.stepper.current() == id;
  bool reads = c.stepping && s.stepper.reads(id);
  bool bad = non_finite(s, c.g, id);
  // The step-through's colours win over the selection, which is drawn as a second line.
  ImU32 border = current ? c.pal.current : reads ? c.pal.reads : bad ? c.pal.error : c.pal.card_border;
  const float round = 6 * z >= 2 ? 6 * z : 0;  // corners of under 2 px are not worth their arcs
  c.dl->AddRectFilled(a, b, c.pal.card_bg, round);
  c.dl->AddRect(a, b, border, round, 0, (current || reads || bad) ? 3.f : 1.f);
  // The selection rings the card from outside, clear of its title and numbers.
  if (s.selected == id)
    c.dl->AddRect(ImVec2(a.x - kRingGap, a.y - kRingGap), ImVec2(b.x + kRingGap, b.y + kRingGap), c.pal.card_selected,
                  6 * z + kRingGap, 0, kRingWidth);
  ImFont* font = ImGui::GetFont();
  const float label = label_height();
  if (fs >= 6) {
    c.dl->AddText(font, fs, c.at(card.x + kCardPad, card.y + kCardPad * 0.6f), c.pal.text, card_title(n).c_str());
    if (n.kind != NodeKind::Constant && card.value_y > card.sub_y) {  // (compact cards have no second line)
      std::string sub = (card.value_label_in_sub ? "value  " : "") + (card.subtitle ? card_subtitle(c.g, s, id) : "");
      c.dl->AddText(font, fs * 0.9f, c.at(card.x + kCardPad, card.y + card.sub_y), bad ? c.pal.error : c.pal.text_dim,
                    sub.c_str());
      if (!card.value_label_in_sub)
        c.dl->AddText(font, fs * 0.9f, c.at(card.x + card.value_x, card.y + card.value_y - label + 1), c.pal.text_dim,
                      "value");
    }
  }
  bool known = (!c.stepping || s.stepper.value_known(id)) && !is_hidden(s, id, false);
  draw_matrix(c, id, n.value, card, false, known, false);
  draw_tangent_row(s, id, card, c.at(0, 0), z, c.dl);  // forward mode's tangent row (ui/views_panel.cpp)
  draw_claim_row(s, id, card, c.at(0, 0), z, c.dl);  // derive mode's third row (ui/derive_panel.cpp)
  if (n.kind == NodeKind::Constant || !n.differentiable || !s.show_gradients) return;
  bool show = shows_gradient(s, id) && !is_hidden(s, id, true);
  GradState state = c.stepping ? s.stepper.grad_state(id) : GradState::Final;
  if (fs >= 6) {
    // The card is as wide as the label; what step-through or an exercise adds to it is
    // left out where it would run past the border (the cells show it anyway).
    std::string text = grad_label(c.g, id);
    const float room = card.w - kCardPad - card.grad_label_x;
    for (const char* more : {show ? "" : " (hidden)", state == GradState::Partial ? " (partial)" : ""})
      if (*more && ImGui::CalcTextSize((text + more).c_str()).x * 0.9f <= room) text += more;
    c.dl->AddText(font, fs * 0.9f, c.at(card.x + card.grad_label_x, card.y + card.grad_y - label + 1), c.pal.text_dim,
                  text.c_str());
  }
  draw_matrix(c, id, n.grad, card, true, show && state != GradState::Unknown, state == GradState::Partial);
}

// Drag an input entry (0.01 per pixel; Shift 0.001, Ctrl 0.1), double-click to type one,
// drag the background to pan, wheel to zoom about the pointer, click a card to select it.
void handle_input(Canvas& c) {
  ViewState& v = c.v;
  AppState& s = c.s;
  ImGuiIO& io = ImGui::GetIO();
  const CellRef h = v.hovered;
  const bool editable = h.node >= 0 && !h.grad && !c.stepping && c.g0.node(h.node).kind == NodeKind::Input &&
                        !is_locked(s, c.g0.node(h.node).name);
  if (c.hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Left))
    for (size_t i = 0; i < v.cards.size(); ++i)
      if (v.cards[i].contains(io.MousePos.x, io.MousePos.y)) s.selected = int(i);
  if (editable && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
    v.drag = h;
    v.drag_start_value = c.g0.node(h.node).value(h.row, h.col);
    v.drag_start_x = io.MousePos.x;
  }
  if (v.drag.node >= 0) {
    if (ImGui::IsMouseDown(ImGuiMouseButton_Left) && v.drag.node < int(c.g0.nodes.size())) {
      float step = io.KeyShift ? 0.001f : io.KeyCtrl ? 0.1f : 0.01f;
      double val = std::round((v.drag_start_value + double(io.MousePos.x - v.drag_start_x) * step) * 1e4) / 1e4;
      if (val != c.g0.node(v.drag.node).value(v.drag.row, v.drag.col))
        set_input_entry(s, v.drag.node, v.drag.row, v.drag.col, val);
      ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
    } else {
      v.drag.node = -1;
    }
  } else if (c.active && (ImGui::IsMouseDragging(ImGuiMouseButton_Left) ||
                          ImGui::IsMouseDragging(ImGuiMouseButton_Right) ||
                          ImGui::IsMouseDragging(ImGuiMouseButton_Middle))) {
    v.pan_x += io.MouseDelta.x;
    v.pan_y += io.MouseDelta.y;
  }
  if (editable && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
    v.edit = h;
    std::snprintf(v.edit_text, sizeof v.edit_text, "%s", format_number(c.g0.node(h.node).value(h.row, h.col)).c_str());
    ImGui::OpenPopup("edit-cell");
  }
  if (c.hovered && io.MouseWheel != 0) {
    float old = v.zoom;
    v.zoom = std::clamp(v.zoom * std::pow(1.15f, io.MouseWheel), 0.15f, 4.0f);
    float mx = io.MousePos.x - c.origin.x, my = io.MousePos.y - c.origin.y;
    v.pan_x = mx - (mx - v.pan_x) * v.zoom / old;
    v.pan_y = my - (my - v.pan_y) * v.zoom / old;
  }
  if (editable) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
}

// The hovered cell's chain rule as a tooltip; the cells it reads are outlined next frame.
void hover_story(Canvas& c) {
  ViewState& v = c.v;
  v.highlight.clear();
  v.hover_text.clear();
  if (v.hovered.node < 0 || v.drag.node >= 0) return;
  // A picture being taken (png(), svg()) is the graph without the pointer's tooltip over it.
  if (c.s.png_request != AppState::Picture::None || c.s.svg_request != AppState::Picture::None) return;
  v.hover_text = cell_story(c.s, c.g, v.hovered, v.highlight);
  v.story_cell = v.hovered;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
  ImGui::TextUnformatted(v.hover_text.c_str());
  const Node& n = c.g0.node(v.hovered.node);
  if (!v.hovered.grad && !c.stepping && n.kind == NodeKind::Input && !is_locked(c.s, n.name))
    ImGui::TextDisabled("drag left/right to change (Shift: fine, Ctrl: coarse); double-click to type");
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

// A card outside the canvas gets a marker on the edge nearest to it; clicking the marker
// brings the card to the middle.
void offscreen_markers(Canvas& c) {
  ViewState& v = c.v;
  const float m = 14, lo_x = c.origin.x + m, lo_y = c.origin.y + m;
  const float hi_x = c.origin.x + c.size.x - m, hi_y = c.origin.y + c.size.y - c.legend_h - m;
  ImGuiIO& io = ImGui::GetIO();
  for (size_t i = 0; i < v.cards.size(); ++i) {
    const Rect& r = v.cards[i];
    float cx = r.x + r.w / 2, cy = r.y + r.h / 2;
    if (r.x + r.w > lo_x - m && r.x < hi_x + m && r.y + r.h > lo_y - m && r.y < hi_y + m) continue;  // partly visible
    ImVec2 p(std::clamp(cx, lo_x, hi_x), std::clamp(cy, lo_y, hi_y));
    float dx = cx - p.x, dy = cy - p.y, len = std::sqrt(dx * dx + dy * dy);
    dx /= len, dy /= len;
    c.dl->AddTriangleFilled(ImVec2(p.x + dx * 9, p.y + dy * 9), ImVec2(p.x - dy * 6, p.y + dx * 6),
                            ImVec2(p.x + dy * 6, p.y - dx * 6), c.pal.card_selected);
    const char* name = c.g.nodes[i].name.c_str();
    ImVec2 ts = ImGui::CalcTextSize(name);
    ImVec2 tp(std::clamp(p.x - dx * 14 - ts.x / 2, lo_x - m + 2, hi_x + m - ts.x - 2),
              std::clamp(p.y - dy * 14 - ts.y / 2, lo_y - m + 2, hi_y + m - ts.y - 2));
    c.dl->AddText(tp, c.pal.text, name);
    if (c.hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Left) &&
        std::abs(io.MousePos.x - p.x) < 16 && std::abs(io.MousePos.y - p.y) < 16) {
      v.pan_x += c.origin.x + c.size.x / 2 - cx;
      v.pan_y += c.origin.y + (c.size.y - c.legend_h) / 2 - cy;
    }
  }
}

// The legend's next item goes on the next line when it would pass the canvas's right edge.
void legend_room(const Canvas& c, ImVec2& at, float w) {
  if (at.x + w <= c.origin.x + c.size.x - 6) return;
  at.x = c.origin.x + 10;
  at.y += ImGui::GetFontSize() + 8;
}

void swatch(Canvas& c, ImVec2& at, ImU32 col, const char* text) {
  const float f = ImGui::GetFontSize();
  legend_room(c, at, f + 4 + ImGui::CalcTextSize(text).x);
  c.dl->AddRect(ImVec2(at.x, at.y + 2), ImVec2(at.x + f, at.y + f - 1), col, 3, 0, 3);
  c.dl->AddText(ImVec2(at.x + f + 4, at.y), c.pal.text_dim, text);
  at.x += f + 16 + ImGui::CalcTextSize(text).x;
}

// Along the canvas's bottom, outside the fitted graph: the colour scale and, while stepping,
// what the outlines mean (on two lines on a narrow canvas).
void draw_legend(Canvas& c) {
  if (c.legend_h <= 0) return;
  const float f = ImGui::GetFontSize();
  ImVec2 at(c.origin.x + 10, c.origin.y + c.size.y - c.legend_h + 4);
  c.dl->AddRectFilled(ImVec2(c.origin.x, at.y - 4), ImVec2(c.origin.x + c.size.x, c.origin.y + c.size.y),
                      c.pal.canvas_bg);
  c.dl->AddText(at, c.pal.text_dim, "-max");
  at.x += ImGui::CalcTextSize("-max").x + 4;
  const float w = 100;
  for (int k = 0; k < 20; ++k)
    c.dl->AddRectFilled(ImVec2(at.x + w * float(k) / 20, at.y + 3), ImVec2(at.x + w * float(k + 1) / 20, at.y + f - 2),
                        heat_color(float(k) / 10 - 1 + 0.05, c.s.dark));
  at.x += w + 4;
  c.dl->AddText(at, c.pal.text_dim, "+max");
  at.x += ImGui::CalcTextSize("+max").x + 14;
  if (c.stepping) {
    // Forward, this step computes its node from the node's inputs; backward, the node sends
    // its gradient to them: the same two roles, so one wording serves both directions.
    swatch(c, at, c.pal.current, "this step's node");
    swatch(c, at, c.pal.reads, "its inputs");
    swatch(c, at, c.pal.partial, "partial sum");
  } else {
    const bool narrow = c.size.x < 640;  // a phone: the short form keeps the legend on one line
    const char* what = c.v.shared_scale ? (narrow ? "one scale for all" : "one colour scale for all values, one for all gradients")
                                        : (narrow ? "a scale per matrix" : "each matrix coloured by its own largest |entry|");
    legend_room(c, at, ImGui::CalcTextSize(what).x);
    c.dl->AddText(at, c.pal.text_dim, what);
  }
}

void edit_popup(AppState& s) {
  ViewState& v = s.view;
  if (!ImGui::BeginPopup("edit-cell")) return;
  if (v.edit.node >= 0 && v.edit.node < int(s.graph.nodes.size())) {
    ImGui::Text("%s[%d][%d]", s.graph.node(v.edit.node).name.c_str(), v.edit.row, v.edit.col);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    bool enter = ImGui::InputText("##value", v.edit_text, sizeof v.edit_text, ImGuiInputTextFlags_EnterReturnsTrue);
    auto m = parse_matrix(v.edit_text);
    bool valid = m && m.value().size() == 1;
    if (!valid) ImGui::TextColored(ImVec4(0.85f, 0.2f, 0.2f, 1), "%s", m ? "enter one number" : m.error().message.c_str());
    if (enter && valid) {
      set_input_entry(s, v.edit.node, v.edit.row, v.edit.col, m.value()(0, 0));
      ImGui::CloseCurrentPopup();
    }
  }
  ImGui::EndPopup();
}

}  // namespace

void graph_view(AppState& s) {
  if (s.graph.nodes.empty()) {
    ImGui::TextDisabled("No graph yet: write a program in the editor.");
    return;
  }
  const bool stepping = s.stepper.active();
  ImVec2 origin = ImGui::GetCursorScreenPos(), size = ImGui::GetContentRegionAvail();
  size.x = std::max(size.x, 50.f);
  size.y = std::max(size.y, 50.f);
  ImGui::InvisibleButton("canvas", size, ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight |
                                             ImGuiButtonFlags_MouseButtonMiddle);
  Canvas c{s, s.view, s.graph, stepping ? s.stepper.view() : s.graph, stepping, palette(s.dark),
           ImGui::GetWindowDrawList(), origin, size,
           s.view.compact ? 0.f : (ImGui::GetFontSize() + 8) * (stepping && size.x < 640 ? 2 : 1), {}};
  c.hovered = ImGui::IsItemHovered();
  c.active = ImGui::IsItemActive();
  ViewState& v = s.view;
  v.graph = {origin.x, origin.y, size.x, size.y};
  if (s.fit_pending || std::abs(v.last_w - size.x) > 1 || std::abs(v.last_h - size.y) > 1) fit(c);
  else if (c.layout = layout_graph(s, {v.vertical, v.side, v.bands, v.stack}); outgrew_fit(c)) fit(c);
  if (v.shared_scale)
    for (size_t i = 0; i < c.g.nodes.size(); ++i)
      c.value_scale = std::max(c.value_scale, largest(c, int(i), false)),
      c.grad_scale = std::max(c.grad_scale, largest(c, int(i), true));
  for (const CardLayout& card : c.layout.cards) c.heatmaps += card.numbers ? 0 : 2;
  if (s.value_cells.size() != c.g.nodes.size()) s.value_cells.assign(c.g.nodes.size(), {});
  v.cards.assign(c.g.nodes.size(), {});

  c.dl->PushClipRect(origin, ImVec2(origin.x + size.x, origin.y + size.y), true);
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  v.canvas_cleared = 2 * size.x * size.y > display.x * display.y;
  if (!v.canvas_cleared) c.dl->AddRectFilled(origin, ImVec2(origin.x + size.x, origin.y + size.y), c.pal.canvas_bg);
  // Zoomed far out (hundreds of cards), edges and cards are drawn without anti-aliased
  // fringes: a fraction of the triangles (software WebGL rasterizes each one), and at that
  // size no visible difference.
  const ImDrawListFlags smooth = c.dl->Flags;
  if (v.zoom < 0.5f) c.dl->Flags &= ~(ImDrawListFlags_AntiAliasedLines | ImDrawListFlags_AntiAliasedFill);
  draw_edges(c);
  v.hovered = {};
  for (size_t i = 0; i < c.g.nodes.size(); ++i) draw_card(c, int(i));
  c.dl->Flags = smooth;
  handle_input(c);
  hover_story(c);
  offscreen_markers(c);
  draw_legend(c);
  c.dl->PopClipRect();
  edit_popup(s);
}

}  // namespace gs::ui
