// Code generation for NumPy and PyTorch. Every op's Python text comes from its record
// (OpDef::torch, numpy, numpy_vjp, numpy_helpers); this file only names things and orders the
// lines. Values are 2-D float64 arrays throughout, numbers in the program included, so that
// the generated code broadcasts exactly as gradscope does.
#include "export.h"

#include <set>

namespace gs {
namespace {

// Names a program may use that the generated code must not rebind: Python's keywords, the
// modules it imports, the builtins and variables it uses, and the builtins most likely to.
// The functions of the ops' NumPy text are added from the records.
const char* const kReservedNames[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
    "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    "np", "numpy", "torch", "math", "sys", "json", "grad", "nodes", "name", "value", "t", "print", "zip",
    "range", "len", "list", "dict", "set", "tuple", "str", "int", "float", "bool", "type", "object",
    "min", "max", "round", "map", "filter", "any", "all", "iter", "next", "open", "id", "input", "vars",
    "globals", "locals", "exec", "eval", "compile", "isinstance", "super", "repr", "format", "sorted", "self"};

// One Python variable per node: the program's name, with "_" appended where it is reserved or
// taken (by a name the program also uses), and const_1, const_2 ... for numbers and literals.
struct PythonNames {
  std::vector<std::string> of;  // indexed by node
  std::string renamed;          // "print -> print_, lambda -> lambda_"
};

PythonNames python_names(const Graph& g) {
  std::set<std::string> taken(std::begin(kReservedNames), std::end(kReservedNames));
  for (const OpDef* op : all_ops())  // the functions the NumPy text defines ("def unb(x, like):")
    for (std::string_view h = op->numpy_helpers ? op->numpy_helpers : ""; h.find("def ") != h.npos;) {
      h.remove_prefix(h.find("def ") + 4);
      taken.insert(std::string(h.substr(0, h.find('('))));
    }
  auto reserved = [&](const std::string& s) { return taken.count(s) > 0 || s.rfind("__", 0) == 0; };
  PythonNames names;
  std::vector<char> keep(g.nodes.size());
  // c', c'' (a reassigned c) are not Python names: c_1, c_2, renamed like reserved names.
  auto valid = [](const std::string& s) { return s.find('\'') == std::string::npos; };
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    keep[i] = n.kind != NodeKind::Constant && !reserved(n.name) && valid(n.name);
  }
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (keep[i]) taken.insert(g.nodes[i].name);
  int constants = 0;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    std::string py = n.name;
    if (n.kind == NodeKind::Constant) {
      do py = "const_" + std::to_string(++constants);
      while (taken.count(py));
    } else if (!keep[i]) {
      if (size_t prime = py.find('\''); prime != std::string::npos)
        py = py.substr(0, prime) + "_" + std::to_string(py.size() - prime);
      else
        py += "_";
      while (taken.count(py)) py += "_";
      names.renamed += (names.renamed.empty() ? "" : ", ") + n.name + " -> " + py;
    }
    taken.insert(py);
    names.of.push_back(py);
  }
  return names;
}

// `lhs op= text` with the node's names written into the op's text: {0} {1} ... its inputs, {*}
// all of them ("a, b, c"), {k} the input a VJP line is for, {out} the node, {g} its gradient,
// {p} its number, {rows} {cols} its shape. A missing text (a registry test checks there are
// none) gives a line that stops the script with the reason instead.
std::string assign(const std::string& lhs, const char* op, const char* text, const Graph& g, const Node& n,
                   const PythonNames& names, const std::string& grad, const char* what, int k = 0) {
  if (!text || !*text)
    return "raise NotImplementedError(\"gradscope has no " + std::string(what) + " for " + n.op->name + "\")\n";
  std::string all;
  for (size_t j = 0; j < n.inputs.size(); ++j) all += (j ? ", " : "") + names.of[size_t(n.inputs[j])];
  std::string out = lhs + " " + op + " ";
  for (const char* p = text; *p; ++p) {
    std::string_view rest(p);
    auto take = [&](std::string_view key, const std::string& with) {
      if (rest.substr(0, key.size()) != key) return false;
      out += with;
      p += key.size() - 1;
      return true;
    };
    size_t digits = rest.find_first_not_of("0123456789", 1);
    if (*p == '{' && digits > 1 && digits != rest.npos && rest[digits] == '}') {
      size_t j = std::stoul(std::string(rest.substr(1, digits - 1)));
      if (j < n.inputs.size() && take(rest.substr(0, digits + 1), names.of[size_t(n.inputs[j])])) continue;
    }
    if (*p == '{' && (take("{*}", all) || take("{k}", std::to_string(k)) ||
                      take("{out}", names.of[size_t(&n - g.nodes.data())]) || take("{g}", grad) ||
                      take("{p}", format_number(n.attr)) || take("{rows}", std::to_string(n.value.rows())) ||
                      take("{cols}", std::to_string(n.value.cols()))))
      continue;
    out += *p;
  }
  return out + "\n";
}

