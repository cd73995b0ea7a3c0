// The language of course exercises, part two: calls that pass numbers (sum(X, 0), axis=1,
// zeros(r, c), onehot(I, k), reshape(X, r, c)), ops with any number of inputs (hstack,
// vstack), and results that carry no gradient (argmax, the constructors). Each op's values
// and gradients are also checked in test_ops.cpp and against PyTorch in torch_compare.py.
#include <doctest.h>

#include "tests/helpers.h"

#include <string>

#include "core/compile.h"
#include "core/export.h"
#include "core/limits.h"
#include "core/serialize.h"

using namespace gs;
using namespace gs::testing;

TEST_CASE("calls pass numbers after their matrices") {
  const std::string x = "x = [[1, 5, 2], [7, 0, 3]]\n";
  SUBCASE("an axis, by position or as axis=, negative from the end; two dimensions kept") {
    for (const char* call : {"sum(x, 0)", "sum(x, axis=0)", "sum(x, -2)"}) {
      CAPTURE(call);
      Graph g = compiled(x + "y = " + call + "\nf = sum(y)\n");
      CHECK(op_of(node(g, "y")) == "sum_axis");
      CHECK(node(g, "y").attr == 0);
      check_matrix(node(g, "y").value, "[[8, 5, 5]]");
    }
    for (const char* call : {"sum(x, 1)", "sum(x, axis=1)", "sum(x, axis=-1)"}) {
      CAPTURE(call);
      check_matrix(node(compiled(x + "y = " + call + "\nf = sum(y)\n"), "y").value, "[[8], [10]]");
    }
    Graph g = compiled(x + "a = mean(x, 0)\nb = max(x, 1)\nc = min(x, axis=0)\nd = max(x)\ne = min(x)\n"
                           "f = sum(a) + sum(b) + sum(c) + d + e\n");
    check_matrix(node(g, "a").value, "[[4, 2.5, 2.5]]");
    check_matrix(node(g, "b").value, "[[5], [7]]");
    check_matrix(node(g, "c").value, "[[1, 0, 2]]");
    check_matrix(node(g, "d").value, "7");
    check_matrix(node(g, "e").value, "0");
    // Each line's gradient reaches its mean evenly and its extremes only: x[0][1] is row 0's max.
    check_matrix(node(g, "x").grad, "[[1.5, 1.5, 1.5], [2.5, 2.5, 0.5]]");
    CHECK(graph_json(g).find("\"axis\":1.0") != std::string::npos);  // the JSON names the number
  }
  SUBCASE("shapes asked for: zeros, ones, reshape (row by row), onehot's class count") {
    Graph g = compiled(x + "z = zeros(2, 3)\no = ones(1, 4)\nr = reshape(x, 3, 2)\nI = [[2], [0]]\nh = onehot(I, 4)\n"
                           "f = sum(z + x) + sum(o) + sum(r) + sum(h)\n");
    check_matrix(node(g, "z").value, "[[0, 0, 0], [0, 0, 0]]");
    check_matrix(node(g, "o").value, "[[1, 1, 1, 1]]");
    check_matrix(node(g, "r").value, "[[1, 5], [2, 7], [0, 3]]");
    check_matrix(node(g, "h").value, "[[0, 0, 1, 0], [1, 0, 0, 0]]");
  }
}

