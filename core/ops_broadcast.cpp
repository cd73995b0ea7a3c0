// The elementwise arithmetic + - * / with 2-D broadcasting: a side with one row, one column
// or one entry repeats to the other's shape, and its gradient sums over the copies.
#include "cell_story.h"
#include "grad.h"
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

// A matrix of one shape, read in place: an operand, or one kept in scratch storage (both
// allocated by Eigen, so 16-byte aligned).
using View = Eigen::Map<const Matrix, Eigen::Aligned16>;
using Scratch = Eigen::Map<Matrix, Eigen::Aligned16>;
View view(const Matrix& m) { return View(m.data(), m.rows(), m.cols()); }

// Scratch storage k as a rows x cols matrix. It outlives the call and only grows, so once a
// graph's largest broadcast has been seen, a recompute allocates nothing.
Scratch scratch(int k, Eigen::Index rows, Eigen::Index cols) {
  GS_SCRATCH Matrix buffers[4];  // 0, 1: the operands; 2: sums; 3: a contribution
  Matrix& b = buffers[k];
  if (b.size() < rows * cols) b.resize(rows * cols, 1);
  return Scratch(b.data(), rows, cols);
}

// `m` repeated to `out`'s shape: m itself when it has that shape, otherwise a copy in scratch k.
// The ops below combine matrices of one shape through it: one small function, where a
// replicate expression for every way an op combines its operands cost the page kilobytes.
View expanded(const Matrix& m, const Matrix& out, int k) {
  if (m.rows() == out.rows() && m.cols() == out.cols()) return view(m);
  Scratch s = scratch(k, out.rows(), out.cols());
  s = m.replicate(out.rows() / m.rows(), out.cols() / m.cols());
  return View(s.data(), s.rows(), s.cols());
}

// g += e (out's shape), summed over the dimensions that broadcasting repeated.
void add_reduced(Grad& g, const View& e) {
  if (g.rows() == e.rows() && g.cols() == e.cols()) return void(g += e);
  Scratch sums = scratch(2, g.rows(), g.cols());
  if (g.rows() == 1 && g.cols() == 1) sums(0, 0) = e.sum();
  else if (g.cols() == 1) sums = e.rowwise().sum();
  else sums = e.colwise().sum();
  g += View(sums.data(), sums.rows(), sums.cols());
}

// The same for a contribution that is an expression: evaluated into scratch first.
template <class E>
void add_reduced(Grad& g, const Eigen::ArrayBase<E>& e) {
  Scratch c = scratch(3, e.rows(), e.cols());
  c = e.matrix();
  add_reduced(g, View(c.data(), c.rows(), c.cols()));
}

// The NumPy export's counterpart of add_reduced.
const char* const kUnbroadcast =
    "def unb(x, like):  # sums a broadcast gradient back to the shape of `like`\n"
    "    if x.shape[0] != like.shape[0]: x = x.sum(0, keepdims=True)\n"
    "    if x.shape[1] != like.shape[1]: x = x.sum(1, keepdims=True)\n"
    "    return x\n";

}  // namespace

