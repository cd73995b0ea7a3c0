// The forward-mode sweep: tangents in graph order, each op's JVP applied to its inputs' tangents.
#include "forward.h"

namespace gs {

std::vector<Matrix> tangent_sweep(const Graph& g, const std::vector<Matrix>& seed) {
  std::vector<Matrix> t(g.nodes.size());
  std::vector<char> moves(g.nodes.size(), 0);  // 0: the tangent is zero, and JVPs skip it
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    if (i < seed.size() && seed[i].size() > 0) {  // a seeded node moves on its own, whatever its inputs do
      t[i] = seed[i], moves[i] = 1;
      continue;
    }
    t[i] = Matrix::Zero(n.value.rows(), n.value.cols());  // (rows, cols) of node i
    if (n.kind != NodeKind::Op) continue;
    std::vector<const Matrix*> in, tin;
    for (int k = 0; k < n.arity(); ++k) {
      const size_t id = size_t(n.inputs[k]);
      in.push_back(&g.nodes[id].value);
      tin.push_back(moves[id] ? &t[id] : nullptr);
      moves[i] |= moves[id];
    }
    moves[i] &= n.differentiable;  // argmax, zeros and what is made of them alone stay put, as in backward
    if (moves[i]) n.op->jvp(in.data(), tin.data(), n.attr, n.value, t[i], *n.op);
  }
  return t;
}

Result<std::vector<Matrix>> tangents(const Graph& g, const Direction& v) {
  std::vector<Matrix> seed(g.nodes.size());
  for (const auto& [name, m] : v) {
    const int i = g.find(name);
    if (i < 0 || g.node(i).kind != NodeKind::Input) return Error{"there is no input named '" + name + "'"};
    if (shape_of(m) != g.node(i).shape())
      return Error{"the direction for '" + name + "' has shape " + to_string(shape_of(m)) + " but '" + name +
                   "' has shape " + to_string(g.node(i).shape())};
    if (!m.allFinite()) return Error{"the direction for '" + name + "' must be finite (no nan or inf)"};
    seed[size_t(i)] = m;
  }
  return tangent_sweep(g, seed);
}

}  // namespace gs
