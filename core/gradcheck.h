// Central finite differences over every input entry, compared with the backward pass.
#pragma once

#include <string>
#include <vector>

#include "graph.h"

namespace gs {

struct InputCheck {
  std::string name;
  Matrix numeric;          // (f(v + h) - f(v - h)) / 2h for every entry
  double max_error = 0;    // max over entries of |analytic - numeric| / max(1, |analytic|, |numeric|)
  int worst_row = 0, worst_col = 0;
};

struct GradCheck {
  std::vector<InputCheck> inputs;
  double max_error = 0;    // over all inputs
  bool passed(double tolerance = 1e-6) const { return max_error <= tolerance; }
};

// Perturbs each input entry v by +-h*max(1, |v|), re-running the forward pass, and compares with the
// gradients of the current backward pass. Leaves the graph's values and gradients as found.
// A non-finite difference on either side counts as an error of +inf.
GradCheck gradient_check(Graph& g, double h = 1e-6);

}  // namespace gs
