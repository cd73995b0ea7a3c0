// The gradient check: the independent witness that every op's VJP matches its forward.
#include "gradcheck.h"

#include <cmath>

namespace gs {

GradCheck gradient_check(Graph& g, double h) {
  GradCheck report;
  g.evaluate();
  for (int id : g.input_ids()) {
    InputCheck c;
    c.name = g.node(id).name;
    const Matrix analytic = g.node(id).grad;  // (r, c), copied: forward() leaves grads alone but be explicit
    c.numeric.resizeLike(analytic);
    Matrix& v = g.node(id).value;
    for (Eigen::Index col = 0; col < v.cols(); ++col) {
      for (Eigen::Index row = 0; row < v.rows(); ++row) {
        double saved = v(row, col);
        // The step grows with the entry, so it stays above a large number's precision;
        // dividing by the steps actually taken keeps the quotient exact to rounding.
        double step = h * std::max(1.0, std::abs(saved));
        double hi = saved + step, lo = saved - step;
        v(row, col) = hi;
        g.forward();
        double up = g.node(g.output).value(0, 0);
        v(row, col) = lo;
        g.forward();
        double down = g.node(g.output).value(0, 0);
        v(row, col) = saved;
        double numeric = (up - down) / (hi - lo);
        double a = analytic(row, col);
        c.numeric(row, col) = numeric;
        double err = std::abs(a - numeric) / std::max({1.0, std::abs(a), std::abs(numeric)});
        if (!std::isfinite(err)) err = (a == numeric) ? 0 : INFINITY;
        if (err > c.max_error) {
          c.max_error = err;
          c.worst_row = int(row);
          c.worst_col = int(col);
        }
      }
    }
    report.max_error = std::max(report.max_error, c.max_error);
    report.inputs.push_back(std::move(c));
  }
  g.evaluate();
  return report;
}

}  // namespace gs
