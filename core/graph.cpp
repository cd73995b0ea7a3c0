// Forward and backward sweeps over the node list, and writing values back into the program.
#include "graph.h"

#include <algorithm>
#include <cstring>

#include "grad.h"
#include "error.h"

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

namespace {

// One node's per-input pointers: on the stack for up to kMaxArity inputs (every sweep of a
// graph without hstack allocates nothing), on the heap for more.
template <class T> class PerInput {
 public:
  explicit PerInput(size_t n) : data_(small_) {
    if (n > size_t(kMaxArity)) data_ = (large_ = std::vector<T>(n)).data();
  }
  PerInput(const PerInput&) = delete;
  PerInput& operator=(const PerInput&) = delete;
  T& operator[](size_t k) { return data_[k]; }
  T* data() { return data_; }

 private:
  T small_[kMaxArity] = {};
  std::vector<T> large_;
  T* data_;
};

}  // namespace

void Graph::forward_node(int i) {
  Node& n = nodes[size_t(i)];
  if (n.kind != NodeKind::Op) return;
  PerInput<const Matrix*> in(n.inputs.size());
  for (size_t k = 0; k < n.inputs.size(); ++k) in[k] = &nodes[size_t(n.inputs[k])].value;
  n.op->forward(in.data(), n.attr, n.value);
}

void Graph::send_gradients(int i, std::vector<char>* fresh) {
  Node& n = nodes[size_t(i)];
  if (n.kind != NodeKind::Op || !n.feeds_output || !n.differentiable) return;
  const size_t count = n.inputs.size();
  PerInput<const Matrix*> in(count);
  PerInput<Grad> grads(count);
  PerInput<Grad*> gin(count);
  char adds = 0;  // without `fresh`: every contribution adds
  for (size_t k = 0; k < count; ++k) {
    int id = n.inputs[k];
    Node& src = nodes[size_t(id)];
    in[k] = &src.value;
    if (src.kind == NodeKind::Constant || !src.differentiable) continue;
    size_t first = size_t(std::find(n.inputs.begin(), n.inputs.begin() + long(k), id) - n.inputs.begin());
    if (first < k) {
      gin[k] = gin[first];  // x * x: one gradient receives both contributions
    } else {
      grads[k] = Grad(src.grad, fresh ? (*fresh)[size_t(id)] : adds);
      gin[k] = &grads[k];
    }
  }
  n.op->vjp(in.data(), n.attr, n.value, n.grad, gin.data());
}

void Graph::backward_node(int i) { send_gradients(i, nullptr); }

void Graph::forward() {
  for (size_t i = 0; i < nodes.size(); ++i) forward_node(int(i));
}

// No gradient is zeroed up front: each one's first contribution is assigned (core/grad.h), and
// only those that received none are set to 0 at the end. Allocates nothing after the first call.
void Graph::backward() {
  fresh_.assign(nodes.size(), 1);
  if (output >= 0) {
    nodes[size_t(output)].grad.setOnes();  // df/df = 1
    fresh_[size_t(output)] = 0;
    for (size_t i = nodes.size(); i-- > 0;) send_gradients(int(i), &fresh_);
  }
  for (size_t i = 0; i < nodes.size(); ++i)
    if (fresh_[i]) nodes[i].grad.setZero();  // nothing depends on it: df/dnode = 0
}

Result<bool> Graph::set_input(std::string_view name, const Matrix& value) {
  int i = find(name);
  if (i < 0 || nodes[size_t(i)].kind != NodeKind::Input)
    return Error{"there is no input named '" + shown_text(std::string(name)) + "'"};
  Node& n = nodes[size_t(i)];
  if (!value.allFinite()) return Error{"the value for '" + n.name + "' must be finite (no nan or inf)"};
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
    // Compared bit for bit: -0 == 0, but a -0 the user set must not reopen as 0.
    if (same_shape && std::memcmp(n.value.data(), n.literal_value.data(), sizeof(double) * size_t(n.value.size())) == 0)
      continue;
    out.append(source, pos, n.literal_begin - pos);
    bool scalar = n.value.size() == 1 && source[n.literal_begin] != '[';
    // A literal written a row per line stays so, its rows under the first one.
    const size_t line = source.rfind('\n', n.literal_begin), column = n.literal_begin - (line + 1);
    const bool rows_on_lines = source.find('\n', n.literal_begin) < n.literal_end;
    out += scalar ? format_number(n.value(0, 0))
                  : format_matrix(n.value, rows_on_lines ? column + 1 : std::string::npos);
    pos = n.literal_end;
  }
  out.append(source, pos, std::string::npos);
  return out;
}

std::string derivative_label(const std::string& of, const std::string& wrt) { return "d" + of + "/d" + wrt; }

std::string grad_label(const Graph& g, int node) { return derivative_label(g.node(g.output).name, g.node(node).name); }

}  // namespace gs
