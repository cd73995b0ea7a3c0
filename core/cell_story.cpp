// The cell-level chain rule the hover shows, by story family (entrywise, transposed, product,
// whole), and the op-text templates the inspector fills in.
#include "cell_story.h"

#include <cctype>
#include <cstring>

namespace gs {
namespace {

constexpr int kMaxTerms = 6;  // longer sums are shortened with "+ ..."

std::string num(double v) { return format_short(v, 4); }
std::string at(const std::string& name, long r, long c) {
  return name + "[" + std::to_string(r) + "][" + std::to_string(c) + "]";
}

// `text` with each "{key}" replaced by what `fill(key, so_far)` appends.
template <class F>
std::string expand(const char* text, F fill) {
  std::string result;
  for (const char* p = text; p && *p;) {
    const char* close = *p == '{' ? std::strchr(p, '}') : nullptr;
    if (*p == '{' && !close) break;
    if (close) fill(std::string(p + 1, close), result), p = close + 1;
    else result += *p++;
  }
  return result;
}

// d user[ur][uc] / d input_k[r][c]: the VJP of a unit seed.
double local(const Graph& g, int user, int k, long ur, long uc, long r, long c) {
  const Node& n = g.node(user);
  Matrix seed = Matrix::Zero(n.value.rows(), n.value.cols());
  seed(ur, uc) = 1;
  return vjp_share(g, user, k, seed)(r, c);
}

// Where input k's entry comes from for output entry (r, c) under broadcasting.
long bi(long i, long n) { return n == 1 ? 0 : i; }

// --- entrywise and transposed: each output entry reads one entry of each input ----------

std::string entry_value(const Graph& g, int id, long r, long c, std::vector<CellRef>& reads) {
  const Node& n = g.node(id);
  std::vector<std::string> names, numbers;
  for (int k = 0; k < n.arity(); ++k) {
    const Node& a = g.node(n.inputs[k]);
    long ar = bi(r, a.value.rows()), ac = bi(c, a.value.cols());
    reads.push_back({n.inputs[k], false, int(ar), int(ac)});
    names.push_back(at(a.name, ar, ac));
    numbers.push_back(num(a.value(ar, ac)));
  }
  auto with = [&](const std::vector<std::string>& entries) {
    return expand(n.op->cell, [&](const std::string& key, std::string& out) {
      out += key == "p" ? num(n.attr) : key == "1" ? entries.at(1) : entries.at(0);
    });
  };
  return at(n.name, r, c) + " = " + with(names) + "\n  = " + with(numbers);
}

std::string transposed_value(const Graph& g, int id, long r, long c, std::vector<CellRef>& reads) {
  const Node& n = g.node(id);
  reads.push_back({n.inputs[0], false, int(c), int(r)});
  return at(n.name, r, c) + " = " + at(g.node(n.inputs[0]).name, c, r);
}

// The entries of `user` that input k's entry (r, c) reached: one, or a whole row or column
// when broadcast, each with its gradient and local slope.
std::string entry_share(const Graph& g, int user, int k, long r, long c, std::vector<CellRef>& reads, bool t) {
  const Node& u = g.node(user);
  const Node& x = g.node(u.inputs[k]);
  const std::string dx = "d" + x.name + at("", r, c), du = "d" + u.name;
  const long rows = u.value.rows(), cols = u.value.cols();
  const bool over_rows = !t && x.value.rows() == 1 && rows > 1, over_cols = !t && x.value.cols() == 1 && cols > 1;
  std::string s;
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
      words += (n ? " + " : "") + at(du, i, j) + (l == 1 ? "" : " * " + derivative_label(u.name, x.name));
      numbers += (n ? " + " : "") + num(u.grad(i, j)) + (l == 1 ? "" : "*" + num(l));
    }
  // A function of one input says its local slope; the others how the gradient is routed.
  const char* rule = u.arity() == 1 && !t ? u.op->local : u.op->chain_for(k);
  return s + dx + " += " + words + "\n  = " + numbers + "\n  (" + fill_template(g, user, rule) + ")";
}

std::string entrywise_share(const Graph& g, int user, int k, long r, long c, std::vector<CellRef>& reads) {
  return entry_share(g, user, k, r, c, reads, false);
}
std::string transposed_share(const Graph& g, int user, int k, long r, long c, std::vector<CellRef>& reads) {
  return entry_share(g, user, k, r, c, reads, true);
}

// --- the matrix product: a row of one side . a column of the other -----------------------

std::string product_value(const Graph& g, int id, long r, long c, std::vector<CellRef>& reads) {
  const Node& n = g.node(id);
  const Node& a = g.node(n.inputs[0]);
  const Node& b = g.node(n.inputs[1]);
  std::string words = at(n.name, r, c) + " = row " + std::to_string(r) + " of " + a.name + " . column " +
                      std::to_string(c) + " of " + b.name + "\n  = ",
              numbers;
  for (long k = 0; k < a.value.cols(); ++k) {
    reads.push_back({n.inputs[0], false, int(r), int(k)});
    reads.push_back({n.inputs[1], false, int(k), int(c)});
    if (k == kMaxTerms) numbers += " + ...";
    if (k >= kMaxTerms) continue;
    words += (k ? " + " : "") + at(a.name, r, k) + "*" + at(b.name, k, c);
    numbers += (k ? " + " : "") + num(a.value(r, k)) + "*" + num(b.value(k, c));
  }
  return words + "\n  = " + numbers;
}

std::string product_share(const Graph& g, int user, int k, long r, long c, std::vector<CellRef>& reads) {
  // dA[r][c] = sum_j dZ[r][j] B[c][j];  dB[r][c] = sum_i A[i][r] dZ[i][c]
  const Node& u = g.node(user);
  const Node& other = g.node(u.inputs[1 - k]);
  const std::string dx = "d" + g.node(u.inputs[k]).name + at("", r, c), du = "d" + u.name;
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
  return dx + " += " + words + "\n  = " + numbers;
}

// --- ops that read a whole column or matrix: softmax, sums, losses ----------------------

std::string whole_value(const Graph& g, int id, long r, long c, std::vector<CellRef>& reads) {
  const Node& n = g.node(id);
  bool by_row = false;  // a row of the input stands for a row of the result: sum(X, 1), onehot(I, k)
  for (int k = 0; k < n.arity(); ++k) {
    const Node& in = g.node(n.inputs[k]);
    by_row = (n.value.cols() == 1) != (in.value.cols() == 1) && in.value.rows() == n.value.rows();
    for (long i = 0; i < in.value.rows() && in.value.size() <= 64; ++i)
      for (long j = 0; j < in.value.cols(); ++j)
        if (n.value.size() == 1 || (by_row ? i == r : j == c)) reads.push_back({n.inputs[k], false, int(i), int(j)});
  }
  return at(n.name, r, c) + ": " + fill_template(g, id, n.op->formula) +
         (n.value.size() == 1 ? "  (reads every entry)"
          : by_row            ? "  (reads row " + std::to_string(r) + ")"
                              : "  (reads column " + std::to_string(c) + ")");
}

// --- moved: entry (r, c) is one input entry, moved there (reshape, hstack, vstack) --------

// The input k and its entry (i, j) that entry (r, c) of node `id` was moved from, found as the
// one whose derivative (the VJP of a unit seed) is not 0.
std::string moved_value(const Graph& g, int id, long r, long c, std::vector<CellRef>& reads) {
  const Node& n = g.node(id);
  Matrix seed = Matrix::Zero(n.value.rows(), n.value.cols());
  seed(r, c) = 1;
  for (int k = 0; k < n.arity(); ++k) {
    const Matrix d = vjp_share(g, id, k, seed);  // (rows, cols) of input k
    for (long i = 0; i < d.rows(); ++i)
      for (long j = 0; j < d.cols(); ++j)
        if (d(i, j) != 0) {
          const Node& in = g.node(n.inputs[k]);
          reads.push_back({n.inputs[k], false, int(i), int(j)});
          return at(n.name, r, c) + " = " + at(in.name, i, j) + "  (" + fill_template(g, id, n.op->formula) + ")";
        }
  }
  return at(n.name, r, c) + ": " + fill_template(g, id, n.op->formula);
}

std::string whole_share(const Graph& g, int user, int k, long r, long c, std::vector<CellRef>& reads) {
  const Node& u = g.node(user);
  const Node& x = g.node(u.inputs[k]);
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
  return "d" + x.name + at("", r, c) + " += d" + u.name + " * " + derivative_label(u.name, x.name) + "   (" +
         fill_template(g, user, u.op->chain_for(k)) + ")\n  = " + (terms.empty() ? "0" : terms);
}

// --- axis reductions: entry (r, c) of sum(X, 0), max(X, 1) ... reduces one column or row ----

// "S[0][1] = sum(X[0][1], X[1][1])\n  = sum(5, 2)": the op's function of the line it reduces.
std::string line_value(const Graph& g, int id, long r, long c, std::vector<CellRef>& reads) {
  const Node& n = g.node(id);
  const Node& x = g.node(n.inputs[0]);
  const bool down = n.attr == 0;  // axis 0: down column c; axis 1: along row r
  std::string words, numbers;
  for (long k = 0; k < (down ? x.value.rows() : x.value.cols()); ++k) {
    const long i = down ? k : r, j = down ? c : k;
    reads.push_back({n.inputs[0], false, int(i), int(j)});
    if (k == kMaxTerms) words += ", ...", numbers += ", ...";
    if (k >= kMaxTerms) continue;
    words += (k ? ", " : "") + at(x.name, i, j);
    numbers += (k ? ", " : "") + num(x.value(i, j));
  }
  const std::string f = n.op->function ? n.op->function : n.op->name;  // "sum" for sum_axis
  return at(n.name, r, c) + " = " + f + "(" + words + ")  (" + (down ? "column " : "row ") +
         std::to_string(down ? c : r) + " of " + x.name + ")\n  = " + f + "(" + numbers + ")";
}

// X[r][c] reaches one entry of the result, the one reducing its line, with that entry's slope.
std::string line_share(const Graph& g, int user, int k, long r, long c, std::vector<CellRef>& reads) {
  const Node& u = g.node(user);
  const Node& x = g.node(u.inputs[k]);
  const long ur = u.attr == 0 ? 0 : r, uc = u.attr == 0 ? c : 0;
  reads.push_back({user, true, int(ur), int(uc)});
  return "d" + at(x.name, r, c) + " += " + at("d" + u.name, ur, uc) + " * d" + at(u.name, ur, uc) + "/d" +
         at(x.name, r, c) + "\n  = " + num(u.grad(ur, uc)) + "*" + num(local(g, user, k, ur, uc, r, c)) + "\n  (" +
         fill_template(g, user, u.op->chain_for(k)) + ")";
}

}  // namespace

