// The computation graph canvas: node cards with value and gradient heatmaps, edges,
// pan and zoom, and dragging input entries.
#pragma once

#include <imgui.h>

#include "ui/state.h"

namespace gs::ui {

// Draws the graph in the current window's remaining content region.
void graph_view(AppState& s);

// Card geometry in graph units (zoom 1), for layout and tests.
struct CardLayout {
  float x = 0, y = 0, w = 0, h = 0;
  float value_y = 0, grad_y = 0;   // top of the value and gradient matrices, relative to y
  float cell_w = 0, cell_h = 0;    // one matrix cell
  bool numbers = true;             // false: heatmap only (large matrices)
};
std::vector<CardLayout> layout_graph(const AppState& s);

}  // namespace gs::ui
