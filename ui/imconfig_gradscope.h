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
// download): its report gives the file and line, which lead to the same text.
#define IM_ASSERT(_EXPR) ((_EXPR) ? (void)0 : gs_imgui_check_failed("", __FILE__, __LINE__))
// No files in the browser (the font arrives in memory; settings are not saved to disk).
#define IMGUI_DISABLE_FILE_FUNCTIONS
#else
#define IM_ASSERT(_EXPR) ((_EXPR) ? (void)0 : gs_imgui_check_failed(#_EXPR, __FILE__, __LINE__))
#endif