const CellStory kAxisStory = {line_value, line_share};
const CellStory kEntrywiseStory = {entry_value, entrywise_share};
const CellStory kTransposedStory = {transposed_value, transposed_share};
const CellStory kProductStory = {product_value, product_share};
const CellStory kWholeStory = {whole_value, whole_share};
const CellStory kMovedStory = {moved_value, whole_share};

Matrix vjp_share(const Graph& g, int user, int k, const Matrix& gout) {
  const Node& n = g.node(user);
  const Node& src = g.node(n.inputs[k]);
  Matrix out = Matrix::Zero(src.value.rows(), src.value.cols());  // (rows, cols) of input k
  std::vector<const Matrix*> in;
  for (int id : n.inputs) in.push_back(&g.node(id).value);
  std::vector<Matrix*> gin(n.inputs.size(), nullptr);
  gin[size_t(k)] = &out;
  add_vjp(*n.op, in.data(), n.attr, n.value, gout, gin.data());
  return out;
}

std::string value_story(const Graph& g, int id, long r, long c, std::vector<CellRef>& reads) {
  const Node& n = g.node(id);
  const std::string self = at(n.name, r, c) + " = " + num(n.value(r, c));
  if (n.kind == NodeKind::Input) return self + "  (an input)";
  if (n.kind == NodeKind::Constant) return self + "  (a constant)";
  return n.op->story->value(g, id, r, c, reads) + "\n  = " + num(n.value(r, c));
}