const std::vector<OpDef> kBroadcastOps = {
    {
        .name = "add", .symbol = "+", .arity = 2, .shape = broadcast_shape,
        .forward = [](const Matrix* const* in, double, Matrix& out) {
          out.array() = expanded(*in[0], out, 0).array() + expanded(*in[1], out, 1).array();
        },
        .vjp = [](const Matrix* const*, double, const Matrix&, const Matrix& g, Grad* const* gin) {
          if (gin[0]) add_reduced(*gin[0], view(g));   // dA += G (summed where A repeats)
          if (gin[1]) add_reduced(*gin[1], view(g));   // dB += G
        },
        .jvp = [](const Matrix* const*, const Matrix* const* t, double, const Matrix& out, Matrix& tout, const OpDef&) {
          if (t[0]) tout += expanded(*t[0], out, 0);         // dZ += dA (repeated where A repeats)
          if (t[1]) tout += expanded(*t[1], out, 0);         // dZ += dB
        },
        .formula = "{out} = {0} + {1}",
        .local = "d{out}/d{0} = 1, d{out}/d{1} = 1  (elementwise)",
        .chain = {"d{0} += d{out}  (summed over repeated rows/columns)",
                  "d{1} += d{out}  (summed over repeated rows/columns)"},
        .explain =
            "Addition passes the gradient through unchanged to both sides. When one side was "
            "repeated to fit (a bias column added to every column, or a single number), each "
            "copy contributed, so its gradient is the sum of the gradients of all its copies.",
        .story = &kEntrywiseStory, .cell = "{0} + {1}",
        .torch = "{0} + {1}",
        .numpy = "{0} + {1}",
        .numpy_vjp = {"unb({g}, {0})", "unb({g}, {1})"},
        .numpy_helpers = kUnbroadcast,
        GS_CLI_ONLY(.latex = "@0 + @1",
                    .latex_chain = {"@bc0@g", "@bc1@g"},)
        .usage = "a + b", GS_CLI_ONLY(.doc = "elementwise sum, broadcasting like NumPy in 2-D",)
    },
    {
        .name = "sub", .symbol = "-", .arity = 2, .shape = broadcast_shape,
        .forward = [](const Matrix* const* in, double, Matrix& out) {
          out.array() = expanded(*in[0], out, 0).array() - expanded(*in[1], out, 1).array();
        },
        .vjp = [](const Matrix* const*, double, const Matrix&, const Matrix& g, Grad* const* gin) {
          if (gin[0]) add_reduced(*gin[0], view(g));   // dA += G
          if (gin[1]) add_reduced(*gin[1], -g.array());  // dB -= G
        },
        .jvp = [](const Matrix* const*, const Matrix* const* t, double, const Matrix& out, Matrix& tout, const OpDef&) {
          if (t[0]) tout += expanded(*t[0], out, 0);         // dZ += dA
          if (t[1]) tout -= expanded(*t[1], out, 0);         // dZ -= dB
        },
        .formula = "{out} = {0} - {1}",
        .local = "d{out}/d{0} = 1, d{out}/d{1} = -1  (elementwise)",
        .chain = {"d{0} += d{out}", "d{1} += -d{out}"},
        .explain =
            "Subtraction passes the gradient to the left side unchanged and to the right side "
            "with its sign flipped: raising {1} lowers {out} by the same amount.",
        .story = &kEntrywiseStory, .cell = "{0} - {1}",
        .torch = "{0} - {1}",
        .numpy = "{0} - {1}",
        .numpy_vjp = {"unb({g}, {0})", "unb(-{g}, {1})"},
        .numpy_helpers = kUnbroadcast,
        GS_CLI_ONLY(.latex = "@0 - @1",
                    .latex_chain = {"@bc0@g", "-@bc1@g"},)
        .usage = "a - b", GS_CLI_ONLY(.doc = "elementwise difference, broadcasting",)
    },
    {
        .name = "mul", .symbol = "*", .arity = 2, .shape = broadcast_shape,
        .forward = [](const Matrix* const* in, double, Matrix& out) {
          out.array() = expanded(*in[0], out, 0).array() * expanded(*in[1], out, 1).array();
        },
        .vjp = [](const Matrix* const* in, double, const Matrix& out, const Matrix& g, Grad* const* gin) {
          if (gin[0]) add_reduced(*gin[0], g.array() * expanded(*in[1], out, 0).array());  // dA += G * B
          if (gin[1]) add_reduced(*gin[1], g.array() * expanded(*in[0], out, 0).array());  // dB += G * A
        },
        .jvp = [](const Matrix* const* in, const Matrix* const* t, double, const Matrix& out, Matrix& tout, const OpDef&) {
          if (t[0]) tout.array() += expanded(*t[0], out, 0).array() * expanded(*in[1], out, 1).array();  // dZ += dA * B
          if (t[1]) tout.array() += expanded(*in[0], out, 0).array() * expanded(*t[1], out, 1).array();  // dZ += A * dB
        },
        .formula = "{out} = {0} * {1}  (elementwise)",
        .local = "d{out}/d{0} = {1}, d{out}/d{1} = {0}  (elementwise)",
        .chain = {"d{0} += d{out} * {1}", "d{1} += d{out} * {0}"},
        .explain =
            "Elementwise product: each entry of {out} is the product of the matching entries. "
            "Nudging one factor changes the product by the other factor, so each side's "
            "gradient is d{out} times the other side, entry by entry.",
        .story = &kEntrywiseStory, .cell = "{0} * {1}",
        .torch = "{0} * {1}",
        .numpy = "{0} * {1}",
        .numpy_vjp = {"unb({g} * {1}, {0})", "unb({g} * {0}, {1})"},
        .numpy_helpers = kUnbroadcast,
        GS_CLI_ONLY(.latex = "@0 \\odot @1",
                    .latex_chain = {"@bc0\\left(@g \\odot @1\\right)", "@bc1\\left(@g \\odot @0\\right)"},)
        .usage = "a * b", GS_CLI_ONLY(.doc = "elementwise product, broadcasting",)
    },
    {
        .name = "div", .symbol = "/", .arity = 2, .shape = broadcast_shape,
        .forward = [](const Matrix* const* in, double, Matrix& out) {
          out.array() = expanded(*in[0], out, 0).array() / expanded(*in[1], out, 1).array();
        },
        .vjp = [](const Matrix* const* in, double, const Matrix& out, const Matrix& g, Grad* const* gin) {
          if (gin[0]) add_reduced(*gin[0], g.array() / expanded(*in[1], out, 0).array());  // dA += G / B
          if (gin[1])                                                                   // dB -= G * A / B^2
            add_reduced(*gin[1], -g.array() * out.array() / expanded(*in[1], out, 0).array());
        },
        .jvp = [](const Matrix* const* in, const Matrix* const* t, double, const Matrix& out, Matrix& tout, const OpDef&) {
          if (t[0]) tout.array() += expanded(*t[0], out, 0).array() / expanded(*in[1], out, 1).array();                // dZ += dA / B
          if (t[1]) tout.array() -= expanded(*t[1], out, 0).array() * out.array() / expanded(*in[1], out, 1).array();  // dZ -= dB A / B^2
        },
        .formula = "{out} = {0} / {1}  (elementwise)",
        .local = "d{out}/d{0} = 1 / {1}, d{out}/d{1} = -{0} / {1}^2  (elementwise)",
        .chain = {"d{0} += d{out} / {1}", "d{1} += -d{out} * {out} / {1}"},
        .explain =
            "Elementwise division. The numerator's gradient is d{out} divided by the "
            "denominator; the denominator's is negative, -{0}/{1}^2 = -{out}/{1}, because a "
            "larger denominator makes the quotient smaller.",
        .story = &kEntrywiseStory, .cell = "{0} / {1}",
        .torch = "{0} / {1}",
        .numpy = "{0} / {1}",
        .numpy_vjp = {"unb({g} / {1}, {0})", "unb(-{g} * {out} / {1}, {1})"},
        .numpy_helpers = kUnbroadcast,
        GS_CLI_ONLY(.latex = "@0 \\oslash @1",
                    .latex_chain = {"@bc0\\left(@g \\oslash @1\\right)", "-@bc1\\left(@g \\odot @out \\oslash @1\\right)"},)
        .usage = "a / b", GS_CLI_ONLY(.doc = "elementwise quotient, broadcasting",)
    },
};

}  // namespace gs
