// The browser build's font atlas, drawn by the page's canvas (web/font.cpp).
#pragma once

struct ImFontBuilderIO;

namespace gs::web {

// ImFontAtlas::FontBuilderIO for the browser build: web/main.cpp sets it before the font is added.
const ImFontBuilderIO* page_font_builder();
// The font's em over ImGui's font size (ascender to descender), once built: for SVG's font-size.
float page_font_em_per_height();

}  // namespace gs::web
