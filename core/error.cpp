// Error formatting with the source line and a caret under the offending column.
#include "error.h"

namespace gs {

std::string Error::format(const std::string& file) const {
  std::string out = file;
  if (line > 0) {  // appended piece by piece: GCC 12 warns (wrongly) about ":" + std::string
    out += ':';
    out += std::to_string(line);
    out += ':';
    out += std::to_string(column);
  }
  out += ": error: " + message;
  if (line > 0 && !source_line.empty()) {
    out += "\n    " + source_line + "\n    ";
    for (int i = 1; i < column; ++i) out += source_line[i - 1] == '\t' ? '\t' : ' ';
    out += "^";
  }
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
