// Reductions, per-column softmax and the losses: ops whose output mixes many entries.
#include <cmath>

#include "cell_story.h"
#include "grad.h"
#include "ops.h"

namespace gs {
namespace {

// log(sum(exp(col))) computed from the column's maximum, so large logits cannot overflow.
double log_sum_exp(const Eigen::Ref<const Eigen::VectorXd>& col) {
  double m = col.maxCoeff();
  if (!std::isfinite(m)) return m;
  double sum = 0;  // a plain loop: Eigen's vectorized exp here is 3 KB of the browser build
  for (Eigen::Index i = 0; i < col.size(); ++i) sum += std::exp(col[i] - m);
  return m + std::log(sum);
}

// <a, b>, or the sum of a's entries when b is null, in a plain loop: the JVPs of the
// reductions share it instead of each carrying Eigen's unrolled reduction.
double inner(const Matrix& a, const Matrix* b = nullptr) {
  double s = 0;
  for (Eigen::Index i = 0; i < a.size(); ++i) s += a.data()[i] * (b ? b->data()[i] : 1.0);
  return s;
}

// The NumPy export's per-column softmax and log_softmax, from each column's maximum.
const char* const kColumnSoftmax =
    "def log_softmax(z):  # per column, from its maximum so that large logits cannot overflow\n"
    "    m = z.max(0)\n"
    "    return z - m - np.log(np.exp(z - m).sum(0))\n\n"
    "def softmax(z):\n"
    "    e = np.exp(z - z.max(0))\n"
    "    return e / e.sum(0)\n";

}  // namespace

const std::vector<OpDef> kReduceOps = {
    {
        .name = "sum", .symbol = nullptr, .arity = 1, .shape = to_scalar,
        .forward = [](const Matrix* const* in, double, Matrix& out) { out(0, 0) = in[0]->sum(); },
        .vjp = [](const Matrix* const*, double, const Matrix&, const Matrix& g, Grad* const* gin) {
          if (gin[0]) gin[0]->array() += g(0, 0);               // dA += g (every entry)
        },
        .jvp = [](const Matrix* const*, const Matrix* const* t, double, const Matrix&, Matrix& tout, const OpDef&) {
          if (t[0]) tout(0, 0) += inner(*t[0]);                   // df += sum(dA)
        },
        .formula = "{out} = sum of all entries of {0}",
        .local = "d{out}/d{0} = 1 for every entry",
        .chain = {"d{0} += d{out}  (copied to every entry)", nullptr},
        .explain = "Every entry adds to the sum with weight 1, so each receives the whole gradient.",
        .story = &kWholeStory, .cell = nullptr,
        .torch = "{0}.sum().reshape(1, 1)",
        .numpy = "{0}.sum().reshape(1, 1)",
        .numpy_vjp = {"{g} * np.ones_like({0})", nullptr},
        .numpy_helpers = "",
        GS_CLI_ONLY(.latex = "\\mathbf{1}^\\top @0\\, \\mathbf{1}",
                    .latex_chain = {"@g\\, \\mathbf{1}_{@s0}", nullptr},)
        .usage = "sum(a)", GS_CLI_ONLY(.doc = "sum of all entries, (1, 1)",)
    },
    {
        .name = "mean", .symbol = nullptr, .arity = 1, .shape = to_scalar,
        .forward = [](const Matrix* const* in, double, Matrix& out) { out(0, 0) = in[0]->mean(); },
        .vjp = [](const Matrix* const* in, double, const Matrix&, const Matrix& g, Grad* const* gin) {
          if (gin[0]) gin[0]->array() += g(0, 0) / double(in[0]->size());  // dA += g / N
        },
        .jvp = [](const Matrix* const*, const Matrix* const* t, double, const Matrix&, Matrix& tout, const OpDef&) {
          if (t[0]) tout(0, 0) += inner(*t[0]) / double(t[0]->size());  // df += sum(dA) / N
        },
        .formula = "{out} = mean of all entries of {0}",
        .local = "d{out}/d{0} = 1/N for every entry (N entries)",
        .chain = {"d{0} += d{out} / N", nullptr},
        .explain = "The mean is the sum divided by the count N, so every entry gets 1/N of the gradient.",
        .story = &kWholeStory, .cell = nullptr,
        .torch = "{0}.mean().reshape(1, 1)",
        .numpy = "{0}.mean().reshape(1, 1)",
        .numpy_vjp = {"{g} * np.ones_like({0}) / {0}.size", nullptr},
        .numpy_helpers = "",
        GS_CLI_ONLY(.latex = "\\frac{1}{@N} \\mathbf{1}^\\top @0\\, \\mathbf{1}",
                    .latex_chain = {"\\frac{1}{@N} @g\\, \\mathbf{1}_{@s0}", nullptr},)
        .usage = "mean(a)", GS_CLI_ONLY(.doc = "mean of all entries, (1, 1)",)
    },
    {
        .name = "norm2", .symbol = nullptr, .arity = 1, .shape = to_scalar,
        .forward = [](const Matrix* const* in, double, Matrix& out) { out(0, 0) = in[0]->squaredNorm(); },
        .vjp = [](const Matrix* const* in, double, const Matrix&, const Matrix& g, Grad* const* gin) {
          if (gin[0]) *gin[0] += (2.0 * g(0, 0)) * *in[0];      // dY += 2 g Y
        },
        .jvp = [](const Matrix* const* in, const Matrix* const* t, double, const Matrix&, Matrix& tout, const OpDef&) {
          if (t[0]) tout(0, 0) += 2.0 * inner(*in[0], t[0]);      // df += 2 <Y, dY>
        },
        .formula = "{out} = ||{0}||^2 = sum of squares of {0}",
        .local = "d{out}/d{0} = 2 {0}",
        .chain = {"d{0} += 2 * d{out} * {0}", nullptr},
        .explain =
            "The squared length adds up the square of every entry; each square y^2 has slope "
            "2y, so the gradient is twice the vector itself, pointing away from the origin.",
        .story = &kWholeStory, .cell = nullptr,
        .torch = "({0} ** 2).sum().reshape(1, 1)",
        .numpy = "({0} ** 2).sum().reshape(1, 1)",
        .numpy_vjp = {"2 * {g} * {0}", nullptr},
        .numpy_helpers = "",
        GS_CLI_ONLY(.latex = "\\lVert @0 \\rVert_F^2",
                    .latex_chain = {"2\\, @g\\, @0", nullptr},)
        .usage = "norm2(a)", GS_CLI_ONLY(.doc = "sum of squares ||a||^2, (1, 1)",)
    },
    {
        .name = "softmax", .symbol = nullptr, .arity = 1, .shape = same_shape,
        .forward = [](const Matrix* const* in, double, Matrix& out) {
          for (Eigen::Index j = 0; j < out.cols(); ++j) {
            const double m = in[0]->col(j).maxCoeff();
            double sum = 0;  // plain loops, as in log_sum_exp
            for (Eigen::Index i = 0; i < out.rows(); ++i) sum += out(i, j) = std::exp((*in[0])(i, j) - m);
            out.col(j) /= sum;
          }
        },
        .vjp = [](const Matrix* const*, double, const Matrix& p, const Matrix& g, Grad* const* gin) {
          if (!gin[0]) return;
          Matrix& dz = gin[0]->accumulator();
          for (Eigen::Index j = 0; j < p.cols(); ++j) {          // dZ += p * (G - <p, G>) per column
            double s = p.col(j).dot(g.col(j));
            dz.col(j).array() += p.col(j).array() * (g.col(j).array() - s);
          }
        },
        .jvp = symmetric_jvp,  // J = diag(p) - p p^T per column: dP = p * (dZ - <p, dZ>)
        .formula = "{out} = softmax({0}), each column exp / sum(exp)",
        .local = "d{out}_i/d{0}_k = {out}_i ([i = k] - {out}_k) within a column",
        .chain = {"d{0} += {out} * (d{out} - sum({out} * d{out}))  (per column)", nullptr},
        .explain =
            "softmax turns each column into probabilities. Raising one logit raises its own "
            "probability and lowers all the others, because they must still sum to 1. So the "
            "gradient of a logit is its probability times how much its own upstream gradient "
            "exceeds the probability-weighted average of the column's upstream gradients.",
        .story = &kWholeStory, .cell = nullptr,
        .torch = "torch.softmax({0}, dim=0)",
        .numpy = "softmax({0})",
        .numpy_vjp = {"{out} * ({g} - ({out} * {g}).sum(0))", nullptr},
        .numpy_helpers = kColumnSoftmax,
        GS_CLI_ONLY(.latex = "\\operatorname{softmax}(@0)",
                    .latex_chain = {"@out \\odot \\left(@g - \\mathbf{1}\\mathbf{1}^\\top (@out \\odot @g)\\right)", nullptr},)
        .usage = "softmax(a)", GS_CLI_ONLY(.doc = "exp / sum(exp) per column",)
    },
    {
        .name = "log_softmax", .symbol = nullptr, .arity = 1, .shape = same_shape,
        .forward = [](const Matrix* const* in, double, Matrix& out) {
          for (Eigen::Index j = 0; j < out.cols(); ++j)
            out.col(j).array() = in[0]->col(j).array() - log_sum_exp(in[0]->col(j));
        },
        .vjp = [](const Matrix* const*, double, const Matrix& ls, const Matrix& g, Grad* const* gin) {
          if (!gin[0]) return;
          Matrix& dz = gin[0]->accumulator();
          for (Eigen::Index j = 0; j < ls.cols(); ++j) {         // dZ += G - softmax * sum(G) per column
            const double sum = g.col(j).sum();
            for (Eigen::Index i = 0; i < ls.rows(); ++i) dz(i, j) += g(i, j) - std::exp(ls(i, j)) * sum;
          }
        },
        .jvp = [](const Matrix* const*, const Matrix* const* t, double, const Matrix& ls, Matrix& tout, const OpDef&) {
          if (!t[0]) return;
          const Matrix& dz = *t[0];
          for (Eigen::Index j = 0; j < ls.cols(); ++j) {          // dL += dZ - <softmax, dZ> per column
            double s = 0;  // plain loops: with Eigen's vectorized exp this rule was 3 KB of the page
            for (Eigen::Index i = 0; i < ls.rows(); ++i) s += std::exp(ls(i, j)) * dz(i, j);
            for (Eigen::Index i = 0; i < ls.rows(); ++i) tout(i, j) += dz(i, j) - s;
          }
        },
        .formula = "{out} = log(softmax({0})), per column",
        .local = "d{out}_i/d{0}_k = [i = k] - softmax({0})_k within a column",
        .chain = {"d{0} += d{out} - softmax({0}) * sum(d{out})  (per column)", nullptr},
        .explain =
            "log_softmax is z minus the log of the column's sum of exponentials. It is the "
            "numerically safe way to get log-probabilities: no probability underflows to 0 first.",
        .story = &kWholeStory, .cell = nullptr,
        .torch = "torch.log_softmax({0}, dim=0)",
        .numpy = "log_softmax({0})",
        .numpy_vjp = {"{g} - np.exp({out}) * {g}.sum(0)", nullptr},
        .numpy_helpers = kColumnSoftmax,
        GS_CLI_ONLY(.latex = "\\log\\operatorname{softmax}(@0)",
                    .latex_chain = {"@g - \\operatorname{softmax}(@0) \\odot \\mathbf{1}\\mathbf{1}^\\top @g", nullptr},)
        .usage = "log_softmax(a)", GS_CLI_ONLY(.doc = "log(softmax(a)) per column, computed stably",)
    },
    {
        .name = "mse", .symbol = nullptr, .arity = 2, .shape = equal_shapes,
        .forward = [](const Matrix* const* in, double, Matrix& out) {
          out(0, 0) = (*in[0] - *in[1]).squaredNorm() / double(in[0]->size());
        },
        .vjp = [](const Matrix* const* in, double, const Matrix&, const Matrix& g, Grad* const* gin) {
          double k = 2.0 * g(0, 0) / double(in[0]->size());
          if (gin[0]) *gin[0] += k * (*in[0] - *in[1]);         // dA += 2g(A - B)/N
          if (gin[1]) *gin[1] -= k * (*in[0] - *in[1]);         // dB -= 2g(A - B)/N
        },
        .jvp = [](const Matrix* const* in, const Matrix* const* t, double, const Matrix&, Matrix& tout, const OpDef&) {
          const double *a = in[0]->data(), *b = in[1]->data();
          double d = 0;  // 2<A - B, dA - dB>/N, a missing tangent counting as 0
          for (Eigen::Index i = 0; i < in[0]->size(); ++i)
            d += (a[i] - b[i]) * ((t[0] ? t[0]->data()[i] : 0.0) - (t[1] ? t[1]->data()[i] : 0.0));
          tout(0, 0) += 2.0 * d / double(in[0]->size());
        },
        .formula = "{out} = mean(({0} - {1})^2)",
        .local = "d{out}/d{0} = 2({0} - {1})/N, d{out}/d{1} = -2({0} - {1})/N",
        .chain = {"d{0} += d{out} * 2({0} - {1}) / N", "d{1} += -d{out} * 2({0} - {1}) / N"},
        .explain =
            "Mean squared error averages the squared differences over all N entries. Each "
            "prediction is pulled toward its target with a force proportional to how far off "
            "it is: 2(prediction - target)/N.",
        .story = &kWholeStory, .cell = nullptr,
        .torch = "(({0} - {1}) ** 2).mean().reshape(1, 1)",
        .numpy = "(({0} - {1}) ** 2).mean().reshape(1, 1)",
        .numpy_vjp = {"2 * {g} * ({0} - {1}) / {0}.size", "-2 * {g} * ({0} - {1}) / {0}.size"},
        .numpy_helpers = "",
        GS_CLI_ONLY(.latex = "\\frac{1}{@N} \\lVert @0 - @1 \\rVert_F^2",
                    .latex_chain = {"\\frac{2}{@N} @g\\, (@0 - @1)", "-\\frac{2}{@N} @g\\, (@0 - @1)"},)
        .usage = "mse(a, b)", GS_CLI_ONLY(.doc = "mean squared error, same shapes, (1, 1)",)
    },
    {
        .name = "cross_entropy", .symbol = nullptr, .arity = 2,
        .shape = [](const Shape* in, double, Shape& out) -> std::string {
          if (in[0] != in[1])
            return "logits and target must have the same shape: one column per example, "
                   "the target one-hot (or probabilities)";
          out = {1, 1};
          return "";
        },
        .forward = [](const Matrix* const* in, double, Matrix& out) {
          const Matrix& z = *in[0];
          const Matrix& t = *in[1];
          double total = 0;
          for (Eigen::Index j = 0; j < z.cols(); ++j) {        // -sum t * log_softmax(z), per column
            double lse = log_sum_exp(z.col(j));
            total -= (t.col(j).array() * (z.col(j).array() - lse)).sum();
          }
          out(0, 0) = total / double(z.cols());
        },
        .vjp = [](const Matrix* const* in, double, const Matrix&, const Matrix& g, Grad* const* gin) {
          const Matrix& z = *in[0];
          const Matrix& t = *in[1];
          double k = g(0, 0) / double(z.cols());
          Matrix* dz = gin[0] ? &gin[0]->accumulator() : nullptr;
          Matrix* dt = gin[1] ? &gin[1]->accumulator() : nullptr;
          for (Eigen::Index j = 0; j < z.cols(); ++j) {
            const double lse = log_sum_exp(z.col(j)), sum_t = t.col(j).sum();
            for (Eigen::Index i = 0; i < z.rows(); ++i) {
              const double ls = z(i, j) - lse;                   // log_softmax(z)
              if (dz) (*dz)(i, j) += k * (std::exp(ls) * sum_t - t(i, j));  // dZ += g/n (softmax(z) * sum(t) - t)
              if (dt) (*dt)(i, j) -= k * ls;                     // dT += -g/n log_softmax(z)
            }
          }
        },
        .jvp = [](const Matrix* const* in, const Matrix* const* t, double, const Matrix&, Matrix& tout, const OpDef&) {
          const Matrix& z = *in[0];
          const Matrix& y = *in[1];
          double d = 0;
          for (Eigen::Index j = 0; j < z.cols(); ++j) {  // per column, in plain loops (as log_softmax's)
            const double lse = log_sum_exp(z.col(j));
            double sum_t = 0, t_dz = 0, p_dz = 0;
            for (Eigen::Index i = 0; i < z.rows(); ++i) {
              const double ls = z(i, j) - lse;  // log_softmax(z)
              sum_t += y(i, j);
              if (t[0]) t_dz += y(i, j) * (*t[0])(i, j), p_dz += std::exp(ls) * (*t[0])(i, j);
              if (t[1]) d -= ls * (*t[1])(i, j);                 // df -= <log_softmax(z), dT> / n
            }
            d -= t_dz - sum_t * p_dz;                            // df -= (<t, dZ> - sum(t) <softmax(z), dZ>) / n
          }
          tout(0, 0) += d / double(z.cols());
        },
        .formula = "{out} = mean over columns of -sum({1} * log(softmax({0})))",
        .local = "d{out}/d{0} = (softmax({0}) - {1}) / n  for one-hot {1} (n columns)",
        .chain = {"d{0} += d{out} * (softmax({0}) - {1}) / n", "d{1} += -d{out} * log_softmax({0}) / n"},
        .explain =
            "Cross-entropy scores how much probability the softmax of each column gives to the "
            "right class. Its gradient with respect to the logits is remarkably simple: the "
            "predicted probabilities minus the one-hot target, averaged over the n examples. "
            "Wrong classes are pushed down by their probability, the right one up by 1 - p.",
        .story = &kWholeStory, .cell = nullptr,
        .torch = "(-({1} * torch.log_softmax({0}, dim=0)).sum() / {0}.shape[1]).reshape(1, 1)",
        .numpy = "(-({1} * log_softmax({0})).sum() / {0}.shape[1]).reshape(1, 1)",
        .numpy_vjp = {"{g} * (softmax({0}) * {1}.sum(0) - {1}) / {0}.shape[1]",
                      "-{g} * log_softmax({0}) / {0}.shape[1]"},
        .numpy_helpers = kColumnSoftmax,
        GS_CLI_ONLY(.latex = "-\\frac{1}{@n} \\mathbf{1}^\\top \\left(@1 \\odot \\log\\operatorname{softmax}(@0)\\right) \\mathbf{1}",
                    .latex_chain = {"\\frac{1}{@n} @g \\left(\\operatorname{softmax}(@0) \\odot \\mathbf{1}\\mathbf{1}^\\top @1 - @1\\right)", "-\\frac{1}{@n} @g\\, \\log\\operatorname{softmax}(@0)"},)
        .usage = "cross_entropy(logits, target)",
        GS_CLI_ONLY(.doc = "columns are examples; the target is one-hot or probabilities, same shape; mean over columns",)
    },
    {
        .name = "bce", .symbol = nullptr, .arity = 2, .shape = equal_shapes,
        .forward = [](const Matrix* const* in, double, Matrix& out) {
          const double* p = in[0]->data();
          const double* t = in[1]->data();
          double sum = 0;  // plain loops, as in log_sum_exp
          for (Eigen::Index i = 0; i < in[0]->size(); ++i)  // 0 log 0 = 0: a saturated sigmoid (p exactly 1) with
            sum += (t[i] == 0 ? 0.0 : t[i] * std::log(p[i])) +  // target 1 costs 0, not nan
                   (t[i] == 1 ? 0.0 : (1 - t[i]) * std::log(1 - p[i]));
          out(0, 0) = -sum / double(in[0]->size());
        },
        .vjp = [](const Matrix* const* in, double, const Matrix&, const Matrix& g, Grad* const* gin) {
          const double* p = in[0]->data();
          const double* t = in[1]->data();
          const double k = g(0, 0) / double(in[0]->size());
          double* dp = gin[0] ? gin[0]->accumulator().data() : nullptr;
          double* dt = gin[1] ? gin[1]->accumulator().data() : nullptr;
          for (Eigen::Index i = 0; i < in[0]->size(); ++i) {
            if (dp)   // dP += g/N (-t/p + (1 - t)/(1 - p)), a term dropped where its factor is 0
              dp[i] += k * ((t[i] == 0 ? 0.0 : -t[i] / p[i]) + (t[i] == 1 ? 0.0 : (1 - t[i]) / (1 - p[i])));
            if (dt) dt[i] += k * (std::log(1 - p[i]) - std::log(p[i]));  // dT += g/N log((1 - p)/p)
          }
        },
        .jvp = [](const Matrix* const* in, const Matrix* const* t, double, const Matrix&, Matrix& tout, const OpDef&) {
          const double* p = in[0]->data();
          const double* y = in[1]->data();
          double d = 0;
          for (Eigen::Index i = 0; i < in[0]->size(); ++i) {  // plain loops, as log_softmax's
            if (t[0])   // df += <-t/p + (1 - t)/(1 - p), dP>/N, a term dropped where its factor is 0
              d += ((y[i] == 0 ? 0.0 : -y[i] / p[i]) + (y[i] == 1 ? 0.0 : (1 - y[i]) / (1 - p[i]))) * t[0]->data()[i];
            if (t[1]) d += (std::log(1 - p[i]) - std::log(p[i])) * t[1]->data()[i];  // df += <log((1 - p)/p), dT>/N
          }
          tout(0, 0) += d / double(in[0]->size());
        },
        .formula = "{out} = mean(-({1} log {0} + (1 - {1}) log(1 - {0})))",
        .local = "d{out}/d{0} = ({0} - {1}) / ({0}(1 - {0}) N)",
        .chain = {"d{0} += d{out} * ({0} - {1}) / ({0} (1 - {0}) N)", "d{1} += d{out} * log((1 - {0}) / {0}) / N"},
        .explain =
            "Binary cross-entropy compares probabilities {0} in (0, 1) with 0/1 targets. After a "
            "sigmoid, the two derivatives cancel neatly: the gradient reaching the sigmoid's "
            "input is just (p - t)/N.",
        .story = &kWholeStory, .cell = nullptr,
        // Spelled out: F.binary_cross_entropy has no derivative for the target.
        .torch = "(-({1} * torch.log({0}) + (1 - {1}) * torch.log(1 - {0}))).mean().reshape(1, 1)",
        // As the forward above: a term whose factor is 0 is dropped, so 0 log 0 = 0.
        .numpy = "(-(np.where({1} == 0, 0, {1} * np.log({0})) + "
                 "np.where({1} == 1, 0, (1 - {1}) * np.log(1 - {0})))).mean().reshape(1, 1)",
        .numpy_vjp = {"{g} * (np.where({1} == 0, 0, -{1} / {0}) + "
                      "np.where({1} == 1, 0, (1 - {1}) / (1 - {0}))) / {0}.size",
                      "{g} * (np.log(1 - {0}) - np.log({0})) / {0}.size"},
        .numpy_helpers = "",
        GS_CLI_ONLY(.latex = "-\\frac{1}{@N} \\mathbf{1}^\\top \\left(@1 \\odot \\log @0 + (1 - @1) \\odot \\log(1 - @0)\\right) \\mathbf{1}",
                    .latex_chain = {"\\frac{1}{@N} @g \\left((1 - @1) \\oslash (1 - @0) - @1 \\oslash @0\\right)", "\\frac{1}{@N} @g\\, \\log\\left((1 - @0) \\oslash @0\\right)"},)
        .usage = "bce(p, t)", GS_CLI_ONLY(.doc = "binary cross-entropy of probabilities p and targets t, (1, 1)",)
    },
};

}  // namespace gs
