// The IM_ASSERT handler from ui/imconfig_gradscope.h: report each failing check once.
#include <cstdio>
#include <set>
#include <string>

namespace {
int g_failures = 0;
}

void gs_imgui_check_failed(const char* expr, const char* file, int line) {
  static std::set<std::string> reported;
  ++g_failures;
  std::string where = std::string(file) + ":" + std::to_string(line);
  if (reported.insert(where).second)
    std::fprintf(stderr, "gradscope: ImGui check failed at %s%s%s\n", where.c_str(), *expr ? ": " : "", expr);
}

int gs_imgui_check_failures() { return g_failures; }
