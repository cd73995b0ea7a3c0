// Forward mode: every node's tangent, its derivative along one direction v on the inputs,
// in one sweep in graph order from each op's JVP rule (core/ops.h, beside its VJP). One
// sweep gives df.v for one direction; reverse mode gives all of grad f in one sweep.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "graph.h"

namespace gs {

// A direction on the graph's inputs: an input's name and its tangent (the input's shape).
// Inputs not named stay put: their tangent is zero.
using Direction = std::vector<std::pair<std::string, Matrix>>;

// Every node's tangent along the direction whose tangent for node i is seed[i] (an empty
// matrix, or a missing entry, for zero), indexed like g.nodes, each of its node's shape.
// A seeded computed node is moved as if it were an input (its own inputs' tangents are not
// used): seeding node X gives d(later nodes)/dX along seed[X], the derivative backward()'s
// df/dX is. Reads the values of the last forward().
std::vector<Matrix> tangent_sweep(const Graph& g, const std::vector<Matrix>& seed);

// The same for a named direction; an unknown input, a wrong shape or a non-finite entry is
// an error naming the input.
Result<std::vector<Matrix>> tangents(const Graph& g, const Direction& v);

}  // namespace gs
