// Pictures of the graph for slides and lecture notes: the graph canvas drawn by the app's
// own drawing code (ui/graph_view.cpp) in a headless ImGui context of its own, then written
// as SVG (shapes as paths, every string as <text>) or PNG (ImGui's triangles rasterized in
// software). No window or display is needed. Desktop and command line only, but for the SVG
// writer: the browser's svg() writes the graph viewport of the frame it drew (web/api.cpp).
//
// Contents: PictureOptions | render_picture (SVG or PNG of a program) | the two writers.
#pragma once

#include <imgui.h>

#include <string>

namespace gs::ui {

struct PictureOptions {
  bool gradients = true;   // false: values only, as the app's "gradients" checkbox
  bool dark = false;       // the dark theme's colours
  std::string caption;     // a node's name: it is drawn selected, with its chain rule below the graph
  float scale = 1;         // pixels per CSS pixel (2: for a projector), fonts rasterized at that size
  std::string font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";  // the desktop app's font
  float margin = 16;       // around the graph, in CSS pixels
};

enum class PictureFormat { Svg, Png };

struct Picture {
  std::string error;  // "" or why there is no picture (the program, --caption, the font)
  std::string bytes;  // the SVG text or the PNG file
  int width = 0, height = 0;  // in pixels
};

// The graph of `program` (its text, inputs as written) as the app draws it at zoom `scale`:
// node cards with names, values and gradients, edges, the theme's colours. The picture is as
// large as the graph plus the margin (and the caption), so a larger graph gives a larger picture.
Picture render_picture(const std::string& program, const PictureOptions& opt, PictureFormat format);

// --- the writers (ui/render_svg.cpp, ui/render_png.cpp), over the current context's draw data
// The SVG's font: the app's own (DejaVu Sans, on the desktop and as the page's FontFace) first.
inline constexpr const char* kSvgFontFamily = "DejaVu Sans, Verdana, sans-serif";
// An SVG of the w x h pixels from (x, y): runs of solid triangles as <path>s (glyphs left out),
// then every string drawn_strings() reads back as a <text> in the font's colour; what lies
// wholly outside is left out. Expects shapes drawn without anti-aliasing (an SVG viewer
// smooths them itself). `em_per_height` converts ImGui's font size (ascender to descender) to
// the em that SVG's font-size means. A `background` colour (not 0) fills the picture first.
std::string draw_data_svg(const ImDrawData& data, float x, float y, int w, int h, const char* font_family,
                          float em_per_height, ImU32 background = 0);
// The draw data rasterized (vertex colours times the font atlas, alpha-blended, clipped) into
// w x h RGBA pixels, then encoded as a PNG file.
std::string draw_data_png(const ImDrawData& data, int w, int h);

}  // namespace gs::ui
