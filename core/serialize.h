// JSON views of a graph and a gradient check, and matrices read from JSON. This is the
// one core file that uses a library beyond Eigen: nlohmann/json is header-only and
// portable, and the command line, the JS API and the tests must all print the same JSON.
#pragma once

#include <string>

#include "error.h"
#include "gradcheck.h"
#include "graph.h"

namespace gs {

// {"output": "f", "nodes": [{"name", "op", "inputs", "shape", "value", "grad", "expr", "line"}]}
// Matrices are lists of rows; numbers round-trip a double; NaN and infinities become null.
std::string graph_json(const Graph& g, int indent = -1);

// {"max_error": e, "passed": b, "inputs": [{"name", "max_error", "worst": [r, c], "numeric": [[...]]}]}
std::string check_json(const GradCheck& c, double tolerance, int indent = -1);

// [[1, 2], [3, 4]] (or a bare number) as a matrix; rows must be equal and entries finite.
Result<Matrix> matrix_from_json(const std::string& text);

// One node's {"value", "grad", "shape"} (the JS API's get()).
std::string node_json(const Graph& g, int id);

}  // namespace gs
