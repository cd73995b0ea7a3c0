// Colours: the diverging heatmap scale (colour-blind-safe purple-white-orange, from
// ColorBrewer's PuOr) and the light and dark themes.
#pragma once

#include <imgui.h>

namespace gs::ui {

struct Palette {
  ImU32 canvas_bg, grid, card_bg, card_border, card_selected, text, text_dim, edge;
  ImU32 current, reads, partial, error, ok;
  ImU32 flow;   // edges drawn by the gradient they carry
  ImU32 story;  // the cells the hovered cell's chain rule reads
};

const Palette& palette(bool dark);
// v in [-1, 1] (already divided by the matrix's largest |entry|) -> heatmap colour.
ImU32 heat_color(double t, bool dark);
// Black or white, whichever reads better on `bg`.
ImU32 text_on(ImU32 bg);
void apply_theme(bool dark);

}  // namespace gs::ui
