// The front end's entry points, called by native/main.cpp and web/main.cpp around their
// own event loops: init once, frame() between ImGui::NewFrame() and ImGui::Render().
#pragma once

#include <imgui.h>

#include <functional>
#include <string>
#include <vector>

#include "ui/state.h"

namespace gs::ui {

// What only the platform can do. Empty functions hide the matching menu items.
struct Platform {
  // Write the program text to `path` / read it; return "" or the reason it failed.
  std::function<std::string(const std::string& path, const std::string& text)> save;
  std::function<std::string(const std::string& path, std::string& text)> open;
  std::string default_dir;
};

struct InitOptions {
  float scale = 1.0f;              // high-DPI scale of sizes (desktop: dpi / 96)
  float pixel_ratio = 1.0f;        // browser devicePixelRatio: fonts rasterized this much finer
  std::string font_path;           // a TTF; empty uses ImGui's built-in font
  const void* font_data = nullptr; // or a TTF in memory (not copied; must outlive ImGui)
  int font_data_size = 0;
};

// Sets up style and fonts, and loads the seed example if no program was set.
void init(AppState& s, const InitOptions& opt);
// Builds one frame: menu, editor, inputs, graph, side panels, status bar.
void frame(AppState& s, Platform& p);
// The colour the platform clears the screen to before drawing a frame: the window background,
// or the graph canvas's when the canvas covers most of the screen (ui/app.cpp).
ImVec4 clear_color(const AppState& s);
// Every string the last rendered frame drew (after ImGui::Render), one per run of text:
// the test hook behind drawnText() (ui/drawn_text.cpp).
std::vector<std::string> drawn_text();
struct DrawnString {
  std::string text;
  float x = 0, y = 0, w = 0, h = 0;  // its box, in ImGui's (window) coordinates
  unsigned col = 0;                  // its first glyph's colour (ImU32)
};
// `by_colour` (the SVG's runs): a run also ends where the colour changes (cells side by side,
// light and dark) and at a gap wider than two spaces (between cells).
std::vector<DrawnString> drawn_strings(bool by_colour = false);

}  // namespace gs::ui
