// Constructors (zeros, ones, zeros_like, ones_like, onehot: constants with no gradient) and
// the ops that only move entries: reshape (row by row, as NumPy), hstack and vstack.
#include <cmath>

#include "cell_story.h"
#include "grad.h"
#include "ops.h"

namespace gs {

// Plain loops in the ops that only move entries (here and core/ops_index.cpp): they are not on
// a hot path, and each Eigen block expression costs the browser build about a KB.
void move_block(const Matrix& from, Eigen::Index fr, Eigen::Index fc, Matrix& to, Eigen::Index tr, Eigen::Index tc,
                Eigen::Index rows, Eigen::Index cols, bool add) {
  for (Eigen::Index c = 0; c < cols; ++c)
    for (Eigen::Index r = 0; r < rows; ++r) {
      double& d = to(tr + r, tc + c);
      d = add ? d + from(fr + r, fc + c) : from(fr + r, fc + c);
    }
}

namespace {

// zeros(r, c), ones(r, c): the shape asked for arrives after the (no) inputs.
std::string requested(const Shape* in, double, Shape& out) {
  out = in[0];
  return "";
}

// hstack (kRows: the inputs share their rows, side by side) and vstack (stacked, sharing columns).
template <bool kSideBySide> std::string stacked(const Shape* in, double count, Shape& out) {
  out = in[0];
  for (int k = 1; k < int(count); ++k) {
    const int shared = kSideBySide ? in[k].rows : in[k].cols, first = kSideBySide ? in[0].rows : in[0].cols;
    if (shared != first)
      return "argument " + std::to_string(k + 1) + " has " + std::to_string(shared) +
             (kSideBySide ? (shared == 1 ? " row" : " rows") : (shared == 1 ? " column" : " columns")) +
             " but argument 1 has " + std::to_string(first) +
             (kSideBySide ? ": hstack puts its arguments side by side, so all need the same number of rows"
                          : ": vstack stacks its arguments, so all need the same number of columns");
    (kSideBySide ? out.cols : out.rows) += kSideBySide ? in[k].cols : in[k].rows;
  }
  return "";
}

// Argument k's block of a stacked result: it starts at column `at` (hstack) or row `at` (vstack).
template <bool kSideBySide> Eigen::Index block_row(Eigen::Index at) { return kSideBySide ? 0 : at; }
template <bool kSideBySide> Eigen::Index block_col(Eigen::Index at) { return kSideBySide ? at : 0; }
template <bool kSideBySide> Eigen::Index block_size(const Matrix& x) { return kSideBySide ? x.cols() : x.rows(); }

template <bool kSideBySide> void stack_forward(const Matrix* const* in, double count, Matrix& out) {
  for (Eigen::Index k = 0, at = 0; k < Eigen::Index(count); at += block_size<kSideBySide>(*in[k]), ++k)
    move_block(*in[k], 0, 0, out, block_row<kSideBySide>(at), block_col<kSideBySide>(at), in[k]->rows(), in[k]->cols(), false);
}
template <bool kSideBySide>
void stack_vjp(const Matrix* const* in, double count, const Matrix&, const Matrix& g, Grad* const* gin) {
  for (Eigen::Index k = 0, at = 0; k < Eigen::Index(count); at += block_size<kSideBySide>(*in[k]), ++k)
    if (gin[k])  // dA_k += the block of G that A_k filled
      move_block(g, block_row<kSideBySide>(at), block_col<kSideBySide>(at), gin[k]->accumulator(), 0, 0, in[k]->rows(),
                 in[k]->cols(), true);
}
template <bool kSideBySide>
void stack_jvp(const Matrix* const* in, const Matrix* const* t, double count, const Matrix&, Matrix& tout, const OpDef&) {
  for (Eigen::Index k = 0, at = 0; k < Eigen::Index(count); at += block_size<kSideBySide>(*in[k]), ++k)
    if (t[k])  // dY's block of argument k += dA_k
      move_block(*t[k], 0, 0, tout, block_row<kSideBySide>(at), block_col<kSideBySide>(at), in[k]->rows(), in[k]->cols(), true);
}

// Copies (add = false) or adds `from`'s entries into `to` in reading order, row by row, as
// NumPy reshapes: entry k is (k / cols, k % cols) in both.
void row_major_move(const Matrix& from, Matrix& to, bool add) {
  for (Eigen::Index k = 0; k < from.size(); ++k) {
    double& d = to(k / to.cols(), k % to.cols());
    const double v = from(k / from.cols(), k % from.cols());
    d = add ? d + v : v;
  }
}

// The NumPy export's share of hstack's and vstack's gradient for argument k.
const char* const kStackParts =
    "def hstack_part(g, k, xs):  # the columns of g that xs[k] filled\n"
    "    c = sum(x.shape[1] for x in xs[:k])\n"
    "    return g[:, c:c + xs[k].shape[1]]\n\n"
    "def vstack_part(g, k, xs):  # the rows of g that xs[k] filled\n"
    "    r = sum(x.shape[0] for x in xs[:k])\n"
    "    return g[r:r + xs[k].shape[0], :]\n";

}  // namespace

const std::vector<OpDef> kShapeOps = {
    {
        .name = "zeros", .symbol = nullptr, .arity = 0, .shape = requested,
        .forward = [](const Matrix* const*, double, Matrix& out) { out.setZero(); },
        .vjp = no_vjp, .jvp = no_jvp,
        .formula = "{out} = a matrix of zeros",
        .local = "none: {out} is a constant",
        .chain = {nullptr},
        .explain = "zeros(r, c) is a constant r x c matrix of zeros: it has no inputs and no gradient.",
        .story = &kWholeStory, .cell = nullptr,
        .torch = "torch.zeros({rows}, {cols}, dtype=torch.float64)",
        .numpy = "np.zeros(({rows}, {cols}))",
        .numpy_vjp = {nullptr},
        .numpy_helpers = "",
        GS_CLI_ONLY(.latex = "\\mathbf{0}", .latex_chain = {nullptr},)
        .usage = "zeros(r, c)", GS_CLI_ONLY(.doc = "an (r, c) matrix of zeros, a constant",)
        .params = "rows, cols", .no_grad = true,
    },
    {
        .name = "ones", .symbol = nullptr, .arity = 0, .shape = requested,
        .forward = [](const Matrix* const*, double, Matrix& out) { out.setOnes(); },
        .vjp = no_vjp, .jvp = no_jvp,
        .formula = "{out} = a matrix of ones",
        .local = "none: {out} is a constant",
        .chain = {nullptr},
        .explain = "ones(r, c) is a constant r x c matrix of ones: it has no inputs and no gradient.",
        .story = &kWholeStory, .cell = nullptr,
        .torch = "torch.ones({rows}, {cols}, dtype=torch.float64)",
        .numpy = "np.ones(({rows}, {cols}))",
        .numpy_vjp = {nullptr},
        .numpy_helpers = "",
        GS_CLI_ONLY(.latex = "\\mathbf{1}", .latex_chain = {nullptr},)
        .usage = "ones(r, c)", GS_CLI_ONLY(.doc = "an (r, c) matrix of ones, a constant",)
        .params = "rows, cols", .no_grad = true,
    },
    {
        .name = "zeros_like", .symbol = nullptr, .arity = 1, .shape = same_shape,
        .forward = [](const Matrix* const*, double, Matrix& out) { out.setZero(); },
        .vjp = no_vjp, .jvp = no_jvp,
        .formula = "{out} = zeros in the shape of {0}",
        .local = "none: {out} does not depend on the values of {0}",
        .chain = {"nothing flows back: {out} is a constant", nullptr},
        .explain = "zeros_like({0}) is a constant of zeros shaped like {0}; only {0}'s shape is read, so no gradient flows back.",
        .story = &kWholeStory, .cell = nullptr,
        .torch = "torch.zeros_like({0}).detach()",
        .numpy = "np.zeros_like({0})",
        .numpy_vjp = {nullptr, nullptr},
        .numpy_helpers = "",
        GS_CLI_ONLY(.latex = "\\mathbf{0}_{\\operatorname{shape}(@0)}", .latex_chain = {nullptr, nullptr},)
        .usage = "zeros_like(a)", GS_CLI_ONLY(.doc = "zeros in a's shape, a constant",)
        .no_grad = true,
    },
    {
        .name = "ones_like", .symbol = nullptr, .arity = 1, .shape = same_shape,
        .forward = [](const Matrix* const*, double, Matrix& out) { out.setOnes(); },
        .vjp = no_vjp, .jvp = no_jvp,
        .formula = "{out} = ones in the shape of {0}",
        .local = "none: {out} does not depend on the values of {0}",
        .chain = {"nothing flows back: {out} is a constant", nullptr},
        .explain = "ones_like({0}) is a constant of ones shaped like {0}; only {0}'s shape is read, so no gradient flows back.",
        .story = &kWholeStory, .cell = nullptr,
        .torch = "torch.ones_like({0}).detach()",
        .numpy = "np.ones_like({0})",
        .numpy_vjp = {nullptr, nullptr},
        .numpy_helpers = "",
        GS_CLI_ONLY(.latex = "\\mathbf{1}_{\\operatorname{shape}(@0)}", .latex_chain = {nullptr, nullptr},)
        .usage = "ones_like(a)", GS_CLI_ONLY(.doc = "ones in a's shape, a constant",)
        .no_grad = true,
    },
    {
        .name = "onehot", .symbol = nullptr, .arity = 1,
        .shape = [](const Shape* in, double k, Shape& out) -> std::string {
          if (in[0].cols != 1) return "the indices must be one column (n, 1), one class index per row";
          out = {in[0].rows, int(k)};
          return "";
        },
        .forward = [](const Matrix* const* in, double k, Matrix& out) {
          out.setZero();                                         // row i: 1 in column I[i]
          for (Eigen::Index i = 0; i < out.rows(); ++i) {
            double c = (*in[0])(i, 0);
            if (c >= 0 && c < k && c == std::floor(c)) out(i, Eigen::Index(c)) = 1;  // else compile() refused it
          }
        },
        .vjp = no_vjp, .jvp = no_jvp,
        .formula = "{out} = one row per entry of {0}, with a 1 in the column {0} names",
        .local = "none: {out} is made of 0s and 1s chosen by whole numbers",
        .chain = {"nothing flows back: indices carry no gradient", nullptr},
        .explain =
            "onehot({0}, k) turns each class index in {0} into a row of k entries, all 0 but a 1 "
            "at that index: the form a target takes for a loss. Indices are whole numbers that "
            "small nudges do not change, so no gradient flows back to {0}.",
        .story = &kWholeStory, .cell = nullptr,
        .torch = "torch.nn.functional.one_hot({0}.detach().long().flatten(), {p}).double()",
        .numpy = "np.eye({p})[{0}.astype(int).flatten()]",
        .numpy_vjp = {nullptr, nullptr},
        .numpy_helpers = "",
        GS_CLI_ONLY(.latex = "\\operatorname{onehot}_{@p}(@0)", .latex_chain = {nullptr, nullptr},)
        .usage = "onehot(I, k)", GS_CLI_ONLY(.doc = "(len(I), k): row i has a 1 in column I[i]; I a column of whole numbers 0 to k - 1; a constant",)
        .attr_name = "classes", .params = "k", .no_grad = true,
        .check = [](const Matrix* const* in, double k) -> std::string {
          for (Eigen::Index i = 0; i < in[0]->rows(); ++i) {
            double c = (*in[0])(i, 0);
            std::string at = "onehot: entry " + std::to_string(i) + " of the indices is " + format_number(c);
            if (c != std::floor(c)) return at + ", not a whole number";
            if (c < 0 || c >= k) return at + ", outside 0 to " + format_number(k - 1) + " (there are " + format_number(k) + " classes)";
          }
          return "";
        },
    },
    {
        .name = "reshape", .symbol = nullptr, .arity = 1,
        .shape = [](const Shape* in, double, Shape& out) -> std::string {
          if (in[1].size() != in[0].size())
            return "it has " + std::to_string(in[0].size()) + " entries but " + to_string(in[1]) + " holds " +
                   std::to_string(in[1].size());
          out = in[1];
          return "";
        },
        .forward = [](const Matrix* const* in, double, Matrix& out) {
          row_major_move(*in[0], out, false);  // read and written row by row
        },
        .vjp = [](const Matrix* const*, double, const Matrix&, const Matrix& g, Grad* const* gin) {
          if (gin[0]) row_major_move(g, gin[0]->accumulator(), true);  // dX += G, back in X's shape
        },
        .jvp = [](const Matrix* const*, const Matrix* const* t, double, const Matrix&, Matrix& tout, const OpDef&) {
          if (t[0]) row_major_move(*t[0], tout, true);  // dY += dX, reshaped
        },
        .formula = "{out} = the entries of {0}, row by row, in a new shape",
        .local = "each entry moves, nothing is scaled",
        .chain = {"d{0} += d{out} reshaped back to {0}'s shape", nullptr},
        .explain =
            "reshape reads {0}'s entries row by row, as NumPy does, and writes them row by row "
            "into the new shape. Entries only move, so each one's gradient is the gradient of "
            "the place it moved to: d{out} reshaped back.",
        .story = &kMovedStory, .cell = nullptr,
        .torch = "{0}.reshape({rows}, {cols})",
        .numpy = "{0}.reshape({rows}, {cols})",
        .numpy_vjp = {"{g}.reshape({0}.shape)", nullptr},
        .numpy_helpers = "",
        GS_CLI_ONLY(.latex = "\\operatorname{reshape}(@0)",
                    .latex_chain = {"\\operatorname{reshape}_{@s0}(@g)", nullptr},)
        .usage = "reshape(a, r, c)", GS_CLI_ONLY(.doc = "a's entries, read row by row (as NumPy), in shape (r, c)",)
        .params = "rows, cols",
    },
    {
        .name = "hstack", .symbol = nullptr, .arity = kAnyArity, .shape = stacked<true>,
        .forward = stack_forward<true>, .vjp = stack_vjp<true>, .jvp = stack_jvp<true>,
        .formula = "{out} = its arguments side by side",
        .local = "each entry moves, nothing is scaled",
        .chain = {"each argument's gradient += the columns of d{out} it filled", nullptr},
        .explain =
            "hstack places its arguments side by side, left to right; they share their number of "
            "rows. Entries only move, so each argument gets back the columns of d{out} where "
            "its entries landed, as when three embeddings are joined into one input.",
        .story = &kMovedStory, .cell = nullptr,
        .torch = "torch.hstack([{*}])",
        .numpy = "np.hstack([{*}])",
        .numpy_vjp = {"hstack_part({g}, {k}, [{*}])", nullptr},
        .numpy_helpers = kStackParts,
        GS_CLI_ONLY(.latex = "\\begin{bmatrix} @0 & \\cdots \\end{bmatrix}",
                    .latex_chain = {"\\text{its columns of }@g", nullptr},)
        .usage = "hstack(a, b, ...)", GS_CLI_ONLY(.doc = "side by side, left to right: same rows, any number of arguments",)
    },
    {
        .name = "vstack", .symbol = nullptr, .arity = kAnyArity, .shape = stacked<false>,
        .forward = stack_forward<false>, .vjp = stack_vjp<false>, .jvp = stack_jvp<false>,
        .formula = "{out} = its arguments stacked, top to bottom",
        .local = "each entry moves, nothing is scaled",
        .chain = {"each argument's gradient += the rows of d{out} it filled", nullptr},
        .explain =
            "vstack stacks its arguments, top to bottom; they share their number of columns. "
            "Entries only move, so each argument gets back the rows of d{out} where its entries "
            "landed.",
        .story = &kMovedStory, .cell = nullptr,
        .torch = "torch.vstack([{*}])",
        .numpy = "np.vstack([{*}])",
        .numpy_vjp = {"vstack_part({g}, {k}, [{*}])", nullptr},
        .numpy_helpers = kStackParts,
        GS_CLI_ONLY(.latex = "\\begin{bmatrix} @0 \\\\ \\vdots \\end{bmatrix}",
                    .latex_chain = {"\\text{its rows of }@g", nullptr},)
        .usage = "vstack(a, b, ...)", GS_CLI_ONLY(.doc = "stacked top to bottom: same columns, any number of arguments",)
    },
};

}  // namespace gs
