// Ops with matrix structure: the product and the transpose.
#include "cell_story.h"
#include "grad.h"
#include "ops.h"

namespace gs {

const std::vector<OpDef> kMatrixOps = {
    {
        .name = "matmul", .symbol = "@", .arity = 2,
        .shape = [](const Shape* in, double, Shape& out) -> std::string {
          if (in[0].cols != in[1].rows)
            return "the left side has " + std::to_string(in[0].cols) +
                   " columns but the right side has " + std::to_string(in[1].rows) + " rows";
          out = {in[0].rows, in[1].cols};
          return "";
        },
        .forward = [](const Matrix* const* in, double, Matrix& out) {
          out.noalias() = *in[0] * *in[1];                      // (n,m) = (n,k)(k,m)
        },
        .vjp = [](const Matrix* const* in, double, const Matrix&, const Matrix& g, Grad* const* gin) {
          if (gin[0] && g.cols() == 1)  // B is one column (W @ x): dA += g b^T, an outer product
            *gin[0] += g.col(0) * in[1]->col(0).transpose();
          else if (gin[0])
            gin[0]->noalias() += g * in[1]->transpose();        // dA += G B^T  (n,k) = (n,m)(m,k)
          if (gin[1]) gin[1]->noalias() += in[0]->transpose() * g;  // dB += A^T G  (k,m) = (k,n)(n,m)
        },
        .jvp = [](const Matrix* const* in, const Matrix* const* t, double, const Matrix&, Matrix& tout, const OpDef& op) {
          // The product rule, dZ = dA B + A dB: each term is the op's own forward with one factor
          // replaced by its tangent, so the page carries no second product of its own for it.
          Matrix p(tout.rows(), tout.cols());  // (n,m)
          for (int k = 0; k < 2; ++k) {
            if (!t[k]) continue;
            const Matrix* f[] = {k == 0 ? t[0] : in[0], k == 1 ? t[1] : in[1]};
            op.forward(f, 0, p), tout += p;
          }
        },
        .formula = "{out} = {0} @ {1}",
        .local = "d{out}/d{0} is {1}^T on the right; d{out}/d{1} is {0}^T on the left",
        .chain = {"d{0} += d{out} @ {1}^T", "d{1} += {0}^T @ d{out}"},
        .explain =
            "Each entry of {out} is a dot product of a row of {0} with a column of {1}. "
            "Nudging {0}[i][k] changes only row i of {out}, by {1}[k][j] in column j, so the "
            "gradient of {0} gathers d{out} times {1} transposed. Likewise each column of {1} "
            "feeds one column of {out} through {0}, so d{1} is {0} transposed times d{out}. "
            "The shapes always line up: a gradient has the shape of the thing it is for.",
        .story = &kProductStory, .cell = nullptr,
        .torch = "{0} @ {1}",
        .numpy = "{0} @ {1}",
        .numpy_vjp = {"{g} @ {1}.T", "{0}.T @ {g}"},
        .numpy_helpers = "",
        GS_CLI_ONLY(.latex = "@0\\, @1",
                    .latex_chain = {"@g\\, @1^\\top", "@0^\\top @g"},)
        .usage = "a @ b", GS_CLI_ONLY(.doc = "matrix product: (n, k) @ (k, m) is (n, m)",)
        .multiply_adds = [](const Shape* in) { return static_cast<long long>(in[0].rows) * in[0].cols * in[1].cols; },
    },
    {
        .name = "transpose", .symbol = ".T", .arity = 1,
        .shape = [](const Shape* in, double, Shape& out) -> std::string {
          out = {in[0].cols, in[0].rows};
          return "";
        },
        .forward = [](const Matrix* const* in, double, Matrix& out) { out = in[0]->transpose(); },
        .vjp = [](const Matrix* const*, double, const Matrix&, const Matrix& g, Grad* const* gin) {
          if (gin[0]) *gin[0] += g.transpose();                 // dA += G^T
        },
        .jvp = [](const Matrix* const*, const Matrix* const* t, double, const Matrix&, Matrix& tout, const OpDef&) {
          if (t[0]) tout += t[0]->transpose();                    // dZ += dA^T
        },
        .formula = "{out} = {0}.T",
        .local = "{out}[i][j] = {0}[j][i]: each entry moves, nothing is scaled",
        .chain = {"d{0} += d{out}^T", nullptr},
        .explain =
            "Transposing only moves entries: {out}[i][j] is {0}[j][i]. So the gradient flows "
            "back to where each entry came from, which is the transpose of d{out}.",
        .story = &kTransposedStory, .cell = "{0}",
        .torch = "{0}.T",
        .numpy = "{0}.T",
        .numpy_vjp = {"{g}.T", nullptr},
        .numpy_helpers = "",
        GS_CLI_ONLY(.latex = "@0^\\top",
                    .latex_chain = {"@g^\\top", nullptr},)
        .usage = "a.T", GS_CLI_ONLY(.doc = "transpose",)
    },
};

}  // namespace gs
