// The loss landscape grid, evaluated row by row on a copy of the graph, and gradient norms.
#include "landscape.h"

#include <cmath>

namespace gs {

LandscapeAxis landscape_axis(const Graph& g, int node, int row, int col) {
  const double v = g.node(node).value(row, col);
  const double r = std::max(1.0, std::abs(v));
  return {node, row, col, v - r, v + r};
}

Result<Landscape> landscape(const Graph& g, const LandscapeAxis& x, const LandscapeAxis& y, int side) {
  if (side < 2 || side > kLandscapeSide)
    return Error{"the grid has 2 to " + std::to_string(kLandscapeSide) + " points a side, not " + std::to_string(side)};
  for (const LandscapeAxis* a : {&x, &y}) {
    if (a->node < 0 || size_t(a->node) >= g.nodes.size() || g.node(a->node).kind != NodeKind::Input)
      return Error{"an axis of the landscape must be an entry of an input"};
    const Node& n = g.node(a->node);
    if (a->row < 0 || a->col < 0 || a->row >= n.value.rows() || a->col >= n.value.cols())
      return Error{"'" + n.name + "' has shape " + to_string(n.shape()) + ": there is no entry [" +
                   std::to_string(a->row) + "][" + std::to_string(a->col) + "]"};
    if (!(a->lo < a->hi) || !std::isfinite(a->lo) || !std::isfinite(a->hi))
      return Error{"the range of " + n.name + "[" + std::to_string(a->row) + "][" + std::to_string(a->col) +
                   "] must go from a smaller to a larger finite number"};
  }
  if (x.node == y.node && x.row == y.row && x.col == y.col) return Error{"the two axes must be different entries"};
  Landscape l;
  l.x = x, l.y = y, l.side = side, l.work = g;
  l.f = Matrix::Constant(side, side, NAN);  // (side, side), rows along y
  l.x0 = g.node(x.node).value(x.row, x.col), l.y0 = g.node(y.node).value(y.row, y.col);
  l.gx = g.node(x.node).grad(x.row, x.col), l.gy = g.node(y.node).grad(y.row, y.col);
  return l;
}

int fill_landscape(Landscape& l, int rows) {
  Matrix& xv = l.work.node(l.x.node).value;
  Matrix& yv = l.work.node(l.y.node).value;
  for (int stop = std::min(l.side, l.rows_done + std::max(rows, 0)); l.rows_done < stop; ++l.rows_done) {
    yv(l.y.row, l.y.col) = l.y_at(l.rows_done);
    for (int i = 0; i < l.side; ++i) {
      xv(l.x.row, l.x.col) = l.x_at(i);
      l.work.forward();
      l.f(l.rows_done, i) = l.work.node(l.work.output).value(0, 0);
    }
  }
  return l.rows_done;
}

std::vector<double> gradient_norms(const Graph& g) {
  std::vector<double> norms;
  for (const Node& n : g.nodes) norms.push_back(n.grad.norm());
  return norms;
}

}  // namespace gs
