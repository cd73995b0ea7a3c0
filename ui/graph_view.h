// The computation graph canvas: node cards with value and gradient heatmaps, edges,
// pan and zoom, dragging input entries, and the chain rule of the hovered cell.
#pragma once

#include <imgui.h>

#include <vector>

#include "ui/state.h"

namespace gs::ui {

// Draws the graph in the current window's remaining content region.
void graph_view(AppState& s);

// --- layout (ui/graph_layout.cpp) ------------------------------------------------------
// Card geometry in graph units (zoom 1).
struct CardLayout {
  float x = 0, y = 0, w = 0, h = 0;
  float value_x = 0, value_y = 0;  // top left of the value matrix, relative to (x, y)
  float grad_x = 0, grad_y = 0;    // and of the gradient matrix
  float grad_label_x = 0;          // where its label ("df/dW") starts: over it, inside the card
  float cell_w = 0, grad_cell_w = 0, cell_h = 0;  // one cell: wide enough for its numbers
  float tangent_cell_w = 0;        // forward mode's tangent row, when the card has one
  float sub_y = 0;                 // the second header line ("value  input (2, 4)")
  bool value_label_in_sub = false; // "value" opens the second line (else it has its own)
  bool subtitle = true;            // the second line names the op and the shape
  bool numbers = true;             // false: heatmap only (large matrices)
};

// How the layers are arranged: columns by depth (left to right), wrapped into `bands`
// rows, or rows by depth (top to bottom); a card's gradient sits below its value, or
// beside it (`side`: shorter cards for short embeds); a layer's cards may be spread out
// one per layer (`stack` 1), so wrapped rows stay short.
struct Arrangement {
  bool vertical = false;
  bool side = false;
  int bands = 1;
  int stack = 0;  // > 0: at most this many cards in a layer, the rest in a new layer beside it
};

// An edge from an input card to its user, as an orthogonal path in graph units: out of
// the input's far side, along the free gaps between layers (and between the cards of a
// layer it passes, or between wrapped rows), into the user's near side. It never crosses a
// card it does not connect.
struct EdgeRoute {
  int from = 0, to = 0, slot = 0;  // the user's input slot
  std::vector<ImVec2> points;
};

struct GraphLayout {
  std::vector<CardLayout> cards;  // per node
  std::vector<EdgeRoute> edges;
  float w = 0, h = 0;             // the extent of all cards
  Arrangement arrangement;
};

// Without `route`, no edges: the cards' places and the extent only.
GraphLayout layout_graph(const AppState& s, Arrangement a, bool route = true);
// The arrangement that shows the whole graph largest in a vw x vh canvas, and that zoom.
struct Fit {
  Arrangement arrangement;
  float zoom = 1;
};
Fit best_fit(const AppState& s, float vw, float vh);
// The zoom at which cell text reaches 12 CSS px: a fit below it is not "readable".
float legible_zoom();
// The margin kept around a fitted graph, in pixels (less in a short embed).
float fit_margin();

}  // namespace gs::ui
