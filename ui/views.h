// The Views tab: beyond one reverse sweep. The Jacobian of a step against the VJP backward
// computes, forward mode's tangents (a third row on every card), the gradient-flow strip and
// the loss landscape. Each view reads the graph and writes only input values back.
//
// Contents: ViewsState (kept in AppState) | the tab and its views | the card's tangent row |
// helpers shared by the view files.
#pragma once

#include <imgui.h>

#include <string>
#include <utility>
#include <vector>

#include "core/graph.h"
#include "core/jacobian.h"
#include "core/landscape.h"

namespace gs {
class JsonWriter;
}

namespace gs::ui {

struct AppState;
struct CardLayout;

// A rectangle on screen (ImGui's window coordinates) as the last frame drew it.
struct ViewRect { float x = 0, y = 0, w = 0, h = 0; bool visible = false; };

enum class ViewMode { Jacobian, Forward, Flow, Landscape };
enum class Tangent { Entry, Random, Gradient };  // forward mode's direction v

struct ViewsState {
  ViewMode mode = ViewMode::Jacobian;
  // Jacobian: d(selected) / d(its input `slot`), or df / d(selected) with slot -1.
  int slot = 0;
  int chosen = 0;                  // the row or column shown when J is larger than 64 x 64
  Jacobian jac;                    // the last one built, for jac_key (revision, node, slot, chosen)
  std::vector<double> jac_key;     // (the numbers, as the landscape's key: one comparison for every key)
  std::string jac_error;
  // Forward mode: the direction, and every node's tangent along it (empty: not computed).
  bool forward = false;            // the cards show their tangent row
  Tangent tangent = Tangent::Entry;
  int input = -1, row = 0, col = 0;  // the input (and entry) the direction is built from
  unsigned seed = 1;               // the random direction's
  std::vector<Matrix> tangents;
  std::vector<std::pair<std::string, Matrix>> direction;
  std::vector<double> tangent_key;  // what the tangents were computed for
  std::string tangent_error;
  // Landscape: the grid, the values it was taken at (axis entries aside), and the path.
  LandscapeAxis ax, ay;
  Landscape land;
  bool has_land = false;
  // A view was just chosen: in a narrow panel (a phone's sheet) it scrolls the sheet past the
  // tab buttons and the view's choices to what it shows (bring_into_sight).
  bool scroll_to_view = false;
  std::vector<double> land_key;
  std::vector<std::pair<double, double>> path;
  size_t path_steps = 0;           // training.history.size() when the path last grew
  ImVec2 arrow_from, arrow_to;     // the gradient arrow as drawn (screen)
  // Where each view drew its picture this frame (layout()'s "views").
  ViewRect jacobian, forward_rect, flow, landscape;
};

// The Views tab (one tab, four views chosen inside it, so the tab strip does not grow).
void views_tab(AppState& s);
// True while an exercise or derive mode keeps gradients hidden: the views would give them away.
bool views_locked(const AppState& s);
// Writes {"jacobian": rect, "forward": rect, "flow": rect, "landscape": rect}, for layout().
void views_layout_json(const AppState& s, JsonWriter& w);

// Forward mode on the cards: the tangent row's height (graph units, 0 when off) and drawing.
float tangent_row_height(const AppState& s, int node, const CardLayout& c);
// Its cells' width: the widest tangent the row writes, and no narrower than the card's other
// cells (0 when the card has no tangent row).
float tangent_cell_width(const AppState& s, int node, const CardLayout& c);
void draw_tangent_row(const AppState& s, int node, const CardLayout& c, ImVec2 origin, float zoom, ImDrawList* dl);

// --- the view files (ui/views_*.cpp) ----------------------------------------------------
void jacobian_view(AppState& s);
void forward_view(AppState& s);
void flow_view(AppState& s);
void landscape_view(AppState& s);
// The `deep` example with every layer's activation `activation`, the side panel kept open.
void load_deep_example(AppState& s, const std::string& activation);
// Recomputes the tangents when the values or the direction changed.
void refresh_tangents(AppState& s);
// A radio button that wraps to the next line when the row is full (`first`: it starts the row).
bool wrapping_radio(const char* label, bool active, bool first);
// The panel is narrow (a phone's sheet): less than 24 lines of text wide from the cursor.
bool narrow_panel();
// In a narrow panel, scrolls it to the cursor once, when a view has just been chosen.
void bring_into_sight(ViewsState& v);

// Shared drawing: m as a grid of heatmap cells at `at` (cw x ch each), numbers in them when
// they fit (font_px: the text size, 0 for the panel's); returns the grid's size. Greyed wrapped text; an explanation paragraph.
ImVec2 heat_cells(ImDrawList* dl, ImVec2 at, float cw, float ch, const Matrix& m, bool dark, bool numbers,
                  float font_px = 0);
void dim_text(const char* text);
void record_rect(ViewRect& r, ImVec2 a, ImVec2 size);
// A combo over the graph's nodes of a kind (inputs only when `inputs`), as wide as their longest
// name; true when changed.
bool node_combo(const char* label, const AppState& s, int& node, bool inputs);
// Row and column pickers for an entry of node `node`, after the item before them on its line
// (or on the next line when they do not fit).
bool entry_picker(const AppState& s, int node, int& row, int& col);

}  // namespace gs::ui
