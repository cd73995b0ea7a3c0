// `gradscope export --to latex`. Each op's LaTeX comes from its record (OpDef::latex and
// latex_chain); this file names the nodes, writes the numbers and orders the lines: the
// forward pass in program order, the chain rule from the output down (each contribution with
// its numbers), then every gradient.
#include "export_latex.h"

#include "cell_story.h"

#include <cctype>
#include <cmath>
#include <cstring>
#include <string_view>
#include <vector>

#include "cell_story.h"
#include "ops.h"

namespace gs {
namespace {

constexpr Eigen::Index kShown = 8;  // rows or columns beyond this are elided

std::string number(double v) {
  if (std::isnan(v)) return "\\mathrm{NaN}";
  if (std::isinf(v)) return v > 0 ? "\\infty" : "-\\infty";
  std::string s = format_short(v, 4);
  size_t e = s.find('e');
  if (e == std::string::npos) return s;
  std::string exponent = s.substr(e + 1);
  if (exponent[0] == '+') exponent.erase(0, 1);
  size_t digits = exponent[0] == '-' ? 1 : 0;
  while (exponent.size() > digits + 1 && exponent[digits] == '0') exponent.erase(digits, 1);
  return s.substr(0, e) + " \\times 10^{" + exponent + "}";
}

std::string shape_text(const Matrix& m) { return std::to_string(m.rows()) + " \\times " + std::to_string(m.cols()); }

// The rows (or columns) shown: all, or the first three, a gap (-1) and the last.
std::vector<Eigen::Index> shown(Eigen::Index n) {
  std::vector<Eigen::Index> out;
  if (n <= kShown) {
    for (Eigen::Index i = 0; i < n; ++i) out.push_back(i);
  } else {
    out = {0, 1, 2, -1, n - 1};
  }
  return out;
}

// A node as an operand: its name, or a constant's value written out.
std::string operand(const Graph& g, int id) {
  const Node& n = g.node(id);
  if (n.kind != NodeKind::Constant) return latex_name(n.name);
  if (n.value.size() != 1) return latex_matrix(n.value);
  const double v = n.value(0, 0);
  return v < 0 ? "(" + number(v) + ")" : number(v);
}

std::string grad_of(const Graph& g, int id) {
  return "\\frac{\\partial " + latex_name(g.node(g.output).name) + "}{\\partial " + latex_name(g.node(id).name) + "}";
}

// An op's text with the node's names, numbers and shapes written in (see OpDef::latex).
std::string fill(const Graph& g, int id, const char* text) {
  const Node& n = g.node(id);
  const Node& in0 = g.node(n.arity() ? n.inputs[0] : id);  // zeros(r, c) has no inputs
  auto broadcast = [&](int k) {
    if (k >= n.arity()) return std::string();
    const Matrix& v = g.node(n.inputs[k]).value;
    return v.rows() == n.value.rows() && v.cols() == n.value.cols()
               ? std::string()
               : "\\operatorname{unbroadcast}_{" + shape_text(v) + "}";
  };
  const std::pair<const char*, std::string> keys[] = {
      {"out", latex_name(n.name)},
      {"bc0", broadcast(0)},
      {"bc1", broadcast(1)},
      {"s0", shape_text(in0.value)},
      {"0", operand(g, n.inputs[0])},
      {"1", n.arity() > 1 ? operand(g, n.inputs[1]) : std::string()},
      {"g", grad_of(g, id)},
      {"p", number(n.attr)},
      {"N", std::to_string(in0.value.size())},
      {"n", std::to_string(in0.value.cols())},
  };
  std::string out;
  for (const char* p = text; *p; ++p) {
    bool replaced = false;
    if (*p == '@')
      for (const auto& [key, with] : keys)
        if (std::string_view(p + 1).substr(0, std::strlen(key)) == key) {
          out += with;
          p += std::strlen(key);
          replaced = true;
          break;
        }
    if (!replaced) out += *p;
  }
  return out;
}

std::string forward(const Graph& g, int id) {
  const Node& n = g.node(id);
  if (n.op->latex && *n.op->latex) return fill(g, id, n.op->latex);
  std::string args = operand(g, n.inputs[0]) + (n.arity() > 1 ? ", " + operand(g, n.inputs[1]) : "");
  std::string name;
  for (const char* c = n.op->name; *c; ++c) name += *c == '_' ? std::string("\\_") : std::string(1, *c);
  return "\\operatorname{" + name + "}(" + args + ")";
}

// Input k's share of node `id`'s gradient, as the backward sweep adds it.
Matrix contribution(const Graph& g, int id, int k) { return vjp_share(g, id, k, g.node(id).grad); }  // any arity

std::string align(const std::vector<std::string>& rows) {
  std::string out = "\\begin{align*}\n";
  for (size_t i = 0; i < rows.size(); ++i) out += rows[i] + (i + 1 < rows.size() ? " \\\\\n" : "\n");
  return out + "\\end{align*}\n";
}

}  // namespace

std::string latex_name(const std::string& name) {
  size_t digits = name.size();
  while (digits > 0 && std::isdigit(static_cast<unsigned char>(name[digits - 1]))) --digits;
  if (digits == 0) return name;  // a number
  const std::string index = name.substr(digits);
  if (!index.empty() && digits > 1 && name[digits - 1] == '_') --digits;  // "matmul_1": matmul with index 1
  std::string base;
  for (size_t i = 0; i < digits; ++i) base += name[i] == '_' ? std::string("\\_") : std::string(1, name[i]);
  if (digits != 1 || !std::isalpha(static_cast<unsigned char>(name[0]))) base = "\\mathit{" + base + "}";
  return index.empty() ? base : base + "_{" + index + "}";
}

std::string latex_matrix(const Matrix& m) {
  if (m.size() == 1) return number(m(0, 0));  // a scalar reads as a number
  const std::vector<Eigen::Index> rows = shown(m.rows()), cols = shown(m.cols());
  std::string out = "\\begin{bmatrix}";
  for (size_t r = 0; r < rows.size(); ++r) {
    out += r ? " \\\\ " : " ";
    for (size_t c = 0; c < cols.size(); ++c) {
      if (c) out += " & ";
      if (rows[r] < 0) out += cols[c] < 0 ? "\\ddots" : "\\vdots";
      else out += cols[c] < 0 ? "\\cdots" : number(m(rows[r], cols[c]));
    }
  }
  return out + " \\end{bmatrix}";
}

std::string export_latex(const Graph& g, const std::string& label) {
  std::string out =
      "% Generated by gradscope: the forward pass and the chain rule of " + label + " in matrix form.\n"
      "% Needs \\usepackage{amsmath}. \\odot and \\oslash are the entrywise product and division,\n"
      "% A^{\\circ p} an entrywise power, \\mathbf{1} a vector or matrix of ones, and unbroadcast sums a\n"
      "% gradient over the rows or columns that broadcasting repeated. Shapes are rows x columns.\n";
  std::vector<std::string> rows;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    if (n.kind == NodeKind::Constant) continue;
    std::string rhs = n.kind == NodeKind::Op ? forward(g, int(i)) + " = " : "";
    rows.push_back(latex_name(n.name) + " &= " + rhs + latex_matrix(n.value) + " && " + shape_text(n.value));
  }
  out += "\\noindent\\textbf{Forward pass.}\n" + align(rows);
  if (g.output < 0) return out;
  const Node& f = g.node(g.output);
  rows = {grad_of(g, g.output) + " &= " +
          (f.value.size() == 1 ? std::string("1") : "\\mathbf{1}_{" + shape_text(f.value) + "}")};
  for (size_t i = g.nodes.size(); i-- > 0;) {
    const Node& n = g.nodes[i];
    if (n.kind != NodeKind::Op || !n.feeds_output) continue;  // the sweep sends nothing from these
    int shares = 0;  // the contributions this node's gradient is the sum of
    for (const Node& user : g.nodes)
      for (int k = 0; k < user.arity(); ++k) shares += user.kind == NodeKind::Op && user.feeds_output && user.inputs[k] == int(i);
    if (shares > 1)
      rows.push_back(grad_of(g, int(i)) + " &= " + latex_matrix(n.grad) + " && \\text{all shares in}");
    for (int k = 0; k < n.arity(); ++k) {
      if (g.node(n.inputs[k]).kind == NodeKind::Constant) continue;
      const char* chain = n.op->latex_chain[n.op->arity == kAnyArity ? 0 : k];
      std::string rule = chain && *chain ? fill(g, int(i), chain) : "\\text{(" + std::string(n.op->name) + ")}";
      rows.push_back(grad_of(g, n.inputs[k]) + " &\\mathrel{+}= " + rule + " = " +
                     latex_matrix(contribution(g, int(i), k)) + " && \\text{from } " + latex_name(n.name));
    }
  }
  out += "\\noindent\\textbf{Backward pass (the chain rule, from the output down).}\n" + align(rows);
  rows.clear();
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (g.nodes[i].kind == NodeKind::Input)
      rows.push_back(grad_of(g, int(i)) + " &= " + latex_matrix(g.nodes[i].grad) + " && " + shape_text(g.nodes[i].grad));
  if (!rows.empty()) out += "\\noindent\\textbf{Gradients of the inputs.}\n" + align(rows);
  return out;
}

}  // namespace gs
