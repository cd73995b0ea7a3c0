// The IM_ASSERT handler from ui/imconfig_gradscope.h: report each failing check once.
#include <algorithm>
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

#ifdef __EMSCRIPTEN__
#include <cctype>
#include <cstdarg>
#include <cstdlib>
#include <cstring>

#include "imgui.h"  // gs_imgui_files

void gs_imgui_check_failed_at(int where) { gs_imgui_check_failed("", gs_imgui_files[where / 100000], where % 100000); }

// sscanf for what ImGui 1.86 reads (4.5 KB less than the C library's): literal text, blanks,
// and %d %i %u %x %X %f %c %n with an optional width (%02X) and l/ll. The result is sscanf's:
// the number of values stored, or EOF if the text ended before the first.
int gs_sscanf(const char* s, const char* format, ...) {
  va_list args;
  va_start(args, format);
  const char* const start = s;
  int stored = 0;
  for (const char* f = format; *f; ++f) {
    if (std::isspace((unsigned char)*f)) {
      while (std::isspace((unsigned char)*s)) ++s;
      continue;
    }
    if (*f != '%' || *++f == '%') {
      if (*s != *f) break;
      ++s;
      continue;
    }
    int width = 0;
    while (std::isdigit((unsigned char)*f)) width = width * 10 + (*f++ - '0');
    int longs = 0;
    while (*f == 'l') ++longs, ++f;
    if (*f == 'n') {
      *va_arg(args, int*) = int(s - start);
      continue;
    }
    if (*f == 'c') {
      if (!*s) break;
      *va_arg(args, char*) = *s++;
      ++stored;
      continue;
    }
    while (std::isspace((unsigned char)*s)) ++s;
    char field[64];
    const char* text = s;
    if (width > 0) {
      size_t n = std::min(std::strlen(s), std::min(size_t(width), sizeof field - 1));
      std::memcpy(field, s, n);
      field[n] = 0;
      text = field;
    }
    char* end = nullptr;
    if (*f == 'f' || *f == 'e' || *f == 'g') {
      double v = std::strtod(text, &end);
      if (end == text) break;
      if (longs) *va_arg(args, double*) = v;
      else *va_arg(args, float*) = float(v);
    } else if (*f == 'd' || *f == 'i') {
      long long v = std::strtoll(text, &end, *f == 'd' ? 10 : 0);
      if (end == text) break;
      if (longs == 2) *va_arg(args, long long*) = v;
      else if (longs) *va_arg(args, long*) = long(v);
      else *va_arg(args, int*) = int(v);
    } else if (*f == 'u' || *f == 'x' || *f == 'X') {
      unsigned long long v = std::strtoull(text, &end, *f == 'u' ? 10 : 16);
      if (end == text) break;
      if (longs == 2) *va_arg(args, unsigned long long*) = v;
      else if (longs) *va_arg(args, unsigned long*) = (unsigned long)v;
      else *va_arg(args, unsigned*) = unsigned(v);
    } else {
      break;
    }
    s += end - text;
    ++stored;
  }
  va_end(args);
  return stored == 0 && !*s ? EOF : stored;
}
#endif

int gs_imgui_check_failures() { return g_failures; }
