// Error formatting with the source line and a caret under the offending column.
#include "error.h"

#include <cstdio>

namespace gs {
namespace {

std::string hex_escape(const char* format, unsigned value) {
  char buf[8];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

// Appends the shown form of the character at s[i] to `out`; returns how many bytes it used.
size_t append_shown(const std::string& s, size_t i, std::string& out) {
  const unsigned char b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) {
    if ((b < 0x20 && b != '\t') || b == 0x7F) out += hex_escape("\\x%02X", b);
    else out += char(b);
    return 1;
  }
  const size_t n = utf8_length(s, i);
  if (n == 0) {
    out += hex_escape("\\x%02X", b);
    return 1;
  }
  if (b == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) {  // U+0080..U+009F: C1 controls
    out += hex_escape("\\u%04X", static_cast<unsigned char>(s[i + 1]));
    return 2;
  }
  out.append(s, i, n);
  return n;
}

}  // namespace

size_t utf8_length(std::string_view s, size_t i) {
  auto byte = [&](size_t k) -> unsigned { return i + k < s.size() ? (unsigned char)s[i + k] : 0u; };
  auto continues = [&](size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) { return byte(k) >= lo && byte(k) <= hi; };
  unsigned b = byte(0);
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) return continues(1) ? 2 : 0;
  if (b >= 0xE0 && b <= 0xEF)
    return continues(1, b == 0xE0 ? 0xA0 : 0x80, b == 0xED ? 0x9F : 0xBF) && continues(2) ? 3 : 0;
  if (b >= 0xF0 && b <= 0xF4)
    return continues(1, b == 0xF0 ? 0x90 : 0x80, b == 0xF4 ? 0x8F : 0xBF) && continues(2) && continues(3) ? 4 : 0;
  return 0;
}

std::string shown_text(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) i += append_shown(text, i, out);
  return out;
}

std::string Error::excerpt(const std::string& indent) const {
  if (line <= 0 || source_line.empty()) return "";
  std::string shown, caret;
  for (size_t i = 0; i < source_line.size();) {
    const size_t before = shown.size();
    const size_t used = append_shown(source_line, i, shown);
    if (int(i) < column - 1) {
      // Under the bytes before the column: a tab for a tab, one space per shown character
      // (an escape is several; a multi-byte UTF-8 character is one).
      const bool kept = shown.compare(before, std::string::npos, source_line, i, used) == 0;
      caret += source_line[i] == '\t' ? std::string(1, '\t') : std::string(kept ? 1 : shown.size() - before, ' ');
    }
    i += used;
  }
  return indent + shown + "\n" + indent + caret + "^";
}

std::string Error::format(const std::string& file) const {
  std::string out = shown_text(file);
  if (line > 0) {  // appended piece by piece: GCC 12 warns (wrongly) about ":" + std::string
    out += ':';
    out += std::to_string(line);
    out += ':';
    out += std::to_string(column);
  }
  out += ": error: " + shown_text(message);
  if (const std::string lines = excerpt(); !lines.empty()) out += "\n" + lines;
  return out;
}

std::string line_of(const std::string& text, int line) {
  size_t start = 0;
  for (int l = 1; l < line; ++l) {
    start = text.find('\n', start);
    if (start == std::string::npos) return "";
    ++start;
  }
  size_t end = text.find('\n', start);
  std::string s = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (!s.empty() && s.back() == '\r') s.pop_back();
  return s;
}

}  // namespace gs
