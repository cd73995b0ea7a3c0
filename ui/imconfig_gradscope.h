// Dear ImGui configuration for gradscope (IMGUI_USER_CONFIG). ImGui's own checks stay on in
// release builds, but a failed one is reported and counted instead of aborting: misuse is
// a bug to fix, never a crash for a student. Tests assert the count stays 0.
#pragma once

void gs_imgui_check_failed(const char* expr, const char* file, int line);
int gs_imgui_check_failures();

// Nothing opens ImGui's metrics window or its stack tool, yet NewFrame() and every PushID()
// call into their hooks (1.4 KB of the browser build).
#define IMGUI_DISABLE_METRICS_WINDOW

#ifdef __EMSCRIPTEN__
// The browser build keeps every check but not the text of each one (about 25 KB of the
// download): its report gives the file and line, which lead to the same text. Each check
// passes one number, the file's index in gs_imgui_files times 100000 plus the line, worked
// out by the compiler (2 KB less than passing the file name and the line).
inline constexpr const char* gs_imgui_files[] = {"(another file)", "imgui.cpp", "imgui_draw.cpp",
  "imgui_widgets.cpp", "imgui_tables.cpp", "imgui_impl_opengl3.cpp", "imgui.h", "imgui_internal.h",
  "imstb_textedit.h", "imstb_truetype.h", "imstb_rectpack.h"};
consteval int gs_imgui_where(const char* file, int line) {
  const char* name = file;
  for (const char* p = file; *p; ++p)
    if (*p == '/' || *p == '\\') name = p + 1;
  for (int i = 1; i < int(sizeof gs_imgui_files / sizeof gs_imgui_files[0]); ++i) {
    const char *a = name, *b = gs_imgui_files[i];
    while (*a && *a == *b) ++a, ++b;
    if (!*a && !*b) return i * 100000 + line;
  }
  return line;
}
void gs_imgui_check_failed_at(int where);
// The browser build's copies of ImGui call this sscanf (ui/imgui_checks.cpp, CMakeLists.txt).
int gs_sscanf(const char* s, const char* format, ...);
#define IM_ASSERT(_EXPR) ((_EXPR) ? (void)0 : gs_imgui_check_failed_at(gs_imgui_where(__FILE__, __LINE__)))
// No files in the browser (the font arrives in memory; settings are not saved to disk).
#define IMGUI_DISABLE_FILE_FUNCTIONS
// 32-bit indices: WebGL has no glDrawElementsBaseVertex, so ImGui cannot split a draw list
// past 64K vertices (ImDrawCmd::VtxOffset), and a large matrix's cells (4 vertices each)
// wrapped around to garbage, leaving later cards undrawn. WebGL 2 draws UNSIGNED_INT indices.
#define ImDrawIdx unsigned int
#else
#define IM_ASSERT(_EXPR) ((_EXPR) ? (void)0 : gs_imgui_check_failed(#_EXPR, __FILE__, __LINE__))
#endif
