// Elementwise ops of one input: activations, exp/log and friends, negation, powers.
#include <cmath>

#include "cell_story.h"
#include "grad.h"
#include "ops.h"

namespace gs {
namespace {

// 1 / (1 + e^-z) without overflow for large |z|.
double stable_sigmoid(double z) {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  double e = std::exp(z);
  return e / (1.0 + e);
}

double sign(double x) { return (x > 0) - (x < 0); }

// std::exp and std::log entry by entry: Eigen's vectorized forms cost the page 1 KB each.
double scalar_exp(double x) { return std::exp(x); }
double scalar_log(double x) { return std::log(x); }

// The NumPy export's forms of stable_sigmoid and of pow's slope.
const char* const kSigmoid =
    "def sigmoid(z):  # 1 / (1 + exp(-z)) without overflow for large |z|\n"
    "    e = np.exp(-np.abs(z))\n"
    "    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))\n";
const char* const kPowerSlope =
    "def power_slope(a, p):  # p a^(p - 1); x^0 = 1 has slope 0 everywhere, even at 0\n"
    "    return 2 * a if p == 2 else p * a ** (p - 1) if p != 0 else np.zeros_like(a)\n";

}  // namespace

const std::vector<OpDef> kElementwiseOps = {
    {
        .name = "neg", .symbol = "-", .arity = 1, .shape = same_shape,
        .forward = [](const Matrix* const* in, double, Matrix& out) { out = -*in[0]; },
        .vjp = [](const Matrix* const*, double, const Matrix&, const Matrix& g, Grad* const* gin) {
          if (gin[0]) *gin[0] -= g;                             // dA -= G
        },
        .jvp = symmetric_jvp,  // J is diagonal: dZ -= dA
        .formula = "{out} = -{0}",
        .local = "d{out}/d{0} = -1",
        .chain = {"d{0} += -d{out}", nullptr},
        .explain = "Negation flips the sign of every entry, so it flips the sign of the gradient.",
        .story = &kEntrywiseStory, .cell = "-({0})",
        .torch = "-{0}",
        .numpy = "-{0}",
        .numpy_vjp = {"-{g}", nullptr},
        .numpy_helpers = "",
        GS_CLI_ONLY(.latex = "-@0",
                    .latex_chain = {"-@g", nullptr},)
        .usage = "-a", GS_CLI_ONLY(.doc = "negation",)
    },
    {
        .name = "pow", .symbol = "**", .arity = 1, .shape = same_shape,
        .forward = [](const Matrix* const* in, double p, Matrix& out) {
          if (p == 2) out.array() = in[0]->array().square();
          else out.array() = in[0]->array().pow(p);
        },
        .vjp = [](const Matrix* const* in, double p, const Matrix&, const Matrix& g, Grad* const* gin) {
          if (!gin[0] || p == 0) return;  // x^0 = 1 has slope 0 everywhere; 0 * 0^-1 would be nan at 0
          if (p == 2) gin[0]->array() += 2.0 * g.array() * in[0]->array();       // dA += G * 2A
          else gin[0]->array() += g.array() * p * in[0]->array().pow(p - 1);     // dA += G * p A^(p-1)
        },
        .jvp = symmetric_jvp,  // J is diagonal: dZ += dA p A^(p-1)
        .formula = "{out} = {0} ^ {p}  (elementwise)",
        .local = "d{out}/d{0} = {p} * {0}^({p} - 1)  (elementwise)",
        .chain = {"d{0} += d{out} * {p} * {0}^({p} - 1)", nullptr},
        .explain =
            "The power rule, entry by entry: the slope of x^p is p x^(p-1). For a square, "
            "that is 2x, which is why squared errors push harder the further off they are.",
        .story = &kEntrywiseStory, .cell = "{0} ^ {p}",
        .torch = "{0} ** {p}",
        .numpy = "{0} ** {p}",
        .numpy_vjp = {"{g} * power_slope({0}, {p})", nullptr},
        .numpy_helpers = kPowerSlope,
        GS_CLI_ONLY(.latex = "@0^{\\circ @p}",
                    .latex_chain = {"@p\\, @g \\odot @0^{\\circ (@p - 1)}", nullptr},)
        .usage = "a ** 2", GS_CLI_ONLY(.doc = "elementwise power (also a ^ 2); the exponent is a constant: a ** -0.5, a ** (1/3)",)
        .attr_name = "exponent",
    },
    {
        .name = "sigmoid", .symbol = nullptr, .arity = 1, .shape = same_shape,
        .forward = [](const Matrix* const* in, double, Matrix& out) {
          out = in[0]->unaryExpr(&stable_sigmoid);
        },
        .vjp = [](const Matrix* const*, double, const Matrix& y, const Matrix& g, Grad* const* gin) {
          if (gin[0]) gin[0]->array() += g.array() * y.array() * (1.0 - y.array());  // dZ += G * y(1-y)
        },
        .jvp = symmetric_jvp,  // J is diagonal: dZ += dA y(1-y)
        .formula = "{out} = sigmoid({0}) = 1 / (1 + exp(-{0}))",
        .local = "d{out}/d{0} = {out} * (1 - {out})  (elementwise)",
        .chain = {"d{0} += d{out} * {out} * (1 - {out})", nullptr},
        .explain =
            "The sigmoid squashes any number into (0, 1). Its slope can be written with its own "
            "output: s'(z) = s(z)(1 - s(z)), largest (0.25) at z = 0 and nearly 0 when the "
            "input is far from 0, which is why saturated sigmoids learn slowly. Note the minus "
            "sign in exp(-z): writing 1/(1 + exp(z)) computes sigmoid(-z) instead.",
        .story = &kEntrywiseStory, .cell = "sigmoid({0})",
        .torch = "torch.sigmoid({0})",
        .numpy = "sigmoid({0})",
        .numpy_vjp = {"{g} * {out} * (1 - {out})", nullptr},
        .numpy_helpers = kSigmoid,
        GS_CLI_ONLY(.latex = "\\sigma(@0)",
                    .latex_chain = {"@g \\odot @out \\odot (1 - @out)", nullptr},)
        .usage = "sigmoid(a)", GS_CLI_ONLY(.doc = "1 / (1 + exp(-a)), elementwise",)
    },
    {
        .name = "tanh", .symbol = nullptr, .arity = 1, .shape = same_shape,
        .forward = [](const Matrix* const* in, double, Matrix& out) { out.array() = in[0]->array().tanh(); },
        .vjp = [](const Matrix* const*, double, const Matrix& y, const Matrix& g, Grad* const* gin) {
          if (gin[0]) gin[0]->array() += g.array() * (1.0 - y.array().square());  // dZ += G * (1 - y^2)
        },
        .jvp = symmetric_jvp,  // J is diagonal: dZ += dA (1 - y^2)
        .formula = "{out} = tanh({0})",
        .local = "d{out}/d{0} = 1 - {out}^2  (elementwise)",
        .chain = {"d{0} += d{out} * (1 - {out}^2)", nullptr},
        .explain =
            "tanh squashes into (-1, 1) and is centred on 0. Its slope is 1 - tanh(z)^2: 1 at "
            "z = 0, vanishing as the output nears -1 or 1.",
        .story = &kEntrywiseStory, .cell = "tanh({0})",
        .torch = "torch.tanh({0})",
        .numpy = "np.tanh({0})",
        .numpy_vjp = {"{g} * (1 - {out} ** 2)", nullptr},
        .numpy_helpers = "",
        GS_CLI_ONLY(.latex = "\\tanh(@0)",
                    .latex_chain = {"@g \\odot (1 - @out^{\\circ 2})", nullptr},)
        .usage = "tanh(a)", GS_CLI_ONLY(.doc = "hyperbolic tangent, elementwise",)
    },
    {
        .name = "relu", .symbol = nullptr, .arity = 1, .shape = same_shape,
        .forward = [](const Matrix* const* in, double, Matrix& out) { out.array() = in[0]->array().max(0.0); },
        .vjp = [](const Matrix* const* in, double, const Matrix&, const Matrix& g, Grad* const* gin) {
          if (gin[0]) gin[0]->array() += (in[0]->array() > 0).select(g.array(), 0.0);  // dZ += G * [Z > 0]
        },
        .jvp = symmetric_jvp,  // J is diagonal: dZ += dA [A > 0]
        .formula = "{out} = relu({0}) = max({0}, 0)",
        .local = "d{out}/d{0} = 1 where {0} > 0, else 0",
        .chain = {"d{0} += d{out} * [{0} > 0]", nullptr},
        .explain =
            "relu keeps positive entries and zeroes the rest. The gradient passes straight "
            "through where the input was positive and is blocked where it was not (at exactly "
            "0 we use 0, as PyTorch does). A unit whose input is always negative gets no "
            "gradient at all: a 'dead' relu.",
        .story = &kEntrywiseStory, .cell = "relu({0})",
        .torch = "torch.relu({0})",
        .numpy = "np.maximum({0}, 0)",
        .numpy_vjp = {"np.where({0} > 0, {g}, 0)", nullptr},
        .numpy_helpers = "",
        GS_CLI_ONLY(.latex = "\\max(@0, 0)",
                    .latex_chain = {"@g \\odot [@0 > 0]", nullptr},)
        .usage = "relu(a)", GS_CLI_ONLY(.doc = "max(a, 0), elementwise",)
    },
    {
        .name = "exp", .symbol = nullptr, .arity = 1, .shape = same_shape,
        .forward = [](const Matrix* const* in, double, Matrix& out) { out = in[0]->unaryExpr(&scalar_exp); },
        .vjp = [](const Matrix* const*, double, const Matrix& y, const Matrix& g, Grad* const* gin) {
          if (gin[0]) gin[0]->array() += g.array() * y.array();  // dA += G * exp(A)
        },
        .jvp = symmetric_jvp,  // J is diagonal: dZ += dA exp(A)
        .formula = "{out} = exp({0})",
        .local = "d{out}/d{0} = exp({0}) = {out}  (elementwise)",
        .chain = {"d{0} += d{out} * {out}", nullptr},
        .explain = "The exponential is its own derivative, so the local slope is the output itself.",
        .story = &kEntrywiseStory, .cell = "exp({0})",
        .torch = "torch.exp({0})",
        .numpy = "np.exp({0})",
        .numpy_vjp = {"{g} * {out}", nullptr},
        .numpy_helpers = "",
        GS_CLI_ONLY(.latex = "\\exp(@0)",
                    .latex_chain = {"@g \\odot @out", nullptr},)
        .usage = "exp(a)", GS_CLI_ONLY(.doc = "exponential, elementwise",)
    },
    {
        .name = "log", .symbol = nullptr, .arity = 1, .shape = same_shape,
        .forward = [](const Matrix* const* in, double, Matrix& out) { out = in[0]->unaryExpr(&scalar_log); },
        .vjp = [](const Matrix* const* in, double, const Matrix&, const Matrix& g, Grad* const* gin) {
          if (gin[0]) gin[0]->array() += g.array() / in[0]->array();  // dA += G / A
        },
        .jvp = symmetric_jvp,  // J is diagonal: dZ += dA / A
        .formula = "{out} = log({0})  (natural log)",
        .local = "d{out}/d{0} = 1 / {0}  (elementwise)",
        .chain = {"d{0} += d{out} / {0}", nullptr},
        .explain =
            "The natural logarithm's slope is 1/x: steep near 0, flat for large x. log of 0 is "
            "-inf and of a negative number is nan; gradscope shows both and flags them.",
        .story = &kEntrywiseStory, .cell = "log({0})",
        .torch = "torch.log({0})",
        .numpy = "np.log({0})",
        .numpy_vjp = {"{g} / {0}", nullptr},
        .numpy_helpers = "",
        GS_CLI_ONLY(.latex = "\\log(@0)",
                    .latex_chain = {"@g \\oslash @0", nullptr},)
        .usage = "log(a)", GS_CLI_ONLY(.doc = "natural logarithm, elementwise",)
    },
    {
        .name = "sqrt", .symbol = nullptr, .arity = 1, .shape = same_shape,
        .forward = [](const Matrix* const* in, double, Matrix& out) { out.array() = in[0]->array().sqrt(); },
        .vjp = [](const Matrix* const*, double, const Matrix& y, const Matrix& g, Grad* const* gin) {
          if (gin[0]) gin[0]->array() += g.array() / (2.0 * y.array());  // dA += G / (2 sqrt(A))
        },
        .jvp = symmetric_jvp,  // J is diagonal: dZ += dA / (2 sqrt(A))
        .formula = "{out} = sqrt({0})",
        .local = "d{out}/d{0} = 1 / (2 {out})  (elementwise)",
        .chain = {"d{0} += d{out} / (2 * {out})", nullptr},
        .explain = "The square root's slope is 1/(2 sqrt(x)), infinite at 0.",
        .story = &kEntrywiseStory, .cell = "sqrt({0})",
        .torch = "torch.sqrt({0})",
        .numpy = "np.sqrt({0})",
        .numpy_vjp = {"{g} / (2 * {out})", nullptr},
        .numpy_helpers = "",
        GS_CLI_ONLY(.latex = "\\sqrt{@0}",
                    .latex_chain = {"@g \\oslash (2\\, @out)", nullptr},)
        .usage = "sqrt(a)", GS_CLI_ONLY(.doc = "square root, elementwise",)
    },
    {
        .name = "abs", .symbol = nullptr, .arity = 1, .shape = same_shape,
        .forward = [](const Matrix* const* in, double, Matrix& out) { out.array() = in[0]->array().abs(); },
        .vjp = [](const Matrix* const* in, double, const Matrix&, const Matrix& g, Grad* const* gin) {
          if (gin[0]) gin[0]->array() += g.array() * in[0]->unaryExpr(&sign).array();  // dA += G * sign(A)
        },
        .jvp = symmetric_jvp,  // J is diagonal: dZ += dA sign(A)
        .formula = "{out} = abs({0})",
        .local = "d{out}/d{0} = sign({0})  (0 at 0)",
        .chain = {"d{0} += d{out} * sign({0})", nullptr},
        .explain =
            "The absolute value has slope +1 for positive inputs and -1 for negative ones; at 0 "
            "it has a corner, where we use 0 as PyTorch does.",
        .story = &kEntrywiseStory, .cell = "abs({0})",
        .torch = "torch.abs({0})",
        .numpy = "np.abs({0})",
        .numpy_vjp = {"{g} * np.sign({0})", nullptr},
        .numpy_helpers = "",
        GS_CLI_ONLY(.latex = "\\lvert @0 \\rvert",
                    .latex_chain = {"@g \\odot \\operatorname{sign}(@0)", nullptr},)
        .usage = "abs(a)", GS_CLI_ONLY(.doc = "absolute value, elementwise",)
    },
    {
        .name = "softplus", .symbol = nullptr, .arity = 1, .shape = same_shape,
        .forward = [](const Matrix* const* in, double, Matrix& out) {
          // log(1 + e^z) = max(z, 0) + log1p(e^-|z|), exact and overflow-free
          out = in[0]->unaryExpr([](double z) { return std::max(z, 0.0) + std::log1p(std::exp(-std::abs(z))); });
        },
        .vjp = [](const Matrix* const* in, double, const Matrix&, const Matrix& g, Grad* const* gin) {
          if (gin[0]) gin[0]->array() += g.array() * in[0]->unaryExpr(&stable_sigmoid).array();  // dZ += G * sigmoid(Z)
        },
        .jvp = symmetric_jvp,  // J is diagonal: dZ += dA sigmoid(A)
        .formula = "{out} = softplus({0}) = log(1 + exp({0}))",
        .local = "d{out}/d{0} = sigmoid({0})  (elementwise)",
        .chain = {"d{0} += d{out} * sigmoid({0})", nullptr},
        .explain =
            "softplus is a smooth relu. Its slope is exactly the sigmoid of its input: near 0 "
            "for very negative inputs, near 1 for large ones.",
        .story = &kEntrywiseStory, .cell = "softplus({0})",
        // F.softplus's default threshold of 20 makes it the identity (slope exactly 1) where the
        // true slope sigmoid(z) is 1 - 2e-9; above 40 both are exact in float64, and its backward's
        // exp(z) overflows only past 709. (torch.logaddexp(z, 0) returns 0 for z below about -37.)
        .torch = "torch.nn.functional.softplus({0}, threshold=40)",
        .numpy = "np.logaddexp(0, {0})",
        .numpy_vjp = {"{g} * sigmoid({0})", nullptr},
        .numpy_helpers = kSigmoid,
        GS_CLI_ONLY(.latex = "\\log(1 + \\exp(@0))",
                    .latex_chain = {"@g \\odot \\sigma(@0)", nullptr},)
        .usage = "softplus(a)", GS_CLI_ONLY(.doc = "log(1 + exp(a)), a smooth relu, elementwise",)
    },
    {
        // `b = a` and reassignment: a node of its own, so b is shown and checked apart from a.
        .name = "copy", .symbol = "=", .arity = 1, .shape = same_shape,
        .forward = [](const Matrix* const* in, double, Matrix& out) { out = *in[0]; },
        .vjp = [](const Matrix* const*, double, const Matrix&, const Matrix& g, Grad* const* gin) {
          if (gin[0]) *gin[0] += g;                             // dA += G
        },
        .jvp = symmetric_jvp,  // J is diagonal: dB += dA
        .formula = "{out} = {0}",
        .local = "d{out}/d{0} = 1  (elementwise)",
        .chain = {"d{0} += d{out}", nullptr},
        .explain =
            "A new name for a value is a node of its own with the same numbers. Its gradient "
            "passes back unchanged, and adds to whatever else {0} feeds.",
        .story = &kEntrywiseStory, .cell = "{0}",
        .torch = "{0}.clone()",
        .numpy = "{0}.copy()",
        .numpy_vjp = {"{g}", nullptr},
        .numpy_helpers = "",
        GS_CLI_ONLY(.latex = "@0",
                    .latex_chain = {"@g", nullptr},)
        .usage = "b = a", GS_CLI_ONLY(.doc = "a new node with a's value (also what c = c + 1 makes of c, c', c'' ...)",)
    },
};

}  // namespace gs