TEST_CASE("wrong arguments to a call are located errors") {
  const std::string x = "x = [[1, 2, 3], [4, 5, 6]]\n";
  check_compile_error(x + "f = sum(argmax(x))", "'argmax' takes 2 arguments, as in argmax(a, axis), but was given 1", 2, 9);
  check_compile_error(x + "f = sum(x, 0, 1)", "'sum' takes 1 or 2 arguments, as in sum(a) or sum(a, axis), but was given 3", 2,
              5);
  check_compile_error(x + "f = sum(sum(x, 2))",
              "the axis of 'sum' must be 0 (down each column: one result per column) or 1 (along each row: one result "
              "per row), not 2",
              2, 16);
  check_compile_error(x + "f = sum(max(x, axis=-3))",
              "the axis of 'max' must be 0 (down each column: one result per column) or 1 (along each row: one result "
              "per row), not -3",
              2, 22);
  check_compile_error(x + "n = 1\nf = sum(sum(x, n))",
              "the axis of 'sum' must be a number written in the call, as in sum(a, axis), not 'n'", 3, 16);
  check_compile_error(x + "f = sum(mean(x, 0.5))", "the axis of 'mean' must be a whole number, not 0.5", 2, 17);
  check_compile_error(x + "f = sum(sum(x, dim=0))", "'sum' has no argument 'dim': write sum(a, axis)", 2, 16);
  check_compile_error(x + "f = sum(axis=x)", "'sum' takes a matrix here, not 'axis=': write sum(a)", 2, 9);
  check_compile_error("f = sum(zeros(0, 2))", "the rows of 'zeros' must be from 1 to " + std::to_string(kMaxDim) + ", not 0", 1,
              15);
  check_compile_error("f = sum(ones(2, 1e9))",
              "the cols of 'ones' must be from 1 to " + std::to_string(kMaxDim) + ", not 1e+09", 1, 17);
  check_compile_error(x + "f = sum(reshape(x, 4, 2))", "cannot apply 'reshape' to (2, 3): it has 6 entries but (4, 2) holds 8",
              2, 9);
  check_compile_error("a = [[1], [2]]\nb = [[1, 2, 3]]\nf = sum(hstack(a, a, b))",
              "cannot apply 'hstack' to (2, 1), (2, 1) and (1, 3): argument 3 has 1 row but argument 1 has 2: hstack "
              "puts its arguments side by side, so all need the same number of rows",
              3, 9);
  check_compile_error("a = [[1], [2]]\nb = [[1, 2, 3]]\nf = sum(vstack(b, a))",
              "cannot apply 'vstack' to (1, 3) and (2, 1): argument 2 has 1 column but argument 1 has 3: vstack "
              "stacks its arguments, so all need the same number of columns",
              3, 9);
  check_compile_error("f = sum(hstack())", "'hstack' takes one or more arguments but was given 0", 1, 9);
  SUBCASE("onehot's indices: one column of whole numbers below the class count") {
    check_compile_error("I = [[0], [3]]\nf = sum(onehot(I, 3))",
                "onehot: entry 1 of the indices is 3, outside 0 to 2 (there are 3 classes)", 2, 9);
    check_compile_error("I = [[-1]]\nf = sum(onehot(I, 3))",
                "onehot: entry 0 of the indices is -1, outside 0 to 2 (there are 3 classes)", 2, 9);
    check_compile_error("I = [[0.5]]\nf = sum(onehot(I, 2))", "onehot: entry 0 of the indices is 0.5, not a whole number", 2,
                9);
    check_compile_error("I = [[0, 1]]\nf = sum(onehot(I, 2))",
                "cannot apply 'onehot' to (1, 2): the indices must be one column (n, 1), one class index per row", 2, 9);
  }
}

