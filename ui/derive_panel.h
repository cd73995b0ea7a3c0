// Derive mode in the app: the Derive tab (each claim of the program's backward section with
// its verdict), the third row of a claimed node's card (the student's numbers over a
// per-entry error heatmap), and the state hooks that keep the verdicts current.
#pragma once

#include <imgui.h>

#include "ui/graph_view.h"
#include "ui/state.h"
#include "ui/theme.h"

namespace gs::ui {

// Re-checks the backward section against the current graph (after a compile or new values).
void refresh_derivation(AppState& s);
// True when "#! hide: grads" asks to keep autodiff's gradients hidden and a claim is not
// right yet: the tool must not hand out the answer it is checking.
bool derivation_hides_gradients(const AppState& s);
// Whether the Derive tab has something to show (a backward section, or an error in it).
bool derive_tab_visible(const AppState& s);
// BeginTabItem("Derive") when visible, selected the first time a section appears.
bool derive_tab(AppState& s);
void derive_panel(AppState& s);

// The card's third row, in graph units: 0 for a node without a claim. Its width: the card
// is at least as wide (its label never spills into a neighbour).
float claim_row_height(const AppState& s, int node, const CardLayout& c);
float claim_row_width(const AppState& s, int node);
// Its heatmap: an entry that agrees with autodiff (entry_agrees) in the agreeing green, one that
// does not towards the error colour as its error nears `largest`, the claim's largest error
// among the entries that do not agree (claim_largest_error).
double claim_largest_error(const Claim& claim);
ImU32 claim_entry_color(const Palette& pal, const Claim& claim, Eigen::Index r, Eigen::Index c, double largest);
// Draws it at the bottom of the card; `origin` is where graph point (0, 0) is on screen.
void draw_claim_row(const AppState& s, int node, const CardLayout& c, ImVec2 origin, float zoom, ImDrawList* dl);

}  // namespace gs::ui
