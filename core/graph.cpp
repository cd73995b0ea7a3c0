// Forward and backward sweeps over the node list, and writing values back into the program.
#include "graph.h"

namespace gs {

int Graph::find(std::string_view name) const {
  for (size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].name == name) return int(i);
  return -1;
}

std::vector<int> Graph::input_ids() const {
  std::vector<int> ids;
  for (size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].kind == NodeKind::Input) ids.push_back(int(i));
  return ids;
}

void Graph::forward_node(int i) {
  Node& n = nodes[size_t(i)];
  if (n.kind != NodeKind::Op) return;
  const Matrix* in[2] = {&nodes[size_t(n.inputs[0])].value,
                         n.inputs[1] >= 0 ? &nodes[size_t(n.inputs[1])].value : nullptr};
  n.op->forward(in, n.attr, n.value);
}

void Graph::backward_node(int i) {
  Node& n = nodes[size_t(i)];
  if (n.kind != NodeKind::Op) return;
  const Matrix* in[2] = {nullptr, nullptr};
  Matrix* gin[2] = {nullptr, nullptr};
  for (int k = 0; k < n.arity(); ++k) {
    Node& src = nodes[size_t(n.inputs[k])];
    in[k] = &src.value;
    if (src.kind != NodeKind::Constant) gin[k] = &src.grad;
  }
  n.op->vjp(in, n.attr, n.value, n.grad, gin);
}

void Graph::forward() {
  for (size_t i = 0; i < nodes.size(); ++i) forward_node(int(i));
}

void Graph::backward() {
  for (Node& n : nodes) n.grad.setZero();
  if (output < 0) return;
  nodes[size_t(output)].grad.setOnes();  // df/df = 1
  for (size_t i = nodes.size(); i-- > 0;) backward_node(int(i));
}

Result<bool> Graph::set_input(std::string_view name, const Matrix& value) {
  int i = find(name);
  if (i < 0 || nodes[size_t(i)].kind != NodeKind::Input)
    return Error{"there is no input named '" + std::string(name) + "'"};
  Node& n = nodes[size_t(i)];
  if (shape_of(value) != n.shape())
    return Error{"'" + n.name + "' has shape " + to_string(n.shape()) + " but the new value has shape " +
                 to_string(shape_of(value))};
  n.value = value;
  return true;
}

std::string Graph::program_text() const {
  std::string out;
  size_t pos = 0;
  for (const Node& n : nodes) {
    if (n.kind != NodeKind::Input || n.literal_end <= n.literal_begin) continue;
    bool same_shape = shape_of(n.value) == shape_of(n.literal_value);
    if (same_shape && n.value.cwiseEqual(n.literal_value).all()) continue;
    out.append(source, pos, n.literal_begin - pos);
    bool scalar = n.value.size() == 1 && source[n.literal_begin] != '[';
    out += scalar ? format_number(n.value(0, 0)) : format_matrix(n.value);
    pos = n.literal_end;
  }
  out.append(source, pos, std::string::npos);
  return out;
}

}  // namespace gs
