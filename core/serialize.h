// JSON views of a graph and a gradient check, and matrices read from JSON, written and read
// with core/json.h: the command line, the JS API and the tests all print the same JSON.
#pragma once

#include <string>

#include "error.h"
#include "gradcheck.h"
#include "graph.h"
#include "json.h"

namespace gs {

// {"output": "f", "nodes": [{"name", "op", "inputs", "shape", "value", "grad", "expr", "line"}]}
// (and "exponent" for '^'). Matrices are lists of rows; numbers round-trip a double; NaN and
// infinities become null. indent -1 is compact, n >= 0 puts one value per line, n spaces deep.
// With `tangents` (core/forward.h, one per node), each node also has its "tangent".
std::string graph_json(const Graph& g, int indent = -1, const std::vector<Matrix>* tangents = nullptr);

// {"max_error": e, "tolerance": t, "passed": b, "entries": n, "checked": k, "sampled": b,
//  "inputs": [{"name", "max_error", "checked", "worst": [r, c], "numeric": [[...]] (null where not checked)}]}
std::string check_json(const GradCheck& c, double tolerance, int indent = -1);

// [[1, 2], [3, 4]] (or a bare number) as a matrix; rows must be equal and entries finite.
Result<Matrix> matrix_from_json(const std::string& text);

// One node's {"value", "grad", "shape"} (the JS API's get()).
std::string node_json(const Graph& g, int id);

// Every registered op's record as [{"name", "symbol", "arity", "usage", "doc", "torch", "numpy",
// "numpy_vjp": [...], "attr", "shape", "function", "params", "no_grad"}] (`gradscope ops --json`:
// the tests read the op list from it). "shape" is "same" (the input's), "scalar" (1, 1) or
// "other"; "arity" is -1 for any number of inputs; "function" is what a program calls
// ("sum" for sum_axis) and "params" the numbers it passes after the matrices (["axis"]).
std::string ops_json(int indent = -1);

// The pieces of the views above, for the JS API's own views: a matrix as its list of rows,
// and one node's members in graph_json's order (into an open object; a value or gradient
// not shown is written as null).
void write_matrix(JsonWriter& w, const Matrix& m);
void write_node_members(JsonWriter& w, const Graph& g, const Node& n, bool show_value = true,
                        bool show_grad = true);

}  // namespace gs
