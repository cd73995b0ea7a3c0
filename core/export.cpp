// Code generation for NumPy and PyTorch. Each op maps to one expression per framework;
// the NumPy version also writes out each VJP so a student can compare with the notebook.
#include "export.h"

#include <map>

namespace gs {
namespace {

std::string literal(const Matrix& m) { return format_matrix(m); }

// Python name for a node: generated names and constants become valid identifiers.
std::string py_name(const Graph& g, int id) {
  const Node& n = g.node(id);
  if (n.kind == NodeKind::Constant) {
    if (n.value.size() == 1) return "(" + format_number(n.value(0, 0)) + ")";
    return "np.array(" + literal(n.value) + ")";
  }
  return n.name;
}

std::string torch_name(const Graph& g, int id) {
  const Node& n = g.node(id);
  if (n.kind == NodeKind::Constant) {
    if (n.value.size() == 1) return "(" + format_number(n.value(0, 0)) + ")";
    return "torch.tensor(" + literal(n.value) + ", dtype=torch.float64)";
  }
  return n.name;
}

// Forward expression of an op node; `np` selects NumPy, otherwise PyTorch.
std::string forward_expr(const Graph& g, const Node& n, bool np) {
  auto a = [&](int k) { return np ? py_name(g, n.inputs[k]) : torch_name(g, n.inputs[k]); };
  std::string op = n.op->name;
  std::string lib = np ? "np" : "torch";
  if (op == "matmul") return a(0) + " @ " + a(1);
  if (op == "add") return a(0) + " + " + a(1);
  if (op == "sub") return a(0) + " - " + a(1);
  if (op == "mul") return a(0) + " * " + a(1);
  if (op == "div") return a(0) + " / " + a(1);
  if (op == "neg") return "-" + a(0);
  if (op == "pow") return a(0) + " ** " + format_number(n.attr);
  if (op == "transpose") return a(0) + ".T";
  if (op == "sigmoid") return np ? "1 / (1 + np.exp(-" + a(0) + "))" : "torch.sigmoid(" + a(0) + ")";
  if (op == "tanh" || op == "exp" || op == "log" || op == "sqrt" || op == "abs") return lib + "." + op + "(" + a(0) + ")";
  if (op == "relu") return np ? "np.maximum(" + a(0) + ", 0)" : "torch.relu(" + a(0) + ")";
  if (op == "softplus") return np ? "np.logaddexp(0, " + a(0) + ")" : "torch.nn.functional.softplus(" + a(0) + ")";
  if (op == "sum") return (np ? "np.sum(" : "torch.sum(") + a(0) + ").reshape(1, 1)";
  if (op == "mean") return (np ? "np.mean(" : "torch.mean(") + a(0) + ").reshape(1, 1)";
  if (op == "norm2") return (np ? "np.sum(" : "torch.sum(") + a(0) + " ** 2).reshape(1, 1)";
  if (op == "softmax")
    return np ? "np.exp(" + a(0) + " - " + a(0) + ".max(0)) / np.exp(" + a(0) + " - " + a(0) + ".max(0)).sum(0)"
              : "torch.softmax(" + a(0) + ", dim=0)";
  if (op == "log_softmax")
    return np ? a(0) + " - " + a(0) + ".max(0) - np.log(np.exp(" + a(0) + " - " + a(0) + ".max(0)).sum(0))"
              : "torch.log_softmax(" + a(0) + ", dim=0)";
  if (op == "mse") return (np ? "np.mean((" : "torch.mean((") + a(0) + " - " + a(1) + ") ** 2).reshape(1, 1)";
  if (op == "cross_entropy")
    return np ? "(-np.sum(" + a(1) + " * (" + a(0) + " - " + a(0) + ".max(0) - np.log(np.exp(" + a(0) + " - " + a(0) +
                    ".max(0)).sum(0)))) / " + a(0) + ".shape[1]).reshape(1, 1)"
              : "(-(" + a(1) + " * torch.log_softmax(" + a(0) + ", dim=0)).sum() / " + a(0) + ".shape[1]).reshape(1, 1)";
  if (op == "bce")
    return (np ? "np.mean(-(" : "torch.mean(-(") + a(1) + " * " + lib + ".log(" + a(0) + ") + (1 - " + a(1) + ") * " +
           lib + ".log(1 - " + a(0) + "))).reshape(1, 1)";
  return "None  # unknown op " + op;
}

}  // namespace

// NumPy for one input's gradient contribution: `g` is the upstream gradient, `a`, `b` the
// inputs, `out` the node's value; `unb(x, a)` sums x back to a's shape after broadcasting.
std::string numpy_vjp(const std::string& op, int k, double p) {
  const bool first = k == 0;
  if (op == "matmul") return first ? "_g @ _b.T" : "_a.T @ _g";
  if (op == "add") return first ? "unb(_g, _a)" : "unb(_g, _b)";
  if (op == "sub") return first ? "unb(_g, _a)" : "unb(-_g, _b)";
  if (op == "mul") return first ? "unb(_g * _b, _a)" : "unb(_g * _a, _b)";
  if (op == "div") return first ? "unb(_g / _b, _a)" : "unb(-_g * _a / _b ** 2, _b)";
  if (op == "neg") return "-_g";
  if (op == "pow") return "_g * " + format_number(p) + " * _a ** " + format_number(p - 1);
  if (op == "transpose") return "_g.T";
  if (op == "sigmoid") return "_g * _out * (1 - _out)";
  if (op == "tanh") return "_g * (1 - _out ** 2)";
  if (op == "relu") return "_g * (_a > 0)";
  if (op == "exp") return "_g * _out";
  if (op == "log") return "_g / _a";
  if (op == "sqrt") return "_g / (2 * _out)";
  if (op == "abs") return "_g * np.sign(_a)";
  if (op == "softplus") return "_g / (1 + np.exp(-_a))";
  if (op == "sum") return "_g * np.ones_like(_a)";
  if (op == "mean") return "_g * np.ones_like(_a) / _a.size";
  if (op == "norm2") return "2 * _g * _a";
  if (op == "softmax") return "_out * (_g - (_out * _g).sum(0))";
  if (op == "log_softmax") return "_g - np.exp(_out) * _g.sum(0)";
  if (op == "mse") return first ? "2 * _g * (_a - _b) / _a.size" : "-2 * _g * (_a - _b) / _a.size";
  if (op == "cross_entropy")
    return first ? "_g * (softmax(_a) * _b.sum(0) - _b) / _a.shape[1]" : "-_g * np.log(softmax(_a)) / _a.shape[1]";
  if (op == "bce") return first ? "_g * (_a - _b) / (_a * (1 - _a)) / _a.size" : "_g * (np.log(1 - _a) - np.log(_a)) / _a.size";
  return "0  # unknown op " + op;
}

std::string export_numpy(const Graph& g) {
  std::string out =
      "# Generated by gradscope: the forward pass and the backward pass in NumPy (float64),\n"
      "# one vector-Jacobian product per node, as the course notebook does by hand.\n"
      "import numpy as np\n\n"
      "def softmax(z):\n"
      "    e = np.exp(z - z.max(0))\n"
      "    return e / e.sum(0)\n\n"
      "def unb(x, like):  # sum a broadcast gradient back to the shape of `like`\n"
      "    if x.shape[0] != like.shape[0]: x = x.sum(0, keepdims=True)\n"
      "    if x.shape[1] != like.shape[1]: x = x.sum(1, keepdims=True)\n"
      "    return x\n\n"
      "# forward\n";
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    if (n.kind == NodeKind::Constant) continue;
    if (n.kind == NodeKind::Input) out += n.name + " = np.array(" + literal(n.value) + ", dtype=np.float64)\n";
    else out += n.name + " = " + forward_expr(g, n, true) + "\n";
  }
  if (g.output < 0) return out;
  out += "\n# backward: _d[name] is the gradient of " + g.node(g.output).name + " with respect to name\n";
  out += "_d = {}\n";
  std::string names;
  for (const Node& n : g.nodes)
    if (n.kind != NodeKind::Constant) {
      out += "_d[\"" + n.name + "\"] = np.zeros_like(" + n.name + ")\n";
      names += (names.empty() ? "" : ", ") + ("\"" + n.name + "\"");
    }
  out += "_d[\"" + g.node(g.output).name + "\"] = np.ones((1, 1))\n";
  for (size_t i = g.nodes.size(); i-- > 0;) {
    const Node& n = g.nodes[i];
    if (n.kind != NodeKind::Op) continue;
    out += "_g, _out = _d[\"" + n.name + "\"], " + n.name + "\n";
    out += "_a = " + py_name(g, n.inputs[0]) + (n.arity() == 2 ? "; _b = " + py_name(g, n.inputs[1]) : "") + "\n";
    for (int k = 0; k < n.arity(); ++k) {
      const Node& src = g.node(n.inputs[k]);
      if (src.kind == NodeKind::Constant) continue;
      out += "_d[\"" + src.name + "\"] = _d[\"" + src.name + "\"] + " + numpy_vjp(n.op->name, k, n.attr) + "\n";
    }
  }
  out += "\nfor name in [" + names + "]:\n";
  out += "    print(name, \"value:\\n\", globals()[name], \"\\ngrad:\\n\", _d[name], \"\\n\")\n";
  return out;
}

std::string export_pytorch(const Graph& g) {
  std::string out =
      "# Generated by gradscope: the same computation in PyTorch, with the gradient of\n"
      "# the output kept for every node (retain_grad), as gradscope shows them.\n"
      "import torch\n\n";
  std::string retained;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    if (n.kind == NodeKind::Constant) continue;
    if (n.kind == NodeKind::Input) {
      out += n.name + " = torch.tensor(" + literal(n.value) + ", dtype=torch.float64, requires_grad=True)\n";
    } else {
      out += n.name + " = " + forward_expr(g, n, false) + "\n";
      out += n.name + ".retain_grad()\n";
    }
    retained += (retained.empty() ? "" : ", ") + n.name;
  }
  if (g.output < 0) return out;
  out += "\n" + g.node(g.output).name + ".backward()\n\n";
  out += "for name, t in zip(\"" + retained + "\".split(\", \"), [" + retained + "]):\n";
  out += "    print(name, \"value:\\n\", t.detach().numpy(), \"\\ngrad:\\n\", t.grad.numpy(), \"\\n\")\n";
  return out;
}

}  // namespace gs
