// Ops with matrix structure: the product, the transpose and the broadcasting
// elementwise arithmetic (+ - * /).
#include "ops.h"

namespace gs {
namespace {

// NumPy-style broadcasting restricted to 2-D: each dimension must match or be 1.
std::string broadcast_shape(const Shape* in, double, Shape& out) {
  auto dim = [](int a, int b, int& o) {
    if (a == b || b == 1) return o = a, true;
    if (a == 1) return o = b, true;
    return false;
  };
  if (!dim(in[0].rows, in[1].rows, out.rows) || !dim(in[0].cols, in[1].cols, out.cols))
    return "each dimension must match or be 1 (a 1x1 or a single column or row repeats)";
  return "";
}

// Applies f to a and b as arrays, repeating a 1-row or 1-column side to out's shape.
template <class F>
void broadcast_apply(const Matrix& a, const Matrix& b, Matrix& out, F f) {
  if (a.rows() == b.rows() && a.cols() == b.cols()) {
    out.array() = f(a.array(), b.array());
  } else {
    auto ra = a.replicate(out.rows() / a.rows(), out.cols() / a.cols());
    auto rb = b.replicate(out.rows() / b.rows(), out.cols() / b.cols());
    out.array() = f(ra.array(), rb.array());
  }
}

// g += e summed over the dimensions that broadcasting repeated.
template <class E>
void accumulate_reduced(Grad& g, const E& e) {
  if (g.rows() == e.rows() && g.cols() == e.cols()) g += e.matrix();
  else if (g.rows() == 1 && g.cols() == 1) g.array() += e.sum();
  else if (g.cols() == 1) g += e.matrix().rowwise().sum();
  else g += e.matrix().colwise().sum();
}

// The other operand repeated to out's shape.
auto expanded(const Matrix& m, const Matrix& out) {
  return m.replicate(out.rows() / m.rows(), out.cols() / m.cols()).array();
}

}  // namespace

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
        .formula = "{out} = {0} @ {1}",
        .local = "d{out}/d{0} is {1}^T on the right; d{out}/d{1} is {0}^T on the left",
        .chain = {"d{0} += d{out} @ {1}^T", "d{1} += {0}^T @ d{out}"},
        .explain =
            "Each entry of {out} is a dot product of a row of {0} with a column of {1}. "
            "Nudging {0}[i][k] changes only row i of {out}, by {1}[k][j] in column j, so the "
            "gradient of {0} gathers d{out} times {1} transposed. Likewise each column of {1} "
            "feeds one column of {out} through {0}, so d{1} is {0} transposed times d{out}. "
            "The shapes always line up: a gradient has the shape of the thing it is for.",
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
        .formula = "{out} = {0}.T",
        .local = "{out}[i][j] = {0}[j][i]: each entry moves, nothing is scaled",
        .chain = {"d{0} += d{out}^T", nullptr},
        .explain =
            "Transposing only moves entries: {out}[i][j] is {0}[j][i]. So the gradient flows "
            "back to where each entry came from, which is the transpose of d{out}.",
    },
    {
        .name = "add", .symbol = "+", .arity = 2, .shape = broadcast_shape,
        .forward = [](const Matrix* const* in, double, Matrix& out) {
          broadcast_apply(*in[0], *in[1], out, [](const auto& a, const auto& b) { return a + b; });
        },
        .vjp = [](const Matrix* const*, double, const Matrix&, const Matrix& g, Grad* const* gin) {
          if (gin[0]) accumulate_reduced(*gin[0], g.array());   // dA += G (summed where A repeats)
          if (gin[1]) accumulate_reduced(*gin[1], g.array());   // dB += G
        },
        .formula = "{out} = {0} + {1}",
        .local = "d{out}/d{0} = 1, d{out}/d{1} = 1  (elementwise)",
        .chain = {"d{0} += d{out}  (summed over repeated rows/columns)",
                  "d{1} += d{out}  (summed over repeated rows/columns)"},
        .explain =
            "Addition passes the gradient through unchanged to both sides. When one side was "
            "repeated to fit (a bias column added to every column, or a single number), each "
            "copy contributed, so its gradient is the sum of the gradients of all its copies.",
    },
    {
        .name = "sub", .symbol = "-", .arity = 2, .shape = broadcast_shape,
        .forward = [](const Matrix* const* in, double, Matrix& out) {
          broadcast_apply(*in[0], *in[1], out, [](const auto& a, const auto& b) { return a - b; });
        },
        .vjp = [](const Matrix* const*, double, const Matrix&, const Matrix& g, Grad* const* gin) {
          if (gin[0]) accumulate_reduced(*gin[0], g.array());   // dA += G
          if (gin[1]) accumulate_reduced(*gin[1], -g.array());  // dB -= G
        },
        .formula = "{out} = {0} - {1}",
        .local = "d{out}/d{0} = 1, d{out}/d{1} = -1  (elementwise)",
        .chain = {"d{0} += d{out}", "d{1} += -d{out}"},
        .explain =
            "Subtraction passes the gradient to the left side unchanged and to the right side "
            "with its sign flipped: raising {1} lowers {out} by the same amount.",
    },
    {
        .name = "mul", .symbol = "*", .arity = 2, .shape = broadcast_shape,
        .forward = [](const Matrix* const* in, double, Matrix& out) {
          broadcast_apply(*in[0], *in[1], out, [](const auto& a, const auto& b) { return a * b; });
        },
        .vjp = [](const Matrix* const* in, double, const Matrix& out, const Matrix& g, Grad* const* gin) {
          if (gin[0]) accumulate_reduced(*gin[0], g.array() * expanded(*in[1], out));  // dA += G * B
          if (gin[1]) accumulate_reduced(*gin[1], g.array() * expanded(*in[0], out));  // dB += G * A
        },
        .formula = "{out} = {0} * {1}  (elementwise)",
        .local = "d{out}/d{0} = {1}, d{out}/d{1} = {0}  (elementwise)",
        .chain = {"d{0} += d{out} * {1}", "d{1} += d{out} * {0}"},
        .explain =
            "Elementwise product: each entry of {out} is the product of the matching entries. "
            "Nudging one factor changes the product by the other factor, so each side's "
            "gradient is d{out} times the other side, entry by entry.",
    },
    {
        .name = "div", .symbol = "/", .arity = 2, .shape = broadcast_shape,
        .forward = [](const Matrix* const* in, double, Matrix& out) {
          broadcast_apply(*in[0], *in[1], out, [](const auto& a, const auto& b) { return a / b; });
        },
        .vjp = [](const Matrix* const* in, double, const Matrix& out, const Matrix& g, Grad* const* gin) {
          if (gin[0]) accumulate_reduced(*gin[0], g.array() / expanded(*in[1], out));  // dA += G / B
          if (gin[1])                                                                   // dB -= G * A / B^2
            accumulate_reduced(*gin[1], -g.array() * out.array() / expanded(*in[1], out));
        },
        .formula = "{out} = {0} / {1}  (elementwise)",
        .local = "d{out}/d{0} = 1 / {1}, d{out}/d{1} = -{0} / {1}^2  (elementwise)",
        .chain = {"d{0} += d{out} / {1}", "d{1} += -d{out} * {out} / {1}"},
        .explain =
            "Elementwise division. The numerator's gradient is d{out} divided by the "
            "denominator; the denominator's is negative, -{0}/{1}^2 = -{out}/{1}, because a "
            "larger denominator makes the quotient smaller.",
    },
};

}  // namespace gs
