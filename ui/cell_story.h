// The chain rule of one matrix cell, in words and numbers: what the graph shows when a
// cell is hovered. Each op's record tells its story (core/cell_story.h); this shows it.
#pragma once

#include <string>
#include <vector>

#include "ui/state.h"

namespace gs::ui {

// "Z[1][0] = W[1][0]*x[0][0] + W[1][1]*x[1][0] + W[1][2]*x[2][0] = 1*1 + 3*0 + 1*-1 = 0"
// for a value; for a gradient, how each user of the node sends its share. `reads` receives
// the cells the story reads (to outline them). `g` is the graph shown (the step-through's
// view while stepping).
std::string cell_story(const AppState& s, const Graph& g, const CellRef& cell, std::vector<CellRef>& reads);

// The Inspector's section with the same story for the selected node's last hovered cell
// (its [0][0] until one is hovered).
void cell_story_section(const AppState& s, const Graph& g);

// Input k's share of the gradient from node `user`, on its own (the VJP applied to the
// user's gradient).
Matrix contribution(const Graph& g, int user, int k);

}  // namespace gs::ui
