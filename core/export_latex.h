// The program's forward pass and chain rule in matrix form, as a LaTeX fragment for lecture
// notes: every node's formula with its shape and numbers (bmatrix), every vector-Jacobian
// product with the contribution it adds, every gradient. Needs only amsmath.
#pragma once

#include <string>

#include "graph.h"

namespace gs {

// `label` names the program in the fragment's first comment ("seed", "prog.gs").
std::string export_latex(const Graph& g, const std::string& label);
// A node's name as a LaTeX symbol: "W", "h_{1}", "\mathit{loss}", "\mathit{y\_hat}".
std::string latex_name(const std::string& name);
// A matrix as a bmatrix; beyond 8 rows or columns the middle ones are elided with dots.
std::string latex_matrix(const Matrix& m);

}  // namespace gs
