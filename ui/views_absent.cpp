// The browser build's stand-ins for the Views tab (ui/views_panel.cpp, ui/views_landscape.cpp):
// gradscope.wasm has no room for it yet within its size targets (bench/RESULTS.md), so the
// page shows no Views tab, no card has a tangent row, and layout() reports no view rectangles.
#include "core/json.h"
#include "ui/views.h"

namespace gs::ui {

bool views_tab_available() { return false; }

void views_tab(AppState&) {}

void views_layout_json(const AppState&, JsonWriter& w) { w.begin_object().end_object(); }

float tangent_row_height(const AppState&, int, const CardLayout&) { return 0; }

void draw_tangent_row(const AppState&, int, const CardLayout&, ImVec2, float, ImDrawList*) {}

}  // namespace gs::ui
