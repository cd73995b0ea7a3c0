// Cell-level chain rule for the hover tooltip. A story is chosen from the op's record:
// matrix product, broadcast arithmetic, elementwise functions, transpose, and the ops that
// read a whole column or matrix (softmax, sums, losses). Every number in a story is the
// engine's own (values, or the VJP applied to a unit seed), never recomputed here.
#include "ui/cell_story.h"

#include <algorithm>

#include "ui/panels.h"

namespace gs::ui {
namespace {

enum class Kind { Matmul, Broadcast, Elementwise, Transpose, Whole };

// The story family of an op, from its record: its shape rule says most of it.
Kind kind_of(const OpDef* op) {
  if (op == find_op("matmul")) return Kind::Matmul;
  if (op == find_op("transpose")) return Kind::Transpose;
  if (op->arity == 2 && op->shape == find_op("add")->shape) return Kind::Broadcast;
  if (op->arity == 1 && op->shape == find_op("sigmoid")->shape && op != find_op("softmax") &&
      op != find_op("log_softmax"))
    return Kind::Elementwise;
  return Kind::Whole;
}

constexpr int kMaxTerms = 6;  // longer sums are shortened with "+ ..."

std::string num(double v) { return format_short(v, 4); }
std::string at(const std::string& name, long r, long c) {
  return name + "[" + std::to_string(r) + "][" + std::to_string(c) + "]";
}
std::string dname(const Graph& g, const Node& n) { return "d" + g.node(g.output).name + "/d" + n.name; }

// Input k of `user` applied to the gradient `gout`: the VJP on its own.
Matrix vjp_of(const Graph& g, int user, int k, const Matrix& gout) {
  const Node& n = g.node(user);
  const Node& src = g.node(n.inputs[k]);
  Matrix out = Matrix::Zero(src.value.rows(), src.value.cols());
  const Matrix* in[2] = {&g.node(n.inputs[0]).value, n.inputs[1] >= 0 ? &g.node(n.inputs[1]).value : nullptr};
  Matrix* gin[2] = {nullptr, nullptr};
  gin[k] = &out;
  add_vjp(*n.op, in, n.attr, n.value, gout, gin);
  return out;
}

// d user[ur][uc] / d input_k[r][c]: the VJP of a unit seed.
double local(const Graph& g, int user, int k, long ur, long uc, long r, long c) {
  const Node& n = g.node(user);
  Matrix seed = Matrix::Zero(n.value.rows(), n.value.cols());
  seed(ur, uc) = 1;
  return vjp_of(g, user, k, seed)(r, c);
}

// Where input k's entry comes from for output entry (r, c) under broadcasting.
long bi(long i, long n) { return n == 1 ? 0 : i; }

std::string value_story(const Graph& g, int id, long r, long c, std::vector<CellRef>& reads) {
  const Node& n = g.node(id);
  const std::string self = at(n.name, r, c);
  if (n.kind == NodeKind::Input) return self + " = " + num(n.value(r, c)) + "  (an input)";
  if (n.kind == NodeKind::Constant) return self + " = " + num(n.value(r, c)) + "  (a constant)";
  const Node& a = g.node(n.inputs[0]);
  std::string words, numbers;
  switch (kind_of(n.op)) {
    case Kind::Matmul: {
      const Node& b = g.node(n.inputs[1]);
      words = self + " = row " + std::to_string(r) + " of " + a.name + " . column " + std::to_string(c) + " of " +
              b.name + "\n  = ";
      for (long k = 0; k < a.value.cols(); ++k) {
        reads.push_back({n.inputs[0], false, int(r), int(k)});
        reads.push_back({n.inputs[1], false, int(k), int(c)});
        if (k == kMaxTerms) numbers += " + ...";
        if (k >= kMaxTerms) continue;
        words += (k ? " + " : "") + at(a.name, r, k) + "*" + at(b.name, k, c);
        numbers += (k ? " + " : "") + num(a.value(r, k)) + "*" + num(b.value(k, c));
      }
      break;
    }
    case Kind::Broadcast: {
      const Node& b = g.node(n.inputs[1]);
      long ar = bi(r, a.value.rows()), ac = bi(c, a.value.cols()), br = bi(r, b.value.rows()), bc = bi(c, b.value.cols());
      reads.push_back({n.inputs[0], false, int(ar), int(ac)});
      reads.push_back({n.inputs[1], false, int(br), int(bc)});
      const std::string op = std::string(" ") + n.op->symbol + " ";
      words = self + " = " + at(a.name, ar, ac) + op + at(b.name, br, bc);
      numbers = num(a.value(ar, ac)) + op + num(b.value(br, bc));
      break;
    }
    case Kind::Elementwise:
    case Kind::Transpose: {
      bool t = kind_of(n.op) == Kind::Transpose;
      long ir = t ? c : r, ic = t ? r : c;
      reads.push_back({n.inputs[0], false, int(ir), int(ic)});
      std::string x = at(a.name, ir, ic), v = num(a.value(ir, ic));
      if (t) words = self + " = " + x;
      else if (!n.op->symbol) words = self + " = " + n.op->name + "(" + x + ")", numbers = std::string(n.op->name) + "(" + v + ")";
      else if (n.op->symbol[0] == '^') words = self + " = " + x + " ^ " + num(n.attr), numbers = v + " ^ " + num(n.attr);
      else words = self + " = -" + x, numbers = "-(" + v + ")";
      break;
    }
    case Kind::Whole:
      for (int k = 0; k < n.arity(); ++k) {
        const Node& in = g.node(n.inputs[k]);
        for (long i = 0; i < in.value.rows() && in.value.size() <= 64; ++i)
          for (long j = 0; j < in.value.cols(); ++j)
            if (n.value.size() == 1 || j == c) reads.push_back({n.inputs[k], false, int(i), int(j)});
      }
      words = self + ": " + fill_template(g, id, n.op->formula) +
              (n.value.size() == 1 ? "  (reads every entry)" : "  (reads column " + std::to_string(c) + ")");
      break;
  }
  return words + (numbers.empty() ? "" : "\n  = " + numbers) + "\n  = " + num(n.value(r, c));
}

// One user's share of d(node)[r][c], with the cells it reads.
std::string share_story(const Graph& g, int user, int k, long r, long c, std::vector<CellRef>& reads, double& total) {
  const Node& u = g.node(user);
  const Node& x = g.node(u.inputs[k]);
  const Matrix part = vjp_of(g, user, k, u.grad);
  total += part(r, c);
  const std::string dx = "d" + x.name + at("", r, c), du = "d" + u.name;
  std::string s;
  switch (kind_of(u.op)) {
    case Kind::Matmul: {
      // dA[r][c] = sum_j dZ[r][j] B[c][j];  dB[r][c] = sum_i A[i][r] dZ[i][c]
      const Node& other = g.node(u.inputs[1 - k]);
      const long terms = k == 0 ? u.value.cols() : u.value.rows();
      std::string words, numbers;
      for (long j = 0; j < terms; ++j) {
        long zr = k == 0 ? r : j, zc = k == 0 ? j : c, orow = k == 0 ? c : j, ocol = k == 0 ? j : r;
        reads.push_back({user, true, int(zr), int(zc)});
        reads.push_back({u.inputs[1 - k], false, int(orow), int(ocol)});
        if (j == kMaxTerms) numbers += " + ...";
        if (j >= kMaxTerms) continue;
        std::string dz = at(du, zr, zc), o = at(other.name, orow, ocol);
        words += (j ? " + " : "") + (k == 0 ? dz + "*" + o : o + "*" + dz);
        numbers += (j ? " + " : "") + (k == 0 ? num(u.grad(zr, zc)) + "*" + num(other.value(orow, ocol))
                                               : num(other.value(orow, ocol)) + "*" + num(u.grad(zr, zc)));
      }
      s = dx + " += " + words + "\n  = " + numbers;
      break;
    }
    case Kind::Broadcast:
    case Kind::Elementwise:
    case Kind::Transpose: {
      // The entries of `user` this entry reached: one, or a whole row or column when broadcast.
      const bool t = kind_of(u.op) == Kind::Transpose;
      const long rows = u.value.rows(), cols = u.value.cols();
      const bool over_rows = !t && x.value.rows() == 1 && rows > 1, over_cols = !t && x.value.cols() == 1 && cols > 1;
      if (over_rows || over_cols)
        s = x.name + " was used for every " + (over_cols ? "column" : "row") + " of " + u.name + ", so " + dx +
            " sums " + du + " over the " + (over_cols ? "columns" : "rows") + ":\n";
      std::string words, numbers;
      int n = 0;
      for (long i = over_rows ? 0 : t ? c : r; i < (over_rows ? rows : (t ? c : r) + 1); ++i)
        for (long j = over_cols ? 0 : t ? r : c; j < (over_cols ? cols : (t ? r : c) + 1); ++j, ++n) {
          reads.push_back({user, true, int(i), int(j)});
          if (n == kMaxTerms) numbers += " + ...";
          if (n >= kMaxTerms) continue;
          double l = local(g, user, k, i, j, r, c);
          words += (n ? " + " : "") + at(du, i, j) + (l == 1 ? "" : " * d" + u.name + "/d" + x.name);
          numbers += (n ? " + " : "") + num(u.grad(i, j)) + (l == 1 ? "" : "*" + num(l));
        }
      s += dx + " += " + words + "\n  = " + numbers;
      s += "\n  (" + fill_template(g, user, kind_of(u.op) == Kind::Elementwise ? u.op->local : u.op->chain[k]) + ")";
      break;
    }
    case Kind::Whole: {
      std::string terms;
      int n = 0;
      for (long i = 0; i < u.value.rows(); ++i)
        for (long j = 0; j < u.value.cols(); ++j) {
          double l = local(g, user, k, i, j, r, c);
          if (l == 0) continue;
          reads.push_back({user, true, int(i), int(j)});
          if (n == kMaxTerms) terms += " + ...";
          if (n++ < kMaxTerms) terms += (terms.empty() ? "" : " + ") + num(u.grad(i, j)) + "*" + num(l);
        }
      s = dx + " += " + du + " * d" + u.name + "/d" + x.name + "   (" + fill_template(g, user, u.op->chain[k]) +
          ")\n  = " + (terms.empty() ? "0" : terms);
      break;
    }
  }
  return s + "\n  = " + num(part(r, c));
}

std::string grad_story(const Graph& g, int id, long r, long c, std::vector<CellRef>& reads) {
  const Node& n = g.node(id);
  const std::string self = "d" + n.name + at("", r, c);
  if (id == g.output) return self + " = 1: the backward pass starts here (d" + n.name + "/d" + n.name + " = 1)";
  std::string s;
  double total = 0;
  int users = 0;
  for (size_t u = size_t(id) + 1; u < g.nodes.size(); ++u)
    for (int k = 0; k < g.nodes[u].arity(); ++k)
      if (g.nodes[u].inputs[k] == id && g.nodes[u].feeds_output) {
        s += (users++ ? "\n" : "") + std::string("from ") + g.nodes[u].name + ":\n" +
             share_story(g, int(u), k, r, c, reads, total);
      }
  if (!users) return self + " = 0: " + g.node(g.output).name + " does not depend on " + n.name;
  return "d" + g.node(g.output).name + "/d" + at(n.name, r, c) + " = " + num(n.grad(r, c)) + "\n" + s +
         (users > 1 ? "\nsum of the shares = " + num(total) : "");
}

}  // namespace

Matrix contribution(const Graph& g, int user, int k) { return vjp_of(g, user, k, g.node(user).grad); }

std::string cell_story(const AppState& s, const Graph& g, const CellRef& cell, std::vector<CellRef>& reads) {
  const Node& n = g.node(cell.node);
  const double v = cell.grad ? n.grad(cell.row, cell.col) : n.value(cell.row, cell.col);
  const std::string plain = (cell.grad ? dname(g, n) : n.name) + at("", cell.row, cell.col) + " = ";
  // While a question is open, or the step-through has not reached it, the cell tells nothing.
  const bool unknown = is_hidden(s, cell.node, cell.grad) || (cell.grad && !shows_gradient(s, cell.node)) ||
                       (s.stepper.active() && (cell.grad ? s.stepper.grad_state(cell.node) == GradState::Unknown
                                                         : !s.stepper.value_known(cell.node)));
  if (unknown) return plain + "?";
  if (exercise_pending(s) || s.stepper.active() || n.value.size() > 4096) return plain + format_number(v);
  return cell.grad ? grad_story(g, cell.node, cell.row, cell.col, reads)
                   : value_story(g, cell.node, cell.row, cell.col, reads);
}

}  // namespace gs::ui
