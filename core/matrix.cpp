// Number and matrix formatting: round-trip text for files and links, short text for display.
#include "matrix.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace gs {

std::string to_string(Shape s) {
  return "(" + std::to_string(s.rows) + ", " + std::to_string(s.cols) + ")";
}

std::string format_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  // The shortest of %.1g .. %.17g that parses back to exactly v.
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

std::string format_short(double v, int digits) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0) return std::signbit(v) ? "-0" : "0";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

std::string format_matrix(const Matrix& m) {
  std::string out = "[";
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    out += r ? ", [" : "[";
    for (Eigen::Index c = 0; c < m.cols(); ++c) {
      if (c) out += ", ";
      out += format_number(m(r, c));
    }
    out += "]";
  }
  return out + "]";
}

}  // namespace gs