std::string grad_story(const Graph& g, int id, long r, long c, std::vector<CellRef>& reads) {
  const Node& n = g.node(id);
  if (id == g.output)
    return "d" + n.name + at("", r, c) + " = 1: the backward pass starts here (" + grad_label(g, id) + " = 1)";
  std::string s;
  double total = 0;
  int users = 0;
  for (size_t u = size_t(id) + 1; u < g.nodes.size(); ++u)
    for (int k = 0; k < g.nodes[u].arity(); ++k)
      if (g.nodes[u].inputs[k] == id && g.nodes[u].feeds_output) {
        const double part = vjp_share(g, int(u), k, g.nodes[u].grad)(r, c);
        total += part;
        s += (users++ ? "\n" : "") + std::string("from ") + g.nodes[u].name + ":\n" +
             g.nodes[u].op->story->share(g, int(u), k, r, c, reads) + "\n  = " + num(part);
      }
  if (!users) return "d" + n.name + at("", r, c) + " = 0: " + g.node(g.output).name + " does not depend on " + n.name;
  return grad_label(g, id) + at("", r, c) + " = " + num(n.grad(r, c)) + "\n" + s +
         (users > 1 ? "\nsum of the shares = " + num(total) : "");
}

std::string fill_template(const Graph& g, int node, const char* text, bool shapes) {
  const Node& n = g.node(node);
  return expand(text, [&](const std::string& key, std::string& result) {
    bool is_grad = !result.empty() && result.back() == 'd' &&
                   (result.size() == 1 || !std::isalnum(static_cast<unsigned char>(result[result.size() - 2])));
    const bool index = !key.empty() && key.find_first_not_of("0123456789") == std::string::npos &&
                       std::stoul(key) < n.inputs.size();
    const Node* target = key == "out" ? &n : index ? &g.node(n.inputs[std::stoul(key)]) : nullptr;
    if (key == "p") {
      result += format_number(n.attr);
    } else if (target && shapes) {
      if (is_grad) result.pop_back();
      result += to_string(target->shape());
    } else if (target) {
      result += target->name;
    }
  });
}

}  // namespace gs
