// What the graph's layout and its drawing both need to agree on: which matrices print
// their numbers, and the text of a cell and of a card's two header lines.
#pragma once

#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>

#include "ui/layout.h"
#include "ui/state.h"

namespace gs::ui {

constexpr int kMaxPrinted = 8;  // larger matrices draw as heatmaps, numbers only when zoomed in

// A cell's number: 3 significant digits, 2 in a short embed's compact mode (narrower cells).
inline std::string cell_text(double v) { return format_short(v, compact_height() ? 2 : 3); }

// Card metrics in graph units, from the font size: padding, a header line, a matrix label.
constexpr float kCardPad = 6;
inline float line_height() { return ImGui::GetFontSize() + 2; }
inline float label_height() { return ImGui::GetFontSize() * 0.9f + 3; }

// The largest finite |entry| (0 for none): what a matrix's colours are scaled by; `finite`
// (if given) tells whether every entry is finite. One pass: a 2048 x 2048 matrix takes it in
// every change.
inline double largest_entry(const Matrix& m, bool* finite = nullptr) {
  double scale = 0;
  bool all = true;
  const double* p = m.data();
  for (Eigen::Index i = 0, n = m.size(); i < n; ++i) {
    const double a = std::fabs(p[i]);
    if (!(a <= DBL_MAX)) all = false;  // inf or nan
    else if (a > scale) scale = a;
  }
  if (finite) *finite = all;
  return scale;
}

// Node id's value (or gradient) summary in s.graph, recomputed when s.revision moves on.
MatrixSummary& summary(const AppState& s, int id, bool grad);
// Whether node id of g (s.graph, or the step-through's view of it) holds a non-finite number.
bool non_finite(const AppState& s, const Graph& g, int id);

// "W" for inputs and constants, "Z = W @ x" for ops.
std::string card_title(const Node& n);
// "matmul  (3, 1)  output", with "locked" and "non-finite!" when they apply.
std::string card_subtitle(const Graph& g, const AppState& s, int id);

}  // namespace gs::ui