std::string array_text(const Matrix& m, bool numpy) {
  return numpy ? "np.array(" + format_matrix(m) + ", dtype=np.float64)"
               : "torch.tensor(" + format_matrix(m) + ", dtype=torch.float64, requires_grad=True)";
}

std::string header(const char* what, const PythonNames& names, const char* import) {
  std::string out = std::string("# Generated by gradscope: ") + what;
  if (!names.renamed.empty()) out += "# Renamed to be valid Python: " + names.renamed + "\n";
  return out + import + "\n";
}

// Inputs, constants and every op's forward line; after each op line, `after(node)`.
template <class After>
std::string forward_lines(const Graph& g, const PythonNames& names, bool numpy, After after) {
  std::string out;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    const std::string& py = names.of[i];
    if (n.kind == NodeKind::Op) {
      out += numpy ? assign(py, "=", n.op->numpy, g, n, names, "", "NumPy text")
                   : assign(py, "=", n.op->torch, g, n, names, "", "PyTorch text");
      if (n.differentiable) out += after(py);  // no gradient: integers (argmax) and constants (zeros)
    } else {
      out += py + " = " + array_text(n.value, numpy);
      out += n.kind == NodeKind::Constant ? "  # " + n.name + " in the program\n" : "\n";
    }
  }
  return out;
}

// `nodes = [("W", W), ...]`: every node gradscope shows, by its name in the program.
std::string node_list(const Graph& g, const PythonNames& names) {
  std::string out = "nodes = [";
  bool first = true;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    if (g.nodes[i].kind == NodeKind::Constant) continue;
    out += (first ? "(\"" : ", (\"") + g.nodes[i].name + "\", " + names.of[i] + ")";
    first = false;
  }
  return out + "]\n";
}

}  // namespace

std::string export_numpy(const Graph& g) {
  const PythonNames names = python_names(g);
  std::string out = header(
      "the forward pass and the backward pass in NumPy (float64),\n"
      "# one vector-Jacobian product per node, as the course notebook does by hand.\n",
      names, "import numpy as np\n");
  std::set<std::string> helpers;
  for (const Node& n : g.nodes)
    if (n.kind == NodeKind::Op && n.op->numpy_helpers && *n.op->numpy_helpers &&
        helpers.insert(n.op->numpy_helpers).second)
      out += std::string(n.op->numpy_helpers) + "\n";
  out += "# forward\n" + forward_lines(g, names, true, [](const std::string&) { return std::string(); });
  if (g.output < 0) return out;
  const std::string& f = g.node(g.output).name;
  out += "\n# backward: grad[name] is the gradient of " + f + " with respect to name\ngrad = {}\n";
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (g.nodes[i].kind != NodeKind::Constant)
      out += "grad[\"" + g.nodes[i].name + "\"] = np.zeros_like(" + names.of[i] + ")\n";
  out += "grad[\"" + f + "\"] = np.ones((1, 1))\n";
  for (size_t i = g.nodes.size(); i-- > 0;) {
    const Node& n = g.nodes[i];
    if (n.kind != NodeKind::Op || !n.feeds_output || !n.differentiable) continue;  // gradscope sends nothing from these either
    for (int k = 0; k < n.arity(); ++k) {
      const Node& src = g.node(n.inputs[k]);
      if (src.kind == NodeKind::Constant || !src.differentiable) continue;
      out += assign("grad[\"" + src.name + "\"]", "+=", n.op->numpy_vjp_for(k), g, n, names,
                    "grad[\"" + n.name + "\"]", "NumPy VJP", k);
    }
  }
  out += "\n" + node_list(g, names);
  out += "for name, value in nodes:\n";
  out += "    print(name, \"value:\\n\", value, \"\\ngrad:\\n\", grad[name], \"\\n\")\n";
  return out;
}

std::string export_pytorch(const Graph& g) {
  const PythonNames names = python_names(g);
  std::string out = header(
      "the same computation in PyTorch, with the gradient of\n"
      "# the output kept for every node (retain_grad), as gradscope shows them. Numbers in the\n"
      "# program are tensors that require grad too, so that nodes computed from them alone also\n"
      "# get gradients, as in gradscope.\n",
      names, "import torch\n");
  out += forward_lines(g, names, false, [](const std::string& py) { return py + ".retain_grad()\n"; });
  if (g.output < 0) return out;
  const std::string& f = names.of[size_t(g.output)];
  // An output made of values without a gradient (sum(zeros(2, 2))) still has df/df = 1.
  if (!g.node(g.output).differentiable) out += "\n" + f + ".requires_grad_()  # computed from constants alone";
  out += "\n" + f + ".backward()\n\n" + node_list(g, names);
  out += "for name, t in nodes:\n";
  out += "    grad = t.grad if t.grad is not None else torch.zeros_like(t)  # None: the output does not read it\n";
  out += "    print(name, \"value:\\n\", t.detach().numpy(), \"\\ngrad:\\n\", grad.numpy(), \"\\n\")\n";
  return out;
}

}  // namespace gs
