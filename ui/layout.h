// The window's body around the graph: side panels that collapse (by choice, or when the
// graph would not read well beside them) and resize with splitters; on a phone, the graph
// over a bottom sheet; in a short embed, a compact mode. Also the small text helpers that
// keep panel text inside narrow panels.
#pragma once

#include <imgui.h>

#include <string>

#include "ui/state.h"

namespace gs::ui {

struct BodyParts {
  void (*left)(AppState&);       // the program editor and the inputs
  void (*side_tabs)(AppState&);  // the side panel's tab items (each side_tab .. end_side_tab)
  void (*center)(AppState&);     // the step bar and the graph
};
// One of the side panel's tabs, used as ImGui's BeginTabItem (an EndTabItem-like
// end_side_tab() after a true one): on a phone the tabs are a grid of buttons that show
// every label whole.
bool side_tab(AppState& s, const char* label, ImGuiTabItemFlags flags = 0);
void end_side_tab(AppState& s);

// Lays out and draws the body in the current window's remaining region, leaving
// `below` pixels free at the bottom (the status line).
void body(AppState& s, const BodyParts& parts, float below);

// Where the last frame drew everything, as JSON, in pixels from the display's top left:
// {"graph": rect, "panels": {"left": rect, "side": rect, "sheet": rect}, "train": rect,
// "stale_banner": rect, "cards": {name: rect}, "zoom", "arrangement", "compact", "fold": [left, side] (the user's
// choice: 0 automatic, 1 open, 2 folded), "hover": {node, grad, row, col, text} or null},
// where rect is {"x", "y", "width", "height", "visible"}.
std::string layout_json(const AppState& s);

// The panel choices a desktop keeps between runs (the browser keeps layout()'s "fold" in
// localStorage): the text of a small settings file, "fold LEFT SIDE\n" with 0 automatic,
// 1 open, 2 folded. Reading ignores what it does not understand.
std::string panel_settings(const AppState& s);
void apply_panel_settings(AppState& s, const std::string& text);

// Narrow (phone) screens: touch-sized controls (at least 40 px). Returns how many style
// variables to pop at the end of the frame.
int push_touch_style();
// Below about 480 px of height (a short embed): no legend in the graph, no status line,
// side panels folded to toggles.
bool compact_height();
// Narrower than 600 px (a phone): the graph over the whole width, a bottom sheet, touch-sized
// controls; the page's own buttons (web/embed.js, index.html) are 40 px high too.
bool phone_width();
// The height the page's buttons take at the bottom on a phone: 40 px, 4 from the bottom, and 4 of air.
constexpr float kHostButtonsH = 48;

// `text` after the last item on the same line if it fits, else on lines of its own (wrapped).
void text_after(const char* text);
// A bullet whose text wraps at the window's edge.
void bullet_wrapped(const char* text);
// Column k of n equal columns on the current line (k = 0 starts a line): a table without
// ImGui's tables (about 20 KB of WebAssembly).
void column(int k, int n);
// `text` on a coloured background, like a table cell's.
void colored_label(const char* text, ImU32 bg, ImU32 fg);
// A matrix as a grid of heatmap cells with their numbers.
void matrix_grid(const Matrix& m, bool dark);
// Read-only text (exported code) in a box of the given height, its lines whole: a line wider
// than the box scrolls sideways (wrapped, code broke mid-token in the proportional font).
void code_box(const char* id, const std::string& text, float height);
// The program editor's frame: wide and tall enough for every line of `text`, inside a child
// that scrolls both ways. Returns the size to give InputTextMultiline; end with EndChild().
ImVec2 begin_editor_box(const std::string& text, float height);

}  // namespace gs::ui