TEST_CASE("argmax, argmin and the constructors carry no gradient; what is made from them alone neither") {
  Graph g = compiled(
      "x = [[1, 5, 2], [7, 0, 3]]\n"
      "d = argmax(x, 1)\n"
      "e = onehot(d, 3)\n"
      "t = e.T\n"
      "m = e * x\n"
      "z = zeros_like(x) + ones(2, 3)\n"
      "f = sum(m) + sum(t) + sum(z * x) + sum(argmin(x, 0))\n");
  for (const char* name : {"d", "e", "t", "z"}) {
    CAPTURE(name);
    CHECK_FALSE(node(g, name).differentiable);
    CHECK(node(g, name).grad.isZero());
  }
  CHECK(node(g, "m").differentiable);  // e * x: x carries one
  check_matrix(node(g, "m").grad, "[[1, 1, 1], [1, 1, 1]]");
  // x's gradient: e (from m = e * x) plus z = 1 (from z * x); nothing through argmax or argmin.
  check_matrix(node(g, "x").grad, "[[1, 2, 1], [2, 1, 1]]");
  check_matrix(node(g, "d").value, "[[1], [0]]");
  SUBCASE("positions are shown as whole numbers") {
    CHECK(format_short(node(g, "d").value(0, 0)) == "1");
    CHECK(format_short(node(g, "d").value(1, 0)) == "0");
    CHECK(graph_json(g).find("\"name\":\"d\",\"op\":\"argmax\",\"inputs\":[\"x\"],\"shape\":[2,1],"
                             "\"value\":[[1.0],[0.0]],\"grad\":[[0.0],[0.0]]") != std::string::npos);
  }
  SUBCASE("the exports send nothing through them and keep no PyTorch gradient of them") {
    std::string numpy = export_numpy(g), torch = export_pytorch(g);
    CAPTURE(numpy);
    CHECK(numpy.find("grad[\"x\"] += extreme") == std::string::npos);
    CHECK(numpy.find("grad[\"d\"] +=") == std::string::npos);
    CHECK(numpy.find("grad[\"e\"] +=") == std::string::npos);
    CHECK(torch.find("d.retain_grad()") == std::string::npos);
    CHECK(torch.find("e.retain_grad()") == std::string::npos);
    CHECK(torch.find("m.retain_grad()") != std::string::npos);
  }
  SUBCASE("an output made of constants alone still has df/df = 1, in PyTorch too") {
    Graph c = compiled("f = sum(zeros(2, 2))\n");
    check_matrix(node(c, "f").grad, "1");
    CHECK(export_pytorch(c).find("f.requires_grad_()") != std::string::npos);
  }
}

TEST_CASE("hstack and vstack take any number of inputs, more than the fixed-arity ops") {
  Graph g = compiled(
      "a = [[1], [2]]\nb = [[3, 4], [5, 6]]\nc = [[7], [8]]\n"
      "h = hstack(a, b, c, a, b)\n"
      "v = vstack(a.T, c.T, a.T)\n"
      "G = [[1, 2, 3, 4, 5, 6, 7], [8, 9, 10, 11, 12, 13, 14]]\n"
      "f = sum(G * h) + sum(v * [[1, 10]])\n");
  const Node& h = node(g, "h");
  CHECK(h.arity() == 5);
  CHECK(h.attr == 5);
  check_matrix(h.value, "[[1, 3, 4, 7, 1, 3, 4], [2, 5, 6, 8, 2, 5, 6]]");
  check_matrix(node(g, "v").value, "[[1, 2], [7, 8], [1, 2]]");
  // a: columns 0 and 4 of G (1 + 5, 8 + 12) and twice v's weights (2, 20); b: columns 1-2 and 5-6.
  check_matrix(node(g, "a").grad, "[[8], [40]]");
  check_matrix(node(g, "b").grad, "[[8, 10], [22, 24]]");
  check_matrix(node(g, "c").grad, "[[5], [21]]");
  SUBCASE("one node's contribution on its own, as the step-through sends it") {
    Graph step = g;
    for (Node& n : step.nodes) n.grad.setZero();
    step.node(step.find("h")).grad = node(g, "G").value;
    step.backward_node(step.find("h"));
    check_matrix(step.node(step.find("a")).grad, "[[6], [20]]");
    check_matrix(step.node(step.find("c")).grad, "[[4], [11]]");
  }
  SUBCASE("the exports join every argument and split the gradient back") {
    std::string numpy = export_numpy(g);
    CHECK(numpy.find("h = np.hstack([a, b, c, a, b])") != std::string::npos);
    CHECK(numpy.find("grad[\"b\"] += hstack_part(grad[\"h\"], 4, [a, b, c, a, b])") != std::string::npos);
    CHECK(export_pytorch(g).find("h = torch.hstack([a, b, c, a, b])") != std::string::npos);
  }
}
