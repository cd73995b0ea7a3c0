// What the graph view and the panel layout remember between frames: pan, zoom, the entry
// being dragged or typed, the hovered cell, panel sizes, and where everything was drawn
// (for the layout API). One per AppState: two instances share nothing.
#pragma once

#include <string>
#include <vector>

#include "core/cell_story.h"

namespace gs::ui {

struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
  bool contains(float px, float py) const { return px >= x && py >= y && px < x + w && py < y + h; }
};

using gs::CellRef;  // a matrix cell on the graph (core/cell_story.h)

// The side panels' names, in the layout API's order.
enum Panel { kPanelLeft, kPanelSide, kPanelSheet, kPanelCount };
extern const char* const kLayoutPanelNames[kPanelCount];  // (gs::kPanelNames names the panels a page may hide)

// A side panel is open or collapsed by the user's choice, or (Auto) by whether the graph
// still reads well beside it.
enum class Fold { Auto, Open, Closed };

// What drawing reads from every entry of one matrix, worked out once per change of values
// (see summary() in ui/graph_parts.h) rather than in every frame.
struct MatrixSummary {
  double largest = 0;  // the largest finite |entry|: the matrix's colour scale
  float text_w = 0;    // the widest printed number (matrices small enough to print)
  bool finite = true;
  // A matrix too large to show cell by cell, as blocks of step x step entries, each the
  // entry of largest magnitude in it: a heatmap image kept until the values or zoom change.
  long step = 0, cols = 0;
  std::vector<double> blocks;  // row-major, `cols` blocks a row
};

struct ViewState {
  float zoom = 1.0f, pan_x = 0, pan_y = 0;
  // The arrangement chosen by the last fit (see Arrangement in ui/graph_view.h).
  bool vertical = false, side = false;
  int bands = 1, stack = 0;
  bool edge_grads = false;            // edges drawn as thick as the gradient they carry
  bool shared_scale = false;          // one colour scale for all values (and one for gradients)
  unsigned long long edge_revision = ~0ull;
  std::vector<float> edge_mag;        // per node and input slot: the gradient's RMS along the edge
  // Dragging an input entry (node -1: none) and the "type a value" popup.
  CellRef drag;
  double drag_start_value = 0;
  float drag_start_x = 0;
  CellRef edit;
  char edit_text[64] = "";
  CellRef hovered;                    // node -1: no cell under the pointer
  CellRef story_cell;                 // the last cell hovered: the Inspector tells its story too
  std::string hover_text;             // the hovered cell's story, as the tooltip shows it
  std::vector<CellRef> highlight;     // the cells the hovered cell's story reads

  // Panels: the user's choice, the fit's automatic choice, widths set by the splitters (0:
  // default), and whether the phone layout's bottom sheet is open.
  Fold fold[2] = {Fold::Auto, Fold::Auto};
  bool auto_closed[2] = {false, false};
  float panel_w[2] = {0, 0};
  bool sheet_open = false;
  // The phone's side tabs, a grid of whole labels (ui/layout.cpp's side_tab): the pass over
  // the tabs (-1: ImGui's tab bar; 0: naming them; 1: drawing the chosen one), their names
  // this frame, and the chosen one.
  int tab_pass = -1;
  std::vector<std::string> tab_names;
  std::string tab;
  bool compact = false;               // a short embed: legend outside the graph, panels as toggles
  float last_w = 0, last_h = 0;       // the display size of the last fit: a new size fits again
  // What the last fit chose: while the user has not panned or zoomed since, cards that grow
  // past that extent (longer numbers after training or a drag) fit again.
  float fit_w = 0, fit_h = 0, fit_zoom = 0, fit_pan_x = 0, fit_pan_y = 0;
  float fit_legend_h = 0;  // the legend's height then (step-through's can take two lines)

  // Where the last frame drew things, in CSS pixels from the canvas's top left.
  Rect graph;                         // the graph canvas
  // This frame's canvas covers more than half the screen: the screen is cleared to the canvas's
  // colour and the window background is drawn around it (clear_color()); otherwise the other way.
  bool canvas_cleared = false;
  Rect panels[kPanelCount];           // w = 0 when hidden
  bool panel_visible[kPanelCount] = {};
  std::vector<Rect> cards;            // per node

  // Per revision of the values: each node's value and gradient summaries (2 per node). A
  // cache, so the layout (which only reads the state) may fill it.
  mutable unsigned long long summary_revision = ~0ull;
  mutable float summary_font = 0;     // the font size they were measured in (negative: compact)
  mutable std::vector<MatrixSummary> summaries;
};

}  // namespace gs::ui
