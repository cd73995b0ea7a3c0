// Matrix type, shapes and number formatting shared by the whole core.
#pragma once

#include <Eigen/Dense>
#include <string>

namespace gs {

using Matrix = Eigen::MatrixXd;  // every node value and gradient is a dense double matrix

struct Shape {
  int rows = 0;
  int cols = 0;
  bool operator==(const Shape& o) const { return rows == o.rows && cols == o.cols; }
  bool operator!=(const Shape& o) const { return !(*this == o); }
  long long size() const { return static_cast<long long>(rows) * cols; }
};

inline Shape shape_of(const Matrix& m) { return {static_cast<int>(m.rows()), static_cast<int>(m.cols())}; }

// "(3, 1)": how shapes appear in every message and in the UI.
std::string to_string(Shape s);

// The fewest significant digits (1 to 17) whose correctly rounded decimal reads back as the
// finite double v: what format_number and the JSON writer print with.
int round_trip_digits(double v);

// Shortest text that reads back as the same double ("0.25", "-1e-07", "nan", "inf").
std::string format_number(double v);

// Compact text for display with at most `digits` significant digits ("0.2500" -> "0.25").
std::string format_short(double v, int digits = 4);

// "[[1, 2], [3, 4]]": the program-literal form, round-tripping every entry. With an `indent`,
// each row after the first is on a line of its own, that many spaces in: a literal written a
// row per line keeps that shape when the program is rewritten with new values.
std::string format_matrix(const Matrix& m, size_t indent = std::string::npos);

}  // namespace gs
