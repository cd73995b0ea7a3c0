// The computation graph: nodes with values and gradients, one forward sweep and one
// reverse sweep. Built from program text by compile() (compile.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "error.h"
#include "matrix.h"
#include "ops.h"

namespace gs {

enum class NodeKind { Input, Constant, Op };

struct Node {
  std::string name;            // "W", "Z", or generated for an inner expression: "sigmoid_1"
  NodeKind kind = NodeKind::Op;
  const OpDef* op = nullptr;   // set for NodeKind::Op
  std::vector<int> inputs;     // node indices, earlier in Graph::nodes
  double attr = 0;             // the constant exponent of '^'; the input count of kAnyArity ops
  bool generated_name = false; // true for inner expressions the program did not name
  Matrix value;                // (rows, cols) fixed when the graph is built
  Matrix grad;                 // df/dnode, same shape as value
  int line = 0, column = 0;    // where the node is defined in the program
  std::string expr;            // its expression as written ("W @ x"), or the literal for inputs
  // Inputs only: the literal's byte span in the source, so edits can be written back.
  size_t literal_begin = 0, literal_end = 0;
  Matrix literal_value;        // the value as written in the program text
  // False when the output does not depend on this node (an unused statement): it then sends
  // no gradient, so an unused log(0) cannot turn df/dx into nan through 0 * inf.
  bool feeds_output = true;
  // False for results that carry no gradient (OpDef::no_grad: argmax, zeros) and ops on those
  // alone (onehot(I, 3).T): like constants, they receive none and send none.
  bool differentiable = true;

  int arity() const { return int(inputs.size()); }
  Shape shape() const { return shape_of(value); }
};

class Graph {
 public:
  std::string source;       // the program text the graph was built from
  std::vector<Node> nodes;  // in topological order: every node's inputs come before it
  int output = -1;          // the 1x1 node whose gradients are taken

  int find(std::string_view name) const;  // index or -1
  std::vector<int> input_ids() const;     // the editable inputs, in program order
  Node& node(int i) { return nodes[size_t(i)]; }
  const Node& node(int i) const { return nodes[size_t(i)]; }

  void forward();                         // every value, in order
  void backward();                        // every gradient, df/df = 1, one reverse sweep
  void evaluate() { forward(); backward(); }
  void forward_node(int i);               // one node's value (step-through)
  void backward_node(int i);              // one node's contributions to its inputs' gradients

  // Replaces an input's value; the shape must stay the same (a new shape needs compile()).
  Result<bool> set_input(std::string_view name, const Matrix& value);

  // The program text with every input literal rewritten to its current value, so a
  // saved file or link reopens exactly this state. Unchanged literals keep their text.
  std::string program_text() const;

 private:
  // One node's VJP. With `fresh` (backward()'s per-node flags), a gradient's first
  // contribution in the sweep is assigned; without, every contribution adds.
  void send_gradients(int i, std::vector<char>* fresh);
  std::vector<char> fresh_;  // backward(): gradients nothing has been added to yet
};

// "dZ/dW": how the derivative of one node with respect to another is written, everywhere.
std::string derivative_label(const std::string& of, const std::string& wrt);
// "df/dW": the label of a node's gradient, the output's derivative with respect to the node
// (web/embed.js's gradLabel writes the text view's the same way).
std::string grad_label(const Graph& g, int node);

}  // namespace gs
