// Number and matrix formatting: round-trip text for files and links, short text for display.
#include "matrix.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace gs {

std::string to_string(Shape s) {
  return "(" + std::to_string(s.rows) + ", " + std::to_string(s.cols) + ")";
}

int round_trip_digits(double v) {
  // 17 digits always read back. Computed values mostly need 16 or 17, so try 15 and 16 first.
  // Below that, bisect: a correctly rounded decimal with more digits is never further from v,
  // so the precisions that read back are all from some p up.
  char buf[32];
  auto reads_back = [&](int digits) {
    std::snprintf(buf, sizeof buf, "%.*e", digits - 1, v);
    return std::strtod(buf, nullptr) == v;
  };
  if (!reads_back(15)) return reads_back(16) ? 16 : 17;
  int lo = 1, hi = 15;
  while (lo < hi) {
    const int mid = (lo + hi) / 2;
    if (reads_back(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

std::string format_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*g", round_trip_digits(v), v);
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

std::string format_matrix(const Matrix& m, size_t indent) {
  std::string out = "[";
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    out += !r ? "[" : indent == std::string::npos ? ", [" : ",\n" + std::string(indent, ' ') + "[";
    for (Eigen::Index c = 0; c < m.cols(); ++c) {
      if (c) out += ", ";
      out += format_number(m(r, c));
    }
    out += "]";
  }
  return out + "]";
}

}  // namespace gs
