// The current program and values as runnable NumPy or PyTorch code, like the course
// notebook's cells: forward pass, then the gradient of the output for every node.
#pragma once

#include <string>

#include "graph.h"

namespace gs {

std::string export_numpy(const Graph& g);    // forward in NumPy, gradients by hand-written VJPs
std::string export_pytorch(const Graph& g);  // forward in PyTorch, retain_grad on every node, backward()

}  // namespace gs
