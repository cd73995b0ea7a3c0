// Where the graph's cards go. Layers by depth (longest path from an input), nodes in
// program order within a layer; the layers run left to right, wrapped into rows when the
// graph is much wider than its canvas, or top to bottom on a tall, narrow one. Everything
// is in graph units (zoom 1); the view draws at origin + zoom * position.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <utility>

#include "ui/graph_view.h"
#include "ui/derive_panel.h"
#include "ui/views.h"
#include "ui/graph_parts.h"
#include "ui/layout.h"

namespace gs::ui {
namespace {

constexpr float kPad = kCardPad, kGapMatrices = 12;
// The gaps between layers, between the cards of a layer and between wrapped rows (where the
// edges run): narrower in a short embed's compact mode.
float gap_x() { return compact_height() ? 16.f : 30.f; }
float gap_y() { return 18.f; }
float gap_band() { return compact_height() ? 30.f : 34.f; }
constexpr float kMaxFitZoom = 1.4f;

// Wide enough for the widest number the matrix shows (no text spills into a neighbour).
float cell_width(const AppState& s, int id, bool grad, bool hidden) {
  const float f = ImGui::GetFontSize();
  return hidden ? f * 3.2f : std::max(f * 1.6f, summary(s, id, grad).text_w + 6);
}

std::vector<int> depths(const Graph& g) {
  const size_t n = g.nodes.size();
  std::vector<int> depth(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const Node& node = g.nodes[i];
    if (node.kind != NodeKind::Op) continue;
    for (int k = 0; k < node.arity(); ++k)
      if (g.node(node.inputs[k]).kind != NodeKind::Constant)
        depth[i] = std::max(depth[i], depth[size_t(node.inputs[k])] + 1);
    depth[i] = std::max(depth[i], 1);
  }
  // Inputs and constants sit just before their first consumer, so a layer's weights stand
  // beside the layer rather than all in the first layer.
  std::vector<int> first_use(n, 1 << 20);
  for (size_t j = 0; j < n; ++j)
    for (int k = 0; k < g.nodes[j].arity(); ++k) {
      int& d = first_use[size_t(g.nodes[j].inputs[k])];
      d = std::min(d, depth[j] - 1);
    }
  for (size_t i = 0; i < n; ++i)
    if (g.nodes[i].kind != NodeKind::Op) depth[i] = first_use[i] == (1 << 20) ? 0 : std::max(0, first_use[i]);
  return depth;
}

CardLayout card_size(const AppState& s, int id, bool side) {
  const Graph& g = s.graph;
  const Node& node = g.node(id);
  const float f = ImGui::GetFontSize(), line = line_height(), label = label_height();
  CardLayout c;
  const int rows = int(node.value.rows()), cols = int(node.value.cols());
  const bool grads = node.kind != NodeKind::Constant && node.differentiable && s.show_gradients;  // argmax, zeros: none
  c.numbers = rows <= kMaxPrinted && cols <= kMaxPrinted;
  if (c.numbers) {
    c.cell_w = cell_width(s, id, false, is_hidden(s, id, false));
    c.grad_cell_w = grads ? cell_width(s, id, true, is_hidden(s, id, true) || !shows_gradient(s, id)) : 0;
    c.cell_h = f + 4;
  } else {  // a heatmap about 260 units across, whatever the matrix's size
    c.cell_w = c.grad_cell_w = c.cell_h = std::min(14.f, 260.f / float(std::max(rows, cols)));
  }
  const float vw = c.cell_w * float(cols), gw = c.grad_cell_w * float(cols), mh = c.cell_h * float(rows);
  // Line 1: the title. Line 2: "value  matmul (3, 1)"; with the gradient beside the value,
  // the labels get a line of their own.
  c.value_label_in_sub = !(grads && side);
  float header_w = ImGui::CalcTextSize(card_title(node).c_str()).x;
  c.sub_y = kPad * 0.6f + line;
  if (node.kind == NodeKind::Constant) {
    c.value_y = c.sub_y;
  } else {
    // A short embed shows the expression, not the op's name and shape; with the gradient
    // below the value, the value goes right under the title (the gradient keeps its label).
    c.subtitle = !compact_height();
    std::string sub = (c.value_label_in_sub ? "value  " : "") + (c.subtitle ? card_subtitle(g, s, id) : "");
    header_w = std::max(header_w, ImGui::CalcTextSize(sub.c_str()).x);
    c.value_y = c.sub_y + (c.value_label_in_sub || !c.subtitle ? label : line + label);
    if (!c.subtitle && c.value_label_in_sub) c.value_y = c.sub_y;
  }
  // The gradient's label ("do/dw1", at 0.9 of the font) can be wider than its matrix.
  const float grad_label_w = grads ? 0.9f * ImGui::CalcTextSize(grad_label(g, id).c_str()).x : 0;
  if (!grads) {
    c.w = std::max(vw, header_w) + 2 * kPad;
    c.h = c.value_y + mh + kPad;
  } else if (side) {
    c.grad_y = c.value_y;
    c.w = std::max({vw + kGapMatrices + std::max(gw, grad_label_w), header_w}) + 2 * kPad;
    c.h = c.value_y + mh + kPad;
  } else {
    c.grad_y = c.value_y + mh + 4 + label;
    c.w = std::max({vw, gw, grad_label_w, header_w}) + 2 * kPad;
    c.h = c.grad_y + mh + kPad;
  }
  if (node.kind != NodeKind::Constant && c.subtitle) c.w = std::max(c.w, 7 * f + 2 * kPad);  // room for the subtitle
  c.w = std::max(c.w, claim_row_width(s, id));  // derive mode's label ("yours: dZ  coincidence")
  c.tangent_cell_w = tangent_cell_width(s, id, c);  // forward mode's tangents, as wide as they need
  c.w = std::max(c.w, c.tangent_cell_w * float(cols) + 2 * kPad);
  if (grads && side) {
    float left = (c.w - (vw + kGapMatrices + std::max(gw, grad_label_w))) / 2;
    c.value_x = left;
    c.grad_x = left + vw + kGapMatrices;
  } else {
    c.value_x = (c.w - vw) / 2;
    c.grad_x = (c.w - gw) / 2;
  }
  c.grad_label_x = std::max(kPad, std::min(c.grad_x, c.w - kPad - grad_label_w));
  c.h += tangent_row_height(s, id, c);  // forward mode's tangent row (ui/views_panel.cpp)
  c.h += claim_row_height(s, id, c);  // derive mode's third row (ui/derive_panel.cpp)
  return c;
}

// What routing needs of the layer structure: per card its layer, per layer its band, where
// it begins along the layers (u) and its extent; per band where it begins across (v) and its
// thickness.
struct Layers {
  std::vector<int> layer, band;
  std::vector<float> start, across, band_at, thick;
  std::vector<int> order;  // the cards, layer by layer, each layer in its order along v
};

// Sorts floats with the C library's qsort (the browser build has it already; std::sort would
// add its own copy).
void sort_floats(std::vector<float>& v) {
  std::qsort(v.data(), v.size(), sizeof(float), [](const void* x, const void* y) {
    const float a = *static_cast<const float*>(x), b = *static_cast<const float*>(y);
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

// Routes every edge through free space (see EdgeRoute). u runs along the layers (x in
// columns, y in rows), v across them; wrapped rows of layers stack along v. The gaps between
// layers and between rows hold no card; an edge that skips layers crosses them at a v that
// misses every card of the layers it skips. In a gap, edges leave on their input's lane (the
// first half) and arrive on their user's lane (the second half), so two paths share a line
// only when they share an end.
void route_edges(const Graph& g, GraphLayout& out, const Layers& L) {
  const bool vert = out.arrangement.vertical;
  const float gu = vert ? gap_y() : gap_x(), gv = vert ? gap_x() : gap_y();
  auto u0 = [vert](const CardLayout& c) { return vert ? c.y : c.x; };
  auto u1 = [vert](const CardLayout& c) { return vert ? c.y + c.h : c.x + c.w; };
  auto v0 = [vert](const CardLayout& c) { return vert ? c.x : c.y; };
  auto v1 = [vert](const CardLayout& c) { return vert ? c.x + c.w : c.y + c.h; };
  auto pt = [vert](float u, float v) { return vert ? ImVec2(v, u) : ImVec2(u, v); };
  const size_t n = g.nodes.size();
  std::vector<int> index(n), count(L.start.size(), 0), crossing(L.thick.size(), 0), crossed = crossing;
  for (const int i : L.order) index[size_t(i)] = count[size_t(L.layer[size_t(i)])]++;
  // Where edges go around the rows between their ends: before the first layer, in the room
  // layout_graph() leaves there (inside the extent, so a fit shows them).
  const float around = *std::min_element(L.start.begin(), L.start.end()) - gu * 0.25f;
  auto lane = [&](int card, float from, float to) {
    return from + (to - from) * float(index[size_t(card)] + 1) / float(count[size_t(L.layer[size_t(card)])] + 1);
  };
  for (size_t i = 0; i < n; ++i)
    for (int k = 0; k < g.nodes[i].arity(); ++k) {
      const int ba = L.band[size_t(L.layer[size_t(g.nodes[i].inputs[k])])];
      if (ba != L.band[size_t(L.layer[i])]) ++crossing[size_t(ba)];
    }
  for (size_t i = 0; i < n; ++i) {
    const Node& node = g.nodes[i];
    for (int k = 0; k < node.arity(); ++k) {
      const int j = node.inputs[k], da = L.layer[size_t(j)], db = L.layer[i];
      const int ba = L.band[size_t(da)], bb = L.band[size_t(db)];
      const CardLayout &a = out.cards[size_t(j)], &b = out.cards[i];
      const float slot = float(k + 1) / float(node.arity() + 1);
      const float va = v0(a) + std::min(v1(a) - v0(a), 90.f) * 0.5f, vb = v0(b) + slot * std::min(v1(b) - v0(b), 90.f);
      const float after = L.start[size_t(da)] + L.across[size_t(da)], before = L.start[size_t(db)] - gu;
      const float g1 = lane(j, after + gu * 0.12f, after + gu * 0.4f);
      const float g2 = lane(int(i), before + gu * 0.4f, before + gu * 0.68f);
      EdgeRoute e{j, int(i), k, {pt(u1(a), va)}};
      if (ba != bb) {  // down (or across) to the gap after the input's row, along it, into the user's row
        const float vs = L.band_at[size_t(ba)] + L.thick[size_t(ba)] +
                         gap_band() * float(++crossed[size_t(ba)]) / float(crossing[size_t(ba)] + 1);
        float ve = vs;
        e.points.insert(e.points.end(), {pt(g1, va), pt(g1, vs)});
        if (bb > ba + 1) {  // rows between: around their start, where no row has a card
          ve = L.band_at[size_t(bb)] - gap_band() * 0.5f;
          e.points.insert(e.points.end(), {pt(around, vs), pt(around, ve)});
        }
        e.points.insert(e.points.end(), {pt(g2, ve), pt(g2, vb)});
      } else if (db == da + 1) {
        e.points.insert(e.points.end(), {pt(g2, va), pt(g2, vb)});
      } else {  // across the layers between, at the v nearest both ends that misses their cards
        std::vector<float> lo, hi;
        for (size_t c = 0; c < n; ++c)
          if (L.layer[c] > da && L.layer[c] < db) lo.push_back(v0(out.cards[c])), hi.push_back(v1(out.cards[c]));
        std::vector<float> tries = {va, vb};
        for (size_t c = 0; c < lo.size(); ++c) tries.push_back(lo[c] - gv * 0.5f), tries.push_back(hi[c] + gv * 0.5f);
        // v is free when it is in no open interval (lo - 2, hi + 2): when as many intervals
        // end at or before it as begin before it. Sorted ends make that O(log n) a try (a
        // graph of 512 nodes has edges that skip 170 layers).
        for (size_t c = 0; c < lo.size(); ++c) lo[c] -= 2, hi[c] += 2;
        sort_floats(lo);
        sort_floats(hi);
        float pass = 0, best = 1e30f;
        for (float v : tries) {
          float cost = std::abs(v - va) + std::abs(v - vb);
          if (cost < best && std::lower_bound(lo.begin(), lo.end(), v) - lo.begin() ==
                                 std::upper_bound(hi.begin(), hi.end(), v) - hi.begin())
            best = cost, pass = v;
        }
        e.points.insert(e.points.end(), {pt(g1, va), pt(g1, pass), pt(g2, pass), pt(g2, vb)});
      }
      e.points.push_back(pt(u0(b), vb));
      out.edges.push_back(std::move(e));
    }
  }
}

}  // namespace

MatrixSummary& summary(const AppState& s, int id, bool grad) {
  const ViewState& v = s.view;
  const size_t n = s.graph.nodes.size();
  const float font = compact_height() ? -ImGui::GetFontSize() : ImGui::GetFontSize();  // compact prints fewer digits
  if (v.summary_revision != s.revision || v.summaries.size() != 2 * n || v.summary_font != font) {
    v.summaries.assign(2 * n, {});
    for (size_t i = 0; i < 2 * n; ++i) {
      const Matrix& m = i % 2 ? s.graph.nodes[i / 2].grad : s.graph.nodes[i / 2].value;
      MatrixSummary& out = v.summaries[i];
      out.largest = largest_entry(m, &out.finite);
      if (m.rows() <= kMaxPrinted && m.cols() <= kMaxPrinted)
        for (Eigen::Index k = 0; k < m.size(); ++k)
          out.text_w = std::max(out.text_w, ImGui::CalcTextSize(cell_text(m.data()[k]).c_str()).x);
    }
    v.summary_revision = s.revision;
    v.summary_font = font;
  }
  return v.summaries[2 * size_t(id) + (grad ? 1 : 0)];
}

bool non_finite(const AppState& s, const Graph& g, int id) {
  if (&g == &s.graph) return !summary(s, id, false).finite || !summary(s, id, true).finite;
  return !g.node(id).value.allFinite() || !g.node(id).grad.allFinite();
}

float legible_zoom() { return 12.f / ImGui::GetFontSize(); }

float fit_margin() { return compact_height() ? 4.f : 12.f; }

// The order of the cards, layer by layer, chosen so that edges cross less (a barycentre
// rule): an op sits by the mean place of the ops it reads; an input or constant by its first
// user, in that user's argument order (the neuron's x1 and w1 feed mul_1 and sit together,
// then x2 and w2). A place is a rank within the layer over its size, so 0 to 1.
std::vector<int> card_order(const Graph& g, const std::vector<int>& by_depth) {
  const size_t n = g.nodes.size();
  std::vector<int> user(n, -1), arg(n, 0);
  for (size_t j = 0; j < n; ++j)
    for (int k = 0; k < g.nodes[j].arity(); ++k) {
      const size_t i = size_t(g.nodes[j].inputs[k]);
      if (user[i] < 0) user[i] = int(j), arg[i] = k;
    }
  // The cards sorted by (layer, key, node), with the C library's qsort (as sort_floats).
  struct Keyed {
    int layer;
    float key;
    int id;
  };
  auto sort = [](Keyed* from, Keyed* to) {
    std::qsort(from, size_t(to - from), sizeof(Keyed), [](const void* x, const void* y) {
      const Keyed &a = *static_cast<const Keyed*>(x), &b = *static_cast<const Keyed*>(y);
      return a.layer != b.layer ? a.layer - b.layer : a.key < b.key ? -1 : a.key > b.key ? 1 : a.id - b.id;
    });
  };
  std::vector<Keyed> ops;
  for (size_t i = 0; i < n; ++i)
    if (g.nodes[i].kind == NodeKind::Op) ops.push_back({by_depth[i], 0, int(i)});
  sort(ops.data(), ops.data() + ops.size());
  std::vector<float> place(n, 0);
  for (size_t from = 0, to; from < ops.size(); from = to) {  // a layer of ops after another
    for (to = from; to < ops.size() && ops[to].layer == ops[from].layer;) ++to;
    for (size_t r = from; r < to; ++r) {
      const Node& node = g.nodes[size_t(ops[r].id)];
      float sum = 0;
      int count = 0;
      for (int k = 0; k < node.arity(); ++k)
        if (g.nodes[size_t(node.inputs[k])].kind == NodeKind::Op) sum += place[size_t(node.inputs[k])], ++count;
      ops[r].key = count ? sum / float(count) : float(r - from) / float(to - from);
    }
    sort(ops.data() + from, ops.data() + to);
    for (size_t r = from; r < to; ++r) place[size_t(ops[r].id)] = float(r - from) / float(to - from);
  }
  std::vector<Keyed> all;
  for (size_t i = 0; i < n; ++i)
    all.push_back({by_depth[i],
                   g.nodes[i].kind == NodeKind::Op ? place[i]
                   : user[i] < 0                   ? 2.f
                                                   : place[size_t(user[i])] + 1e-3f * float(arg[i]),
                   int(i)});
  sort(all.data(), all.data() + all.size());
  std::vector<int> order;
  for (const Keyed& k : all) order.push_back(k.id);
  return order;
}

GraphLayout layout_graph(const AppState& s, Arrangement a, bool route) {
  const Graph& g = s.graph;
  const size_t n = g.nodes.size();
  GraphLayout out;
  out.arrangement = a;
  if (n == 0) return out;
  // A layer holds at most `stack` cards; more start a new layer beside it.
  const std::vector<int> by_depth = depths(g);
  const std::vector<int> order = card_order(g, by_depth);  // by depth, then down each layer
  std::vector<int> depth(n, 0);
  int layers = 0;
  for (size_t k = 0, filled = 0; k < n; ++k) {
    const size_t i = size_t(order[k]);
    if (k == 0 || by_depth[i] != by_depth[size_t(order[k - 1])]) filled = 0;
    if (filled == 0 || (a.stack > 0 && filled == size_t(a.stack))) ++layers, filled = 0;
    depth[i] = layers - 1;
    ++filled;
  }
  out.cards.resize(n);
  for (size_t i = 0; i < n; ++i) out.cards[i] = card_size(s, int(i), a.side);
  // Per layer: its extent along the layer (stacked cards) and across it (the widest card).
  std::vector<float> along(size_t(layers), 0), across(size_t(layers), 0);
  for (size_t i = 0; i < n; ++i) {
    const CardLayout& c = out.cards[i];
    size_t d = size_t(depth[i]);
    along[d] += (a.vertical ? c.w + gap_x() : c.h + gap_y());
    across[d] = std::max(across[d], a.vertical ? c.h : c.w);
  }
  // Bands: consecutive layers, each band about 1/bands of the total length.
  float total = 0;
  for (float w : across) total += w + (a.vertical ? gap_y() : gap_x());
  const int bands = std::clamp(a.bands, 1, layers);
  std::vector<int> band(size_t(layers), 0);
  float before = 0;  // the length of the layers before d
  for (int d = 0, b = 0; d < layers; ++d) {
    while (b + 1 < bands && before + across[size_t(d)] / 2 > total * float(b + 1) / float(bands)) ++b;
    band[size_t(d)] = b;
    before += across[size_t(d)] + (a.vertical ? gap_y() : gap_x());
  }
  // Position of each layer within its band, and each band's thickness. With rows, the
  // first layer starts a gap in: edges that skip a row go around it there.
  bool around = false;  // does an edge skip a row?
  for (size_t i = 0; i < n; ++i)
    for (int k = 0; k < g.nodes[i].arity(); ++k)
      around |= band[size_t(depth[i])] > band[size_t(depth[size_t(g.nodes[i].inputs[k])])] + 1;
  const float lead = around ? 0.4f * (a.vertical ? gap_y() : gap_x()) : 0;
  std::vector<float> start(size_t(layers), 0), thick(size_t(bands), 0), length(size_t(bands), lead);
  for (int d = 0; d < layers; ++d) {
    int b = band[size_t(d)];
    start[size_t(d)] = length[size_t(b)];
    length[size_t(b)] += across[size_t(d)] + (a.vertical ? gap_y() : gap_x());
    thick[size_t(b)] = std::max(thick[size_t(b)], along[size_t(d)]);
  }
  std::vector<float> band_at(size_t(bands), 0);
  for (int b = 1; b < bands; ++b) band_at[size_t(b)] = band_at[size_t(b - 1)] + thick[size_t(b - 1)] + gap_band();
  std::vector<float> cursor(size_t(layers), 0);
  for (int d = 0; d < layers; ++d) {
    int b = band[size_t(d)];
    cursor[size_t(d)] = band_at[size_t(b)] + (thick[size_t(b)] - along[size_t(d)]) / 2;
  }
  for (const int id : order) {
    CardLayout& c = out.cards[size_t(id)];
    size_t d = size_t(depth[size_t(id)]);
    if (a.vertical) {
      c.x = cursor[d];
      c.y = start[d] + (across[d] - c.h) / 2;
      cursor[d] += c.w + gap_x();
    } else {
      c.x = start[d] + (across[d] - c.w) / 2;
      c.y = cursor[d];
      cursor[d] += c.h + gap_y();
    }
    out.w = std::max(out.w, c.x + c.w);
    out.h = std::max(out.h, c.y + c.h);
  }
  if (route)
    route_edges(g, out, {std::move(depth), std::move(band), std::move(start), std::move(across), std::move(band_at),
                         std::move(thick), order});
  return out;
}

Fit best_fit(const AppState& s, float vw, float vh) {
  Fit best;
  float best_score = -1;
  // Columns left to right read most naturally: the others must win clearly.
  const Arrangement tries[] = {{false, false, 1}, {false, false, 2}, {false, false, 3}, {true, false, 1},
                               {false, true, 1},  {false, true, 2},  {true, true, 1},   {false, false, 2, 1},
                               {false, false, 3, 1}, {false, false, 4, 1}, {true, false, 1, 1}, {true, false, 2, 1},
                               {false, true, 3, 1},  {false, true, 4, 1}};
  const float preference[] = {1.f, 0.9f, 0.8f, 0.85f, 0.88f, 0.8f, 0.75f, 0.8f, 0.78f, 0.75f, 0.75f, 0.7f, 0.7f, 0.7f};
  for (size_t k = 0; k < std::size(tries); ++k) {
    if (tries[k].side && !s.show_gradients) continue;
    GraphLayout l = layout_graph(s, tries[k], false);  // the extent is all a fit needs
    // A short embed keeps a little more room above and below: no card touches the edge.
    const float m = fit_margin(), mv = compact_height() ? 2 * m : m;
    float z = std::min({(vw - 2 * m) / std::max(l.w, 1.f), (vh - 2 * mv) / std::max(l.h, 1.f), kMaxFitZoom});
    float score = std::min(z, legible_zoom() * 1.25f) * preference[k] + z * 0.01f;
    if (score > best_score) best_score = score, best = {tries[k], z};
  }
  return best;
}

}  // namespace gs::ui
