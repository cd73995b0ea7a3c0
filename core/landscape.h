// The loss landscape: f over a grid of two chosen input entries around the current point,
// filled a few rows at a time so that a UI never stalls, with the gradient at the point. And
// the gradient flow: each node's gradient norm in graph order.
#pragma once

#include <string>
#include <vector>

#include "graph.h"

namespace gs {

constexpr int kLandscapeSide = 64;  // at most 64 x 64 evaluations

// One axis of the grid: an entry of an input, swept from lo to hi.
struct LandscapeAxis {
  int node = -1;
  int row = 0, col = 0;
  double lo = 0, hi = 0;
};

struct Landscape {
  LandscapeAxis x, y;
  int side = 0;             // side x side points: x_i = x.lo + (x.hi - x.lo) i / (side - 1), y_j alike
  Matrix f;                 // (side, side): f(j, i) is f at (x_i, y_j); nan where not filled yet
  int rows_done = 0;        // rows 0 .. rows_done - 1 are filled
  double x0 = 0, y0 = 0;    // the current point
  double gx = 0, gy = 0;    // df/dx and df/dy there: the gradient arrow (descent goes against it)
  Graph work;               // a copy of the graph that the grid's points are evaluated on

  bool done() const { return rows_done == side; }
  double x_at(int i) const { return x.lo + (x.hi - x.lo) * i / (side - 1); }
  double y_at(int j) const { return y.lo + (y.hi - y.lo) * j / (side - 1); }
};

// The default sweep around an entry's value v: v - r .. v + r with r = max(1, |v|).
LandscapeAxis landscape_axis(const Graph& g, int node, int row, int col);

// An empty grid (nothing evaluated yet) over the two axes, `side` points each (2 to 64). The
// axes must be different entries of inputs, each range with lo < hi. Needs backward().
Result<Landscape> landscape(const Graph& g, const LandscapeAxis& x, const LandscapeAxis& y, int side);

// Evaluates up to `rows` more rows of the grid (side evaluations each); returns rows_done.
int fill_landscape(Landscape& l, int rows);

// Each node's gradient norm ||df/dnode|| (Frobenius), in graph order: the gradient-flow
// strip. Needs backward().
std::vector<double> gradient_norms(const Graph& g);

}  // namespace gs
