// Program text -> evaluated Graph. The language:
//   W = [[2, 1], [3, 4]]     an input (a matrix literal or a single number): editable
//   Z = W @ x                a named node; the last statement is the output (must be 1x1)
// Operators: @  + - * /  (broadcasting)  unary -  ^ number  .T ; functions from the op registry.
#pragma once

#include <map>
#include <string>

#include "graph.h"

namespace gs {

using Overrides = std::map<std::string, Matrix>;  // input name -> value replacing its literal

// Parses, checks shapes, builds the graph and evaluates values and gradients.
Result<Graph> compile(const std::string& source, const Overrides& overrides = {});

// Reads one matrix literal on its own ("[[1, 2], [3, 4]]", "[1, 2]", "-0.5"), as given to
// --set, the UI's text fields and the JS API.
Result<Matrix> parse_matrix(const std::string& text);

}  // namespace gs
