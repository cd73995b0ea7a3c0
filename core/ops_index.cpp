// Indexing: rows, columns and single entries picked by integer indices (X[I], X[:, J],
// X[I, J], slices and embedding lookups C[Xb]). The gradient is scattered back, added where an
// index repeats; the indices themselves get none. An index that is not a whole number within
// range reads as nan here (compile() refuses such programs with a located message first).
#include <algorithm>
#include <cmath>

#include "cell_story.h"
#include "grad.h"
#include "graph.h"
#include "ops.h"

namespace gs {
namespace {

// Entry k of an index vector as a position in 0..n-1 (negative counts from the end), or -1.
long position(const Matrix& index, Eigen::Index k, long n) {
  double v = index.data()[index.size() == 1 ? 0 : k];
  if (!(v == std::floor(v)) || v < -double(n) || v >= double(n)) return -1;
  return long(v < 0 ? v + double(n) : v);
}

bool is_vector(Shape s) { return s.rows == 1 || s.cols == 1; }

// The NumPy export's scatter: each entry of the gradient added back where it was read from.
const char* const kScatter =
    "def scatter_rows(g, i, like):  # the gradient of like[i]: row r of g goes back to row i[r], repeats add\n"
    "    out = np.zeros_like(like)\n"
    "    np.add.at(out, i.astype(int).ravel(), g)\n"
    "    return out\n"
    "def scatter_pairs(g, i, j, like):  # the gradient of like[i, j]: entry r of g goes back to (i[r], j[r])\n"
    "    out = np.zeros_like(like)\n"
    "    np.add.at(out, (i.astype(int).ravel(), j.astype(int).ravel()), g.ravel())\n"
    "    return out\n"
    "def no_grad(g, like):  # an index gets no gradient\n"
    "    return np.zeros_like(like)\n";

[[maybe_unused]] const char* const kNoGradLatex = "\\mathbf{0} \\ (\\text{an index: } @g \\text{ does not reach it})";

// --- cell stories: entry (r, c) of a gather is one entry of X, picked by index entries ------

std::string at(const std::string& name, long r, long c) {
  return name + "[" + std::to_string(r) + "][" + std::to_string(c) + "]";
}

// Which inputs of a gather hold row and column indices (0: none, the row is r or the column c)
// and whether their entry r or entry c was read: X[I], X[:, J], X[I, J].
struct Picking {
  int row_index, col_index;
  bool by_col;
};
constexpr Picking kPicking[3] = {{1, 0, false}, {0, 1, true}, {1, 2, false}};

// The entry of X that entry (r, c) of gather `n` copies; with `why`, also the index entries
// that picked it ("row I[2][0] = 1"), read into `reads`.
std::pair<long, long> source(const Graph& g, const Node& n, const Picking& p, long r, long c, std::string* why = nullptr,
                             std::vector<CellRef>* reads = nullptr) {
  const Matrix& x = g.node(n.inputs[0]).value;  // (rows, cols)
  long i = r, j = c;
  for (int in : {p.row_index, p.col_index}) {
    if (!in) continue;
    const Node& index = g.node(n.inputs[size_t(in)]);
    const long e = index.value.size() == 1 ? 0 : p.by_col ? c : r;  // its entry e, in a column or a row
    const long er = index.value.cols() == 1 ? e : 0, ec = index.value.cols() == 1 ? 0 : e;
    (in == p.row_index ? i : j) = position(index.value, e, long(in == p.row_index ? x.rows() : x.cols()));
    if (!why) continue;
    reads->push_back({n.inputs[size_t(in)], false, int(er), int(ec)});
    *why += (why->empty() ? "" : ", ") + std::string(in == p.row_index ? "row " : "column ") + at(index.name, er, ec) +
            " = " + format_short(index.value(er, ec), 4);
  }
  return {i, j};
}

std::string picked_value(const Graph& g, int id, long r, long c, std::vector<CellRef>& reads, int kind) {
  const Node& n = g.node(id);
  std::string why;
  auto [i, j] = source(g, n, kPicking[kind], r, c, &why, &reads);
  reads.push_back({n.inputs[0], false, int(i), int(j)});
  return at(n.name, r, c) + " = " + at(g.node(n.inputs[0]).name, i, j) + "  (" + why + ")";
}

// X's entry (r, c) gets the gradient of every copy of it; an index gets none.
std::string picked_share(const Graph& g, int user, int k, long r, long c, std::vector<CellRef>& reads, int kind) {
  const Node& u = g.node(user);
  const Node& x = g.node(u.inputs[size_t(k)]);
  const std::string dx = "d" + at(x.name, r, c);
  if (k > 0) return dx + " += 0  (" + x.name + " holds indices, which get no gradient)";
  std::string words, numbers;
  int n = 0;
  for (long i = 0; i < u.value.rows(); ++i)
    for (long j = 0; j < u.value.cols(); ++j) {
      if (source(g, u, kPicking[kind], i, j) != std::pair<long, long>(r, c)) continue;
      reads.push_back({user, true, int(i), int(j)});
      if (n == 6) numbers += " + ...";
      if (n++ >= 6) continue;
      words += (words.empty() ? "" : " + ") + at("d" + u.name, i, j);
      numbers += (numbers.empty() ? "" : " + ") + format_short(u.grad(i, j), 4);
    }
  if (!n) return dx + " += 0  (no entry of " + u.name + " is a copy of " + at(x.name, r, c) + ")";
  return dx + " += " + words + "  (" + (n > 1 ? "each copy of " : "the copy of ") + at(x.name, r, c) + " in " +
         u.name + ")\n  = " + numbers;
}

}  // namespace

// One body for the three gathers (templates would copy it three times into the browser build).
#define GS_GATHER_STORY(kind)                                                                                  \
  {[](const Graph& g, int id, long r, long c, std::vector<CellRef>& reads) {                                  \
     return picked_value(g, id, r, c, reads, kind);                                                            \
   },                                                                                                          \
   [](const Graph& g, int user, int k, long r, long c, std::vector<CellRef>& reads) {                          \
     return picked_share(g, user, k, r, c, reads, kind);                                                       \
   }}
const CellStory kGatherStories[3] = {GS_GATHER_STORY(0), GS_GATHER_STORY(1), GS_GATHER_STORY(2)};
#undef GS_GATHER_STORY

const std::vector<OpDef> kIndexOps = {
    {
        .name = "gather_rows", .symbol = "[", .arity = 2,
        .shape = [](const Shape* in, double, Shape& out) -> std::string {
          if (!is_vector(in[1])) return "the row index must be a number or an integer column (k, 1)";
          out = {int(in[1].size()), in[0].cols};
          return "";
        },
        .forward = [](const Matrix* const* in, double, Matrix& out) {
          for (Eigen::Index r = 0; r < out.rows(); ++r) {  // out (k, cols) = X[I]
            long i = position(*in[1], r, long(in[0]->rows()));
            if (i >= 0) move_block(*in[0], i, 0, out, r, 0, 1, out.cols(), false);
            else out.row(r).setConstant(NAN);
          }
        },
        .vjp = [](const Matrix* const* in, double, const Matrix& out, const Matrix& g, Grad* const* gin) {
          if (!gin[0]) return;  // the index (input 1) gets no gradient
          Matrix& dx = gin[0]->accumulator();
          for (Eigen::Index r = 0; r < out.rows(); ++r)  // dX[I[r]] += G[r]
            if (long i = position(*in[1], r, long(in[0]->rows())); i >= 0) move_block(g, r, 0, dx, i, 0, 1, g.cols(), true);
        },
        .jvp = [](const Matrix* const* in, const Matrix* const* t, double, const Matrix& out, Matrix& tout, const OpDef&) {
          if (!t[0]) return;  // an index does not move
          for (Eigen::Index r = 0; r < out.rows(); ++r)  // dY[r] += dX[I[r]]
            if (long i = position(*in[1], r, long(in[0]->rows())); i >= 0) move_block(*t[0], i, 0, tout, r, 0, 1, tout.cols(), true);
        },
        .formula = "{out} = {0}[{1}]: row r of {out} is row {1}[r] of {0}",
        .local = "d{out}[r][c]/d{0}[{1}[r]][c] = 1; every other entry 0",
        .chain = {"d{0}[{1}[r]] += d{out}[r]  (scatter-add: a row read twice gets both)", "none: an index has no gradient"},
        .explain =
            "Indexing copies rows: row r of {out} is row {1}[r] of {0}, as in an embedding lookup. "
            "So the gradient goes back to the rows it came from, and a row picked twice collects "
            "both contributions. The indices are whole numbers: they get no gradient.",
        .story = &kGatherStories[0], .cell = nullptr,
        .torch = "{0}[{1}.detach().long().flatten()]",
        .numpy = "{0}[{1}.astype(int).ravel()]",
        .numpy_vjp = {"scatter_rows({g}, {1}, {0})", "no_grad({g}, {1})"},
        .numpy_helpers = kScatter,
        GS_CLI_ONLY(.latex = "@0[@1,\\, :]",
                    .latex_chain = {"\\operatorname{scatter}(@g \\to \\text{rows } @1)", kNoGradLatex},)
        .usage = "a[1]",
        GS_CLI_ONLY(.doc = "row 1 (negative from the end), (1, cols); a[I] for an integer column I (k, 1) gathers rows, "
               "(k, cols), as in an embedding lookup; a[0:2] slices rows",)
        .index_bound = [](const Shape* in, int k) { return k == 1 ? int(in[0].rows) : 0; },
    },
    {
        .name = "gather_cols", .symbol = "[:,", .arity = 2,
        .shape = [](const Shape* in, double, Shape& out) -> std::string {
          if (!is_vector(in[1])) return "the column index must be a number or an integer column (k, 1)";
          out = {in[0].rows, int(in[1].size())};
          return "";
        },
        .forward = [](const Matrix* const* in, double, Matrix& out) {
          for (Eigen::Index c = 0; c < out.cols(); ++c) {  // out (rows, k) = X[:, J]
            long j = position(*in[1], c, long(in[0]->cols()));
            if (j >= 0) move_block(*in[0], 0, j, out, 0, c, out.rows(), 1, false);
            else out.col(c).setConstant(NAN);
          }
        },
        .vjp = [](const Matrix* const* in, double, const Matrix& out, const Matrix& g, Grad* const* gin) {
          if (!gin[0]) return;
          Matrix& dx = gin[0]->accumulator();
          for (Eigen::Index c = 0; c < out.cols(); ++c)  // dX[:, J[c]] += G[:, c]
            if (long j = position(*in[1], c, long(in[0]->cols())); j >= 0) move_block(g, 0, c, dx, 0, j, g.rows(), 1, true);
        },
        .jvp = [](const Matrix* const* in, const Matrix* const* t, double, const Matrix& out, Matrix& tout, const OpDef&) {
          if (!t[0]) return;
          for (Eigen::Index c = 0; c < out.cols(); ++c)  // dY[:, c] += dX[:, J[c]]
            if (long j = position(*in[1], c, long(in[0]->cols())); j >= 0) move_block(*t[0], 0, j, tout, 0, c, tout.rows(), 1, true);
        },
        .formula = "{out} = {0}[:, {1}]: column c of {out} is column {1}[c] of {0}",
        .local = "d{out}[r][c]/d{0}[r][{1}[c]] = 1; every other entry 0",
        .chain = {"d{0}[:, {1}[c]] += d{out}[:, c]  (scatter-add)", "none: an index has no gradient"},
        .explain =
            "Indexing copies columns: column c of {out} is column {1}[c] of {0}. The gradient "
            "goes back to the columns it came from, added where a column is picked twice.",
        .story = &kGatherStories[1], .cell = nullptr,
        .torch = "{0}[:, {1}.detach().long().flatten()]",
        .numpy = "{0}[:, {1}.astype(int).ravel()]",
        .numpy_vjp = {"scatter_rows({g}.T, {1}, {0}.T).T", "no_grad({g}, {1})"},
        .numpy_helpers = kScatter,
        GS_CLI_ONLY(.latex = "@0[:,\\, @1]",
                    .latex_chain = {"\\operatorname{scatter}(@g \\to \\text{columns } @1)", kNoGradLatex},)
        .usage = "a[:, 1]",
        GS_CLI_ONLY(.doc = "column 1, (rows, 1); a[:, J] gathers the columns an integer column J lists; a[:, 0:2] slices",)
        .index_bound = [](const Shape* in, int k) { return k == 1 ? int(in[0].cols) : 0; },
    },
    {
        .name = "gather", .symbol = "[", .arity = 3,
        .shape = [](const Shape* in, double, Shape& out) -> std::string {
          if (!is_vector(in[1]) || !is_vector(in[2])) return "the indices must be numbers or integer columns (k, 1)";
          long long k = std::max(in[1].size(), in[2].size());
          if ((in[1].size() != k && in[1].size() != 1) || (in[2].size() != k && in[2].size() != 1))
            return "the row and column indices must have the same length (or one is a single number)";
          out = {int(k), 1};
          return "";
        },
        .forward = [](const Matrix* const* in, double, Matrix& out) {
          for (Eigen::Index r = 0; r < out.rows(); ++r) {  // out (k, 1): out[r] = X[I[r], J[r]]
            long i = position(*in[1], r, long(in[0]->rows())), j = position(*in[2], r, long(in[0]->cols()));
            out(r, 0) = i >= 0 && j >= 0 ? (*in[0])(i, j) : NAN;
          }
        },
        .vjp = [](const Matrix* const* in, double, const Matrix& out, const Matrix& g, Grad* const* gin) {
          if (!gin[0]) return;
          Matrix& dx = gin[0]->accumulator();
          for (Eigen::Index r = 0; r < out.rows(); ++r) {  // dX[I[r], J[r]] += G[r]
            long i = position(*in[1], r, long(in[0]->rows())), j = position(*in[2], r, long(in[0]->cols()));
            if (i >= 0 && j >= 0) dx(i, j) += g(r, 0);
          }
        },
        .jvp = [](const Matrix* const* in, const Matrix* const* t, double, const Matrix& out, Matrix& tout, const OpDef&) {
          if (!t[0]) return;
          for (Eigen::Index r = 0; r < out.rows(); ++r) {  // dY[r] += dX[I[r], J[r]]
            long i = position(*in[1], r, long(in[0]->rows())), j = position(*in[2], r, long(in[0]->cols()));
            if (i >= 0 && j >= 0) tout(r, 0) += (*t[0])(i, j);
          }
        },
        .formula = "{out} = {0}[{1}, {2}]: entry r of {out} is {0}[{1}[r]][{2}[r]]",
        .local = "d{out}[r]/d{0}[{1}[r]][{2}[r]] = 1; every other entry 0",
        .chain = {"d{0}[{1}[r]][{2}[r]] += d{out}[r]  (scatter-add)", "none: an index has no gradient",
                  "none: an index has no gradient"},
        .explain =
            "Picking one entry per row, as in logprobs[range(n), Yb]: entry r of {out} is "
            "{0}[{1}[r]][{2}[r]]. Each picked entry gets the gradient of its copy; every other "
            "entry of {0} gets 0. The indices get no gradient.",
        .story = &kGatherStories[2], .cell = nullptr,
        .torch = "{0}[{1}.detach().long().flatten(), {2}.detach().long().flatten()].reshape(-1, 1)",
        .numpy = "{0}[{1}.astype(int).ravel(), {2}.astype(int).ravel()].reshape(-1, 1)",
        .numpy_vjp = {"scatter_pairs({g}, {1}, {2}, {0})", "no_grad({g}, {1})", "no_grad({g}, {2})"},
        .numpy_helpers = kScatter,
        GS_CLI_ONLY(.latex = "@0[@1,\\, @2]",
                    .latex_chain = {"\\operatorname{scatter}(@g \\to (@1, @2))", kNoGradLatex, kNoGradLatex},)
        .usage = "a[1, 0]",
        GS_CLI_ONLY(.doc = "the entry in row 1, column 0, (1, 1); a[I, J] with integer columns of one length picks "
               "(I[r], J[r]) for each r, (k, 1), as in logprobs[range(n), Yb]",)
        .index_bound = [](const Shape* in, int k) { return k == 1 ? int(in[0].rows) : k == 2 ? int(in[0].cols) : 0; },
    },
};

int index_bound(const Graph& g, int node) {
  int bound = 0;
  for (const Node& n : g.nodes) {
    if (n.kind != NodeKind::Op || !n.op->index_bound) continue;
    std::vector<Shape> in;
    for (int id : n.inputs) in.push_back(g.node(id).shape());
    for (int k = 0; k < n.arity(); ++k)
      if (n.inputs[size_t(k)] == node)
        if (int b = n.op->index_bound(in.data(), k); b > 0) bound = bound ? std::min(bound, b) : b;
  }
  return bound;
}

}  // namespace gs
