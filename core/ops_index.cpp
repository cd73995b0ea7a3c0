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

}  // namespace

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
        GS_CLI_ONLY(.jvp = [](const Matrix* const* in, const Matrix* const* t, double, const Matrix& out, Matrix& tout) {
          if (!t[0]) return;  // an index does not move
          for (Eigen::Index r = 0; r < out.rows(); ++r)  // dY[r] += dX[I[r]]
            if (long i = position(*in[1], r, long(in[0]->rows())); i >= 0) move_block(*t[0], i, 0, tout, r, 0, 1, tout.cols(), true);
        },)
        .formula = "{out} = {0}[{1}]: row r of {out} is row {1}[r] of {0}",
        .local = "d{out}[r][c]/d{0}[{1}[r]][c] = 1; every other entry 0",
        .chain = {"d{0}[{1}[r]] += d{out}[r]  (scatter-add: a row read twice gets both)", "none: an index has no gradient"},
        .explain =
            "Indexing copies rows: row r of {out} is row {1}[r] of {0}, as in an embedding lookup. "
            "So the gradient goes back to the rows it came from, and a row picked twice collects "
            "both contributions. The indices are whole numbers: they get no gradient.",
        .story = &kWholeStory, .cell = nullptr,
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
        GS_CLI_ONLY(.jvp = [](const Matrix* const* in, const Matrix* const* t, double, const Matrix& out, Matrix& tout) {
          if (!t[0]) return;
          for (Eigen::Index c = 0; c < out.cols(); ++c)  // dY[:, c] += dX[:, J[c]]
            if (long j = position(*in[1], c, long(in[0]->cols())); j >= 0) move_block(*t[0], 0, j, tout, 0, c, tout.rows(), 1, true);
        },)
        .formula = "{out} = {0}[:, {1}]: column c of {out} is column {1}[c] of {0}",
        .local = "d{out}[r][c]/d{0}[r][{1}[c]] = 1; every other entry 0",
        .chain = {"d{0}[:, {1}[c]] += d{out}[:, c]  (scatter-add)", "none: an index has no gradient"},
        .explain =
            "Indexing copies columns: column c of {out} is column {1}[c] of {0}. The gradient "
            "goes back to the columns it came from, added where a column is picked twice.",
        .story = &kWholeStory, .cell = nullptr,
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
        GS_CLI_ONLY(.jvp = [](const Matrix* const* in, const Matrix* const* t, double, const Matrix& out, Matrix& tout) {
          if (!t[0]) return;
          for (Eigen::Index r = 0; r < out.rows(); ++r) {  // dY[r] += dX[I[r], J[r]]
            long i = position(*in[1], r, long(in[0]->rows())), j = position(*in[2], r, long(in[0]->cols()));
            if (i >= 0 && j >= 0) tout(r, 0) += (*t[0])(i, j);
          }
        },)
        .formula = "{out} = {0}[{1}, {2}]: entry r of {out} is {0}[{1}[r]][{2}[r]]",
        .local = "d{out}[r]/d{0}[{1}[r]][{2}[r]] = 1; every other entry 0",
        .chain = {"d{0}[{1}[r]][{2}[r]] += d{out}[r]  (scatter-add)", "none: an index has no gradient",
                  "none: an index has no gradient"},
        .explain =
            "Picking one entry per row, as in logprobs[range(n), Yb]: entry r of {out} is "
            "{0}[{1}[r]][{2}[r]]. Each picked entry gets the gradient of its copy; every other "
            "entry of {0} gets 0. The indices get no gradient.",
        .story = &kWholeStory, .cell = nullptr,
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
