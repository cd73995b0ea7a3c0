// Reductions along an axis (sum(X, 0), mean, max, min: the result keeps two dimensions, like
// PyTorch's keepdim=True), max and min of a whole matrix, and argmax/argmin (integer results,
// no gradient). Axis 0 runs down each column (one result per column), axis 1 along each row.
#include "cell_story.h"
#include "grad.h"
#include "ops.h"

namespace gs {
namespace {

std::string along_axis(const Shape* in, double axis, Shape& out) {
  out = axis == 0 ? Shape{1, in[0].cols} : Shape{in[0].rows, 1};
  return "";
}

// The entry of line j (a column for axis 0, a row for axis 1) at position i along the axis.
double& at(Matrix& m, double axis, Eigen::Index j, Eigen::Index i) { return axis == 0 ? m(i, j) : m(j, i); }
double at(const Matrix& m, double axis, Eigen::Index j, Eigen::Index i) { return axis == 0 ? m(i, j) : m(j, i); }

// Each line's sum (1, cols) for axis 0, (rows, 1) for axis 1. Plain loops here and in spread():
// these ops are not on a hot path, and Eigen's colwise()/replicate() expressions cost the
// browser build several KB per use.
Matrix line_sums(const Matrix& x, double axis) {
  Matrix s = Matrix::Zero(axis == 0 ? 1 : x.rows(), axis == 0 ? x.cols() : 1);
  for (Eigen::Index c = 0; c < x.cols(); ++c)
    for (Eigen::Index r = 0; r < x.rows(); ++r) s(axis == 0 ? c : r) += x(r, c);
  return s;
}

// d += g / n copied along the axis: entry j of g goes to every entry of line j of d.
void spread(const Matrix& g, double axis, double n, Grad& gin) {
  Matrix& d = gin.accumulator();
  for (Eigen::Index c = 0; c < d.cols(); ++c)
    for (Eigen::Index r = 0; r < d.rows(); ++r) d(r, c) += g(axis == 0 ? c : r) / n;
}

// The number of entries each line along the axis holds.
double line_length(const Matrix& x, double axis) { return double(axis == 0 ? x.rows() : x.cols()); }

// Where the first largest (or smallest) entry of line j is: first as NumPy and PyTorch count,
// so that ties send the gradient where theirs goes.
Eigen::Index first_extreme(const Matrix& x, double axis, Eigen::Index j, bool largest) {
  const Eigen::Index n = axis == 0 ? x.rows() : x.cols();
  Eigen::Index best = 0;
  for (Eigen::Index i = 1; i < n; ++i) {
    double v = at(x, axis, j, i), b = at(x, axis, j, best);
    if (largest ? v > b : v < b) best = i;
  }
  return best;
}

// The whole matrix's first extreme in reading order (row by row, as NumPy flattens).
void first_extreme_entry(const Matrix& x, bool largest, Eigen::Index& row, Eigen::Index& col) {
  row = col = 0;
  for (Eigen::Index r = 0; r < x.rows(); ++r)
    for (Eigen::Index c = 0; c < x.cols(); ++c)
      if (largest ? x(r, c) > x(row, col) : x(r, c) < x(row, col)) row = r, col = c;
}

template <bool kLargest> void extreme_forward(const Matrix* const* in, double axis, Matrix& out) {
  for (Eigen::Index j = 0; j < out.size(); ++j) out(j) = at(*in[0], axis, j, first_extreme(*in[0], axis, j, kLargest));
}
template <bool kLargest>
void extreme_vjp(const Matrix* const* in, double axis, const Matrix&, const Matrix& g, Grad* const* gin) {
  if (!gin[0]) return;
  Matrix& d = gin[0]->accumulator();                        // dX[first extreme of line j] += G[j]
  for (Eigen::Index j = 0; j < g.size(); ++j) at(d, axis, j, first_extreme(*in[0], axis, j, kLargest)) += g(j);
}
template <bool kLargest>
void extreme_jvp(const Matrix* const* in, const Matrix* const* t, double axis, const Matrix&, Matrix& tout, const OpDef&) {
  if (!t[0]) return;                                        // dY[j] += dX[first extreme of line j]
  for (Eigen::Index j = 0; j < tout.size(); ++j) tout(j) += at(*t[0], axis, j, first_extreme(*in[0], axis, j, kLargest));
}
template <bool kLargest> void whole_extreme_forward(const Matrix* const* in, double, Matrix& out) {
  Eigen::Index r, c;
  first_extreme_entry(*in[0], kLargest, r, c);
  out(0, 0) = (*in[0])(r, c);
}
template <bool kLargest>
void whole_extreme_vjp(const Matrix* const* in, double, const Matrix&, const Matrix& g, Grad* const* gin) {
  if (!gin[0]) return;
  Eigen::Index r, c;
  first_extreme_entry(*in[0], kLargest, r, c);
  gin[0]->accumulator()(r, c) += g(0, 0);                   // dX[first extreme] += g
}
template <bool kLargest>
void whole_extreme_jvp(const Matrix* const* in, const Matrix* const* t, double, const Matrix&, Matrix& tout, const OpDef&) {
  if (!t[0]) return;
  Eigen::Index r, c;
  first_extreme_entry(*in[0], kLargest, r, c);
  tout(0, 0) += (*t[0])(r, c);                              // dy += dX[first extreme]
}
template <bool kLargest> void arg_forward(const Matrix* const* in, double axis, Matrix& out) {
  for (Eigen::Index j = 0; j < out.size(); ++j) out(j) = double(first_extreme(*in[0], axis, j, kLargest));
}

// The NumPy export's gradient of max and min: g goes to the first extreme entry of each line.
const char* const kExtremeGrad =
    "def extreme_grad(x, g, axis, pick):  # g to the first max (pick=np.argmax) or min of each line\n"
    "    d = np.zeros_like(x)\n"
    "    if axis is None:\n"
    "        d.flat[pick(x)] = g.item()\n"
    "    elif axis == 0:\n"
    "        d[pick(x, 0), np.arange(x.shape[1])] = g[0]\n"
    "    else:\n"
    "        d[np.arange(x.shape[0]), pick(x, 1)] = g[:, 0]\n"
    "    return d\n";

}  // namespace

const std::vector<OpDef> kAxisOps = {
    {
        .name = "sum_axis", .symbol = nullptr, .arity = 1, .shape = along_axis,
        .forward = [](const Matrix* const* in, double axis, Matrix& out) {
          out = line_sums(*in[0], axis);                         // (1, cols) or (rows, 1)
        },
        .vjp = [](const Matrix* const*, double axis, const Matrix&, const Matrix& g, Grad* const* gin) {
          if (gin[0]) spread(g, axis, 1, *gin[0]);               // dX += G copied along the axis
        },
        .jvp = [](const Matrix* const*, const Matrix* const* t, double axis, const Matrix&, Matrix& tout, const OpDef&) {
          if (t[0]) tout += line_sums(*t[0], axis);              // dY += the sums of dX
        },
        .formula = "{out} = sum of {0} along axis {p}",
        .local = "d{out}/d{0} = 1 for every entry of the line it sums",
        .chain = {"d{0} += d{out}  (copied along axis {p})", nullptr},
        .explain =
            "sum({0}, 0) adds up each column into one row; sum({0}, 1) adds up each row into one "
            "column. Every entry adds with weight 1 to its own line's sum, so its gradient is that "
            "sum's gradient: d{out} copied back along the axis that was summed. This is the "
            "gradient of a broadcast, read backwards.",
        .story = &kAxisStory, .cell = nullptr,
        .torch = "{0}.sum({p}, keepdim=True)",
        .numpy = "{0}.sum(axis={p}, keepdims=True)",
        .numpy_vjp = {"{g} * np.ones_like({0})", nullptr},
        .numpy_helpers = "",
        GS_CLI_ONLY(.latex = "\\operatorname{sum}_{@p}(@0)",
                    .latex_chain = {"@g\\text{ copied along axis }@p", nullptr},)
        .usage = "sum(a, axis)", GS_CLI_ONLY(.doc = "sums down each column (axis 0: (1, cols)) or along each row (axis 1: (rows, 1)); also axis=0",)
        .attr_name = "axis", .function = "sum", .params = "axis",
    },
    {
        .name = "mean_axis", .symbol = nullptr, .arity = 1, .shape = along_axis,
        .forward = [](const Matrix* const* in, double axis, Matrix& out) {
          out = line_sums(*in[0], axis) / line_length(*in[0], axis);  // (1, cols) or (rows, 1)
        },
        .vjp = [](const Matrix* const* in, double axis, const Matrix&, const Matrix& g, Grad* const* gin) {
          if (gin[0]) spread(g, axis, line_length(*in[0], axis), *gin[0]);  // dX += G / n copied along the axis
        },
        .jvp = [](const Matrix* const*, const Matrix* const* t, double axis, const Matrix&, Matrix& tout, const OpDef&) {
          if (t[0]) tout += line_sums(*t[0], axis) / line_length(*t[0], axis);  // dY += the means of dX
        },
        .formula = "{out} = mean of {0} along axis {p}",
        .local = "d{out}/d{0} = 1/n for every entry of the line it averages (n entries)",
        .chain = {"d{0} += d{out} / n  (copied along axis {p})", nullptr},
        .explain =
            "mean({0}, 0) averages each column, mean({0}, 1) each row. Each of the n entries of a "
            "line counts 1/n toward its mean, so it receives 1/n of that mean's gradient: batch "
            "norm's mean over the batch sends every example the same share.",
        .story = &kAxisStory, .cell = nullptr,
        .torch = "{0}.mean({p}, keepdim=True)",
        .numpy = "{0}.mean(axis={p}, keepdims=True)",
        .numpy_vjp = {"{g} * np.ones_like({0}) / {0}.shape[{p}]", nullptr},
        .numpy_helpers = "",
        GS_CLI_ONLY(.latex = "\\operatorname{mean}_{@p}(@0)",
                    .latex_chain = {"\\tfrac{1}{n}\\, @g\\text{ copied along axis }@p", nullptr},)
        .usage = "mean(a, axis)", GS_CLI_ONLY(.doc = "mean down each column (axis 0) or along each row (axis 1), two dimensions kept",)
        .attr_name = "axis", .function = "mean", .params = "axis",
    },
    {
        .name = "max", .symbol = nullptr, .arity = 1, .shape = to_scalar,
        .forward = whole_extreme_forward<true>, .vjp = whole_extreme_vjp<true>,
        .jvp = whole_extreme_jvp<true>,
        .formula = "{out} = the largest entry of {0}",
        .local = "d{out}/d{0} = 1 at the first largest entry, 0 elsewhere",
        .chain = {"d{0} += d{out} at the first largest entry only", nullptr},
        .explain =
            "The maximum passes one entry through unchanged and ignores the rest, so the whole "
            "gradient goes to that entry. When several entries tie, it goes to the first one "
            "(reading row by row), as in PyTorch.",
        .story = &kWholeStory, .cell = nullptr,
        .torch = "{0}.reshape(1, -1).max(1, keepdim=True)[0]",
        .numpy = "{0}.max().reshape(1, 1)",
        .numpy_vjp = {"extreme_grad({0}, {g}, None, np.argmax)", nullptr},
        .numpy_helpers = kExtremeGrad,
        GS_CLI_ONLY(.latex = "\\max @0",
                    .latex_chain = {"@g\\text{ at the first largest entry}", nullptr},)
        .usage = "max(a)", GS_CLI_ONLY(.doc = "largest entry, (1, 1); the gradient goes to the first one",)
    },
    {
        .name = "min", .symbol = nullptr, .arity = 1, .shape = to_scalar,
        .forward = whole_extreme_forward<false>, .vjp = whole_extreme_vjp<false>,
        .jvp = whole_extreme_jvp<false>,
        .formula = "{out} = the smallest entry of {0}",
        .local = "d{out}/d{0} = 1 at the first smallest entry, 0 elsewhere",
        .chain = {"d{0} += d{out} at the first smallest entry only", nullptr},
        .explain =
            "The minimum passes one entry through unchanged, so the whole gradient goes to that "
            "entry; on a tie, to the first one (reading row by row), as in PyTorch.",
        .story = &kWholeStory, .cell = nullptr,
        .torch = "{0}.reshape(1, -1).min(1, keepdim=True)[0]",
        .numpy = "{0}.min().reshape(1, 1)",
        .numpy_vjp = {"extreme_grad({0}, {g}, None, np.argmin)", nullptr},
        .numpy_helpers = kExtremeGrad,
        GS_CLI_ONLY(.latex = "\\min @0",
                    .latex_chain = {"@g\\text{ at the first smallest entry}", nullptr},)
        .usage = "min(a)", GS_CLI_ONLY(.doc = "smallest entry, (1, 1); the gradient goes to the first one",)
    },
    {
        .name = "max_axis", .symbol = nullptr, .arity = 1, .shape = along_axis,
        .forward = extreme_forward<true>, .vjp = extreme_vjp<true>, .jvp = extreme_jvp<true>,
        .formula = "{out} = the largest entry of each line of {0} along axis {p}",
        .local = "d{out}/d{0} = 1 at each line's first largest entry, 0 elsewhere",
        .chain = {"d{0} += d{out} at each line's first largest entry only", nullptr},
        .explain =
            "max({0}, 1) keeps the largest entry of each row (max({0}, 0) of each column). Only "
            "that entry reaches the output, so each row's gradient goes to it alone, to the "
            "first one on a tie, as in PyTorch. Subtracting max(logits, 1) before a softmax "
            "keeps exp from overflowing and changes no probability.",
        .story = &kAxisStory, .cell = nullptr,
        .torch = "{0}.max({p}, keepdim=True)[0]",
        .numpy = "{0}.max(axis={p}, keepdims=True)",
        .numpy_vjp = {"extreme_grad({0}, {g}, {p}, np.argmax)", nullptr},
        .numpy_helpers = kExtremeGrad,
        GS_CLI_ONLY(.latex = "\\max_{@p} @0",
                    .latex_chain = {"@g\\text{ at each line's first largest entry}", nullptr},)
        .usage = "max(a, axis)", GS_CLI_ONLY(.doc = "largest entry of each column (axis 0) or row (axis 1)",)
        .attr_name = "axis", .function = "max", .params = "axis",
    },
    {
        .name = "min_axis", .symbol = nullptr, .arity = 1, .shape = along_axis,
        .forward = extreme_forward<false>, .vjp = extreme_vjp<false>, .jvp = extreme_jvp<false>,
        .formula = "{out} = the smallest entry of each line of {0} along axis {p}",
        .local = "d{out}/d{0} = 1 at each line's first smallest entry, 0 elsewhere",
        .chain = {"d{0} += d{out} at each line's first smallest entry only", nullptr},
        .explain =
            "min({0}, 1) keeps the smallest entry of each row (min({0}, 0) of each column); each "
            "line's gradient goes to that entry alone, to the first one on a tie, as in PyTorch.",
        .story = &kAxisStory, .cell = nullptr,
        .torch = "{0}.min({p}, keepdim=True)[0]",
        .numpy = "{0}.min(axis={p}, keepdims=True)",
        .numpy_vjp = {"extreme_grad({0}, {g}, {p}, np.argmin)", nullptr},
        .numpy_helpers = kExtremeGrad,
        GS_CLI_ONLY(.latex = "\\min_{@p} @0",
                    .latex_chain = {"@g\\text{ at each line's first smallest entry}", nullptr},)
        .usage = "min(a, axis)", GS_CLI_ONLY(.doc = "smallest entry of each column (axis 0) or row (axis 1)",)
        .attr_name = "axis", .function = "min", .params = "axis",
    },
    {
        .name = "argmax", .symbol = nullptr, .arity = 1, .shape = along_axis,
        .forward = arg_forward<true>, .vjp = no_vjp, .jvp = no_jvp,
        .formula = "{out} = where the largest entry of each line of {0} along axis {p} is (0, 1, ...)",
        .local = "none: {out} holds whole numbers, which do not change when {0} moves a little",
        .chain = {"nothing flows back: positions carry no gradient", nullptr},
        .explain =
            "argmax({0}, 1) gives, for each row, the position of its largest entry (the first one "
            "on a tie): a whole number, such as the class a network predicts. Nudging {0} a "
            "little does not change a position, so no gradient passes through it.",
        .story = &kAxisStory, .cell = nullptr,
        .torch = "{0}.argmax({p}, keepdim=True).double()",
        .numpy = "np.expand_dims({0}.argmax(axis={p}), {p}).astype(np.float64)",
        .numpy_vjp = {nullptr, nullptr},
        .numpy_helpers = "",
        GS_CLI_ONLY(.latex = "\\operatorname{argmax}_{@p} @0",
                    .latex_chain = {nullptr, nullptr},)
        .usage = "argmax(a, axis)", GS_CLI_ONLY(.doc = "position of each column's (axis 0) or row's (axis 1) largest entry; no gradient",)
        .attr_name = "axis", .params = "axis", .no_grad = true,
    },
    {
        .name = "argmin", .symbol = nullptr, .arity = 1, .shape = along_axis,
        .forward = arg_forward<false>, .vjp = no_vjp, .jvp = no_jvp,
        .formula = "{out} = where the smallest entry of each line of {0} along axis {p} is (0, 1, ...)",
        .local = "none: {out} holds whole numbers, which do not change when {0} moves a little",
        .chain = {"nothing flows back: positions carry no gradient", nullptr},
        .explain =
            "argmin({0}, 1) gives, for each row, the position of its smallest entry (the first one "
            "on a tie). A position is a whole number that small nudges of {0} do not change, so "
            "no gradient passes through it.",
        .story = &kAxisStory, .cell = nullptr,
        .torch = "{0}.argmin({p}, keepdim=True).double()",
        .numpy = "np.expand_dims({0}.argmin(axis={p}), {p}).astype(np.float64)",
        .numpy_vjp = {nullptr, nullptr},
        .numpy_helpers = "",
        GS_CLI_ONLY(.latex = "\\operatorname{argmin}_{@p} @0",
                    .latex_chain = {nullptr, nullptr},)
        .usage = "argmin(a, axis)", GS_CLI_ONLY(.doc = "position of each column's (axis 0) or row's (axis 1) smallest entry; no gradient",)
        .attr_name = "axis", .params = "axis", .no_grad = true,
    },
};

}  // namespace gs
