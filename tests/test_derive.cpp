// Derive mode: the backward section's language, the verdicts (right, wrong, shape,
// coincidence), "follows from", and the typical mistakes each caught at the right claim.
//
// Contents: helpers | the section's language | verdicts | typical mistakes | the slip example |
// in the app
#include <doctest.h>

#include <fstream>
#include <sstream>

#include "core/derive.h"
#include "core/examples.h"
#include "core/exercise.h"
#include "helpers.h"
#include "ui/derive_panel.h"
#include "ui/graph_parts.h"
#include "ui/headless.h"

using namespace gs;
using namespace gs::testing;

namespace {

// --- helpers -----------------------------------------------------------------------

const std::string kSeedForward = R"(W = [[2, 1, 2], [1, 3, 1], [7, 4, 7]]
x = [[1], [0], [-1]]
Z = W @ x
y = sigmoid(Z)
f = norm2(y)
)";

// The issue's own derivation of the seed: every claim right.
const std::string kSeedBackward = R"(#! backward
dy = 2 * y
dZ = dy * y * (1 - y)
dW = dZ @ x.T
dx = W.T @ dZ
)";

Derivation derived(const std::string& source, int points = 8) {
  Graph g = compiled(source);
  auto d = derive(g, points);
  if (!d) FAIL(d.error().format());
  return d.value();
}

Error derive_error(const std::string& source) {
  Graph g = compiled(source);
  auto d = derive(g);
  if (d) FAIL("expected an error in the backward section");
  return d.error();
}

const Claim& claim(const Derivation& d, const std::string& name) {
  for (const Claim& c : d.claims)
    if (c.name == name) return c;
  FAIL("no claim " << name);
  static Claim none;
  return none;
}

std::string verdicts(const Derivation& d) {
  std::string out;
  for (const Claim& c : d.claims) out += (out.empty() ? "" : ", ") + c.name + " " + verdict_name(c.verdict);
  return out;
}

// The seed with one line of its backward section replaced.
std::string seed_with(const std::string& from, const std::string& to) {
  std::string source = kSeedForward + kSeedBackward;
  size_t at = source.find(from);
  REQUIRE(at != std::string::npos);
  return source.replace(at, from.size(), to);
}

// examples/ninja.gs: the ninja example's forward program and its whole derivation.
std::string ninja_file() {
  std::ifstream in(GRADSCOPE_SOURCE_DIR "/examples/ninja.gs");
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The derivation with one line replaced (the line must be there once).
std::string ninja_with(const std::string& from, const std::string& to) {
  std::string source = ninja_file();
  size_t at = source.find("\n" + from + "\n");
  REQUIRE(at != std::string::npos);
  CHECK(source.find("\n" + from + "\n", at + 1) == std::string::npos);
  return source.replace(at + 1, from.size(), to);
}

// "dcounts dbndiff2, dC dbndiff2": each claim that is not right with the claim it follows from.
std::string followers(const Derivation& d) {
  std::string out;
  for (const Claim& c : d.claims)
    if (c.verdict != Verdict::Right)
      out += (out.empty() ? "" : ", ") + c.name + " " + (c.follows >= 0 ? d.claims[size_t(c.follows)].name : "-");
  return out;
}

}  // namespace

// --- the section's language ----------------------------------------------------------------

TEST_CASE("the backward section") {
  SUBCASE("the forward program ends at '#! backward'; its output is the last statement before it") {
    Graph g = compiled(kSeedForward + kSeedBackward);
    CHECK(g.node(g.output).name == "f");
    CHECK(g.find("dy") < 0);
    CHECK(g.program_text() == kSeedForward + kSeedBackward);
    CHECK(backward_section(kSeedForward + kSeedBackward) == kSeedForward.size());
    CHECK(backward_section(kSeedForward) == std::string::npos);
    CHECK(backward_section("x = 1\n  #!  backward  \ndx = 1\n") == 6);
    CHECK(backward_section("x = 1\n#! backwards\n") == std::string::npos);
  }
  SUBCASE("no section: no claims") {
    Derivation d = derived(kSeedForward);
    CHECK_FALSE(d.present());
    CHECK(d.ok());
  }
  SUBCASE("claims in the order written, at the line that first writes them") {
    Derivation d = derived(kSeedForward + kSeedBackward);
    REQUIRE(d.claims.size() == 4);
    CHECK(verdicts(d) == "dy right, dZ right, dW right, dx right");
    CHECK(d.ok());
    CHECK(d.claims[2].node == "W");
    CHECK(d.claims[2].line == 9);
    CHECK(d.claims[2].column == 1);
    check_matrix(d.claims[2].yours, "[[0.25, 0, -0.25], [0.25, 0, -0.25], [0.25, 0, -0.25]]", 1e-15);
    check_matrix(d.claims[2].truth, "[[0.25, 0, -0.25], [0.25, 0, -0.25], [0.25, 0, -0.25]]", 1e-15);
    CHECK(claim_message(d, d.claims[2]) == "dW agrees with autodiff at the current point and at 8 others");
  }
  SUBCASE("'+=' accumulates the contributions of a node used twice") {
    std::string fan = "x = [[1], [2]]\na = 3 * x\nb = x * x\nf = sum(a + b)\n#! backward\n"
                      "da = df * [[1], [1]]\ndb = da\ndx = 3 * da\ndx += 2 * x * db\n";
    Derivation d = derived(fan);
    CHECK(verdicts(d) == "da right, db right, dx right");
    Derivation half = derived(fan.substr(0, fan.find("dx +=")));
    CHECK(verdicts(half) == "da right, db right, dx wrong");
    CHECK(claim_message(half, claim(half, "dx")) == "dx differs from autodiff: largest error 4 at entry [1][0]");
  }
  SUBCASE("df is 1 unless written; helpers and rebinding") {
    std::string src = "x = [[1], [2]]\nf = sum(x * x)\n#! backward\ndf = 2\nh = df * x\nh = h + h\ndx = h\n";
    Derivation d = derived(src);
    CHECK(verdicts(d) == "df wrong, dx wrong");  // 2 * 2x is not 2x
    CHECK(claim_message(d, claim(d, "dx")) == "dx follows from df, which is wrong");  // through the helper h
    std::string one = "x = [[1], [2]]\nf = sum(x * x)\n#! backward\nh = df * x\nh += h\ndx = h\n";
    CHECK(verdicts(derived(one)) == "dx right");
  }
  SUBCASE("located errors") {
    Error e = derive_error(kSeedForward + "#! backward\ndq = 2 * y\n");
    CHECK(e.message == "there is no node q: a name that starts with 'd' claims the gradient df/dq; give a helper "
                       "another name");
    CHECK(e.line == 7);
    CHECK(e.column == 1);
    e = derive_error(kSeedForward + "#! backward\ndy = 2 * q\n");
    CHECK(e.message == "unknown name 'q'");
    CHECK(e.line == 7);
    CHECK(e.column == 10);
    e = derive_error(kSeedForward + "#! backward\ny = 2\n");
    CHECK(e.message == "'y' is a node of the forward program; give the helper another name");
    e = derive_error(kSeedForward + "#! backward\nh += y\n");
    CHECK(e.message == "'h' has no value to add to yet: write 'h = ...' first");
    e = derive_error(kSeedForward + "#! backward\ndW = dZ @ x\ndZ = y\n");
    CHECK(e.message == "'dZ' is used before it is defined (it is defined on a later line)");
    e = derive_error(kSeedForward + "#! backward\ndW = y @ x\n");
    CHECK(e.message == "cannot apply '@' to (3, 1) and (3, 1): the left side has 1 columns but the right side has 3 rows");
    CHECK(e.line == 7);
    e = derive_error(kSeedForward + "#! backward\ndy = 2 $ y\n");
    CHECK(e.line == 7);
    CHECK(e.source_line == "dy = 2 $ y");
  }
  SUBCASE("the exercise directives ignore the section") {
    const Example* slip = find_example("slip");
    Graph g = compiled(slip->source);
    auto ex = parse_exercise(slip->source, g);
    CHECK(ex.ok());
    std::string with_hide = "#! hide: grads\n" + std::string(slip->source);
    auto hidden = parse_exercise(with_hide, compiled(with_hide));
    REQUIRE(hidden.ok());
    CHECK(hidden.value().hidden_panels.count("grads") == 1);
    CHECK(strip_exercise(with_hide) == slip->source);
  }
}

// --- verdicts ------------------------------------------------------------------------------

TEST_CASE("derive verdicts") {
  SUBCASE("shape") {
    Derivation d = derived(seed_with("dW = dZ @ x.T", "dW = dZ.T @ x"));
    const Claim& c = claim(d, "dW");
    CHECK(c.verdict == Verdict::Shape);
    CHECK(claim_message(d, c) == "dW must have W's shape (3, 3); yours is (1, 1)");
  }
  SUBCASE("wrong, with the largest error and where") {
    Derivation d = derived(seed_with("dx = W.T @ dZ", "dx = -W.T @ dZ"));
    const Claim& c = claim(d, "dx");
    CHECK(c.verdict == Verdict::Wrong);
    CHECK(c.max_error == doctest::Approx(5.0));  // -2.5 against 2.5
    CHECK(c.row == 0);
    CHECK(c.col == 0);
    check_matrix(c.error, "[[5], [4], [5]]", 1e-12);
  }
  SUBCASE("the first claim that is not right is the one the others follow from") {
    Derivation d = derived(seed_with("dy = 2 * y", "dy = 2 * y * y"));
    CHECK(verdicts(d) == "dy wrong, dZ wrong, dW wrong, dx wrong");
    CHECK(d.first_wrong == 0);
    CHECK(claim_message(d, claim(d, "dZ")) == "dZ follows from dy, which is wrong");
    CHECK(claim_message(d, claim(d, "dW")) == "dW follows from dy, which is wrong");
    CHECK(claim(d, "dx").follows == 0);
  }
  SUBCASE("a right claim after a wrong one stays right") {
    Derivation d = derived(seed_with("dW = dZ @ x.T", "dW = x @ dZ.T"));
    CHECK(verdicts(d) == "dy right, dZ right, dW wrong, dx right");
    CHECK(d.first_wrong == 2);
    CHECK(claim(d, "dW").follows == -1);
  }
}

// --- typical mistakes ----------------------------------------------------------------------

TEST_CASE("typical mistakes are each caught at the right claim") {
  SUBCASE("a missing transpose") {
    Derivation d = derived(seed_with("dx = W.T @ dZ", "dx = W @ dZ"));
    CHECK(verdicts(d) == "dy right, dZ right, dW right, dx wrong");
    // W @ dZ sums W's rows, [5, 5, 18] / 4, where W.T @ dZ sums its columns, [10, 8, 10] / 4.
    CHECK(claim_message(d, claim(d, "dx")) == "dx differs from autodiff: largest error 2 at entry [2][0]");
  }
  SUBCASE("a forgotten sum over the broadcast dimension in db") {
    std::string softmax = std::string(find_example("softmax")->source) + "#! backward\ndZ = (softmax(Z) - T) / 3\n"
                                                            "dW = dZ @ X.T\ndb = dZ\n";
    Derivation d = derived(softmax);
    CHECK(verdicts(d) == "dZ right, dW right, db shape");
    CHECK(claim_message(d, claim(d, "db")) == "db must have b's shape (3, 1); yours is (3, 3)");
    // Summed over the columns it broadcast along (the one-hot target keeps its values at
    // every point, so softmax(Z) - T stays right).
    softmax.replace(softmax.find("db = dZ"), 7, "db = dZ @ [[1], [1], [1]]");
    CHECK(verdicts(derived(softmax)) == "dZ right, dW right, db right");
  }
  SUBCASE("the notebook's sigmoid sign: a coincidence at Z = 0") {
    Derivation d = derived(seed_with("dy = 2 * y", "dy = 2 / (1 + exp(Z))"));
    CHECK(verdicts(d) == "dy coincidence, dZ coincidence, dW coincidence, dx coincidence");
    CHECK(claim(d, "dy").points_off == 8);
    CHECK(claim_message(d, claim(d, "dW")) == "dW follows from dy, which is wrong");
  }
}

// Mistakes 4 and 5 in the ninja example's derivation (examples/ninja.gs).
TEST_CASE("typical mistakes in batch norm and softmax are each caught at the right claim") {
  SUBCASE("the wrong axis of a reduction's gradient: dcounts_sum_inv summed down the columns") {
    Derivation d = derived(ninja_with("dcounts_sum_inv = sum(counts * dprobs, 1)",
                                      "dcounts_sum_inv = sum(counts * dprobs, 0)"));
    REQUIRE(d.first_wrong == 2);
    const Claim& c = d.claims[2];
    CHECK(c.name == "dcounts_sum_inv");
    CHECK(c.verdict == Verdict::Shape);
    CHECK(c.follows == -1);
    CHECK(claim_message(d, c) == "dcounts_sum_inv must have counts_sum_inv's shape (8, 1); yours is (1, 5), one "
                                 "value per column instead of one per row");
    // Everything after it that is not right follows from it; dcounts' first term does not use
    // it, but its `+=` does. db1 is 0 whatever comes back: batch norm ignores b1.
    CHECK(verdicts(d).rfind("dlogprobs right, dprobs right, dcounts_sum_inv shape, dcounts wrong, dcounts_sum shape, ", 0) == 0);
    CHECK(claim(d, "db1").verdict == Verdict::Right);
    CHECK(followers(d) == "dcounts_sum_inv -, dcounts dcounts_sum_inv, dcounts_sum dcounts_sum_inv, dnorm_logits "
                          "dcounts_sum_inv, dlogit_maxes dcounts_sum_inv, dlogits dcounts_sum_inv, dh dcounts_sum_inv, "
                          "dW2 dcounts_sum_inv, db2 dcounts_sum_inv, dhpreact dcounts_sum_inv, dbngain dcounts_sum_inv, "
                          "dbnraw dcounts_sum_inv, dbnbias dcounts_sum_inv, dbndiff dcounts_sum_inv, dbnvar_inv "
                          "dcounts_sum_inv, dbnvar dcounts_sum_inv, dbndiff2 dcounts_sum_inv, dhprebn dcounts_sum_inv, "
                          "dbnmeani dcounts_sum_inv, dembcat dcounts_sum_inv, dW1 dcounts_sum_inv, demb0 "
                          "dcounts_sum_inv, demb1 dcounts_sum_inv, demb2 dcounts_sum_inv, dC dcounts_sum_inv");
    CHECK(claim_message(d, claim(d, "dC")) == "dC follows from dcounts_sum_inv, which is wrong");
  }
  SUBCASE("the wrong axis the other way: dbnmeani summed along the rows") {
    Derivation d = derived(ninja_with("dbnmeani = sum(-dbndiff, 0)", "dbnmeani = sum(-dbndiff, 1)"));
    REQUIRE(d.first_wrong >= 0);
    CHECK(d.claims[size_t(d.first_wrong)].name == "dbnmeani");
    CHECK(claim_message(d, claim(d, "dbnmeani")) ==
          "dbnmeani must have bnmeani's shape (1, 6); yours is (8, 1), one value per row instead of one per column");
    // dhprebn is written before dbnmeani, and its `+=` uses it.
    CHECK(followers(d) == "dhprebn dbnmeani, dbnmeani -, dembcat dbnmeani, dW1 dbnmeani, db1 dbnmeani, demb0 "
                          "dbnmeani, demb1 dbnmeani, demb2 dbnmeani, dC dbnmeani");
  }
  SUBCASE("1/n instead of 1/(n-1) in the variance's gradient") {
    Derivation d = derived(ninja_with("dbndiff2 = ones_like(bndiff2) * dbnvar / 7",
                                      "dbndiff2 = ones_like(bndiff2) * dbnvar / 8"));
    // dbndiff is written first, but it is wrong only through its `+= 2 * bndiff * dbndiff2`.
    REQUIRE(d.first_wrong >= 0);
    const Claim& c = d.claims[size_t(d.first_wrong)];
    CHECK(c.name == "dbndiff2");
    CHECK(c.verdict == Verdict::Wrong);
    CHECK(claim_message(d, c).rfind("dbndiff2 differs from autodiff: largest error ", 0) == 0);
    // The error is 1/8 of the right gradient, 1/7 * dbnvar, in every entry.
    Matrix yours = c.yours, truth = c.truth;
    CHECK(difference(yours * 8 / 7, truth) < 1e-12);
    CHECK(c.max_error == doctest::Approx((truth - yours).cwiseAbs().maxCoeff()));
    CHECK(followers(d) == "dbndiff dbndiff2, dbndiff2 -, dhprebn dbndiff2, dembcat dbndiff2, dW1 dbndiff2, demb0 "
                          "dbndiff2, demb1 dbndiff2, demb2 dbndiff2, dC dbndiff2");
    CHECK(claim_message(d, claim(d, "dbndiff")) == "dbndiff follows from dbndiff2, which is wrong");
    // The mean's gradient sums bndiff's column, which is 0: it does not see the slip.
    CHECK(claim(d, "dbnmeani").verdict == Verdict::Right);
  }
}

// --- the ninja example ---------------------------------------------------------------------

TEST_CASE("the ninja example: the backprop-ninja MLP at small sizes, derived by hand in examples/ninja.gs") {
  const Example* ninja = find_example("ninja");
  REQUIRE(ninja != nullptr);
  const std::string file = ninja_file();
  SUBCASE("the file's forward program is the built-in example") {
    size_t at = backward_section(file);
    REQUIRE(at != std::string::npos);
    CHECK(file.substr(0, at) == ninja->source);
    CHECK(ninja->large);
  }
  SUBCASE("vocabulary 5, context 3, embedding 2, hidden 6 with batch norm, batch 8") {
    Graph g = compiled(ninja->source);
    CHECK(g.node(g.output).name == "loss");
    auto shape = [&](const char* name) { return to_string(node(g, name).shape()); };
    CHECK(shape("C") == "(5, 2)");
    CHECK(shape("emb2") == "(8, 2)");
    CHECK(shape("embcat") == "(8, 6)");
    CHECK(shape("bnvar") == "(1, 6)");
    CHECK(shape("logits") == "(8, 5)");
    CHECK(shape("logit_maxes") == "(8, 1)");
    CHECK(op_of(node(g, "emb0")) == "gather_rows");
    CHECK(op_of(node(g, "embcat")) == "hstack");
    CHECK(op_of(node(g, "logit_maxes")) == "max_axis");
    CHECK(op_of(node(g, "gather_1")) == "gather");
    // The variance divides by n - 1 = 7 (Bessel), the mean by n = 8.
    const Matrix& h = node(g, "hprebn").value;  // (8, 6)
    Eigen::RowVectorXd mean = h.colwise().mean();
    Matrix var = (h.rowwise() - mean).array().square().colwise().sum().matrix() / 7;
    CHECK(difference(node(g, "bnvar").value, var) < 1e-15);
    // The loss is the mean cross-entropy of the logits, computed here without the max.
    const Matrix& logits = node(g, "logits").value;
    const Matrix& Y = node(g, "Yb").value;
    double loss = 0;
    for (Eigen::Index r = 0; r < 8; ++r) loss -= logits(r, Eigen::Index(Y(r, 0))) - std::log(logits.row(r).array().exp().sum());
    CHECK(node(g, "loss").value(0, 0) == doctest::Approx(loss / 8).epsilon(1e-14));
  }
  SUBCASE("every gradient of the exercise is claimed, and every claim is right at 9 points") {
    Derivation d = derived(file);
    CHECK(verdicts(d) == "dlogprobs right, dprobs right, dcounts_sum_inv right, dcounts right, dcounts_sum right, "
                         "dnorm_logits right, dlogit_maxes right, dlogits right, dh right, dW2 right, db2 right, "
                         "dhpreact right, dbngain right, dbnraw right, dbnbias right, dbndiff right, dbnvar_inv right, "
                         "dbnvar right, dbndiff2 right, dhprebn right, dbnmeani right, dembcat right, dW1 right, "
                         "db1 right, demb0 right, demb1 right, demb2 right, dC right");
    CHECK(d.ok());
    for (const Claim& c : d.claims) {
      CAPTURE(c.name);
      CHECK(c.points_checked == 8);
    }
    // C's rows 1 and 4 are looked up several times: their gradients add up.
    CHECK(claim(d, "dC").truth.row(4).norm() > 0);
  }
}

TEST_CASE("the ninja example opens whole in the app, zoomed out to fit its 45 cards") {
  ui::Headless h;
  REQUIRE(ui::load_example(h.state, "ninja"));
  for (int i = 0; i < 4; ++i) h.frame();
  const ui::ViewState& v = h.state.view;
  REQUIRE(v.cards.size() == 45);
  for (const ui::Rect& c : v.cards) {
    CHECK(c.x >= v.graph.x - 0.5f);
    CHECK(c.y >= v.graph.y - 0.5f);
    CHECK(c.x + c.w <= v.graph.x + v.graph.w + 0.5f);
    CHECK(c.y + c.h <= v.graph.y + v.graph.h + 0.5f);
  }
  CHECK(v.zoom < 1);
}

TEST_CASE("a right claim's heatmap is all agreeing green, rounding differences included") {
  // ninja.gs's 28 claims are right, but many entries differ from autodiff's by rounding
  // (1e-17): those must not be shaded against each other as errors.
  ui::Headless h;
  ui::set_program(h.state, ninja_file());
  for (int i = 0; i < 2; ++i) h.frame();
  const ui::Palette& pal = ui::palette(false);
  const ImU32 green = ui::claim_entry_color(pal, claim(h.state.derivation, "dW1"), 0, 0, 0);
  int rounding = 0;
  REQUIRE(h.state.derivation.claims.size() == 28);
  for (const Claim& c : h.state.derivation.claims) {
    CAPTURE(c.name);
    REQUIRE(c.verdict == Verdict::Right);
    CHECK(ui::claim_largest_error(c) == 0);
    for (Eigen::Index r = 0; r < c.yours.rows(); ++r)
      for (Eigen::Index k = 0; k < c.yours.cols(); ++k) {
        CHECK(ui::claim_entry_color(pal, c, r, k, 0) == green);
        rounding += c.error(r, k) > 0;
      }
  }
  CHECK(rounding > 0);  // the case this test is about does occur
  // A wrong entry is shaded: the seed's dx = W @ dZ (a missing transpose) is off by 2 at [2][0].
  ui::set_program(h.state, std::string(find_example("seed")->source) +
                               "#! backward\ndy = 2 * y\ndZ = dy * y * (1 - y)\ndx = W @ dZ\n");
  h.frame();
  const Claim& dx = claim(h.state.derivation, "dx");
  REQUIRE(dx.verdict == Verdict::Wrong);
  CHECK(ui::claim_largest_error(dx) == doctest::Approx(2));
  CHECK(ui::claim_entry_color(pal, dx, 2, 0, ui::claim_largest_error(dx)) == pal.error);
  CHECK(ui::claim_entry_color(pal, dx, 1, 0, ui::claim_largest_error(dx)) != green);
}

TEST_CASE("the Derive tab says which claim to fix first, and what follows from it only when something does") {
  ui::Headless h;
  auto drawn = [&] {  // one flowing text: the panel wraps the sentence over lines
    std::string all;
    for (const std::string& t : ui::drawn_text()) all += t + " ";
    return all;
  };
  // The last claim is the wrong one: nothing follows from it.
  ui::set_program(h.state, std::string(find_example("seed")->source) +
                               "#! backward\ndy = 2 * y\ndZ = dy * y * (1 - y)\ndW = dZ @ x.T\ndx = W @ dZ\n");
  for (int i = 0; i < 3; ++i) h.frame();
  std::string text = drawn();
  INFO(text);
  CHECK(text.find("Fix dx first (line 11).") != std::string::npos);
  CHECK(text.find("follow from it") == std::string::npos);
  // The slip: dZ, dW and dx follow from dy.
  ui::set_program(h.state, find_example("slip")->source);
  for (int i = 0; i < 3; ++i) h.frame();
  text = drawn();
  CHECK(text.find("Fix dy first (line 15): the claims after it that use it follow") != std::string::npos);
}

// --- the slip example ------------------------------------------------------------------------

TEST_CASE("the slip example's worked derivation is a coincidence") {
  const Example* slip = find_example("slip");
  REQUIRE(slip != nullptr);
  Graph g = compiled(slip->source);
  check_matrix(node(g, "Z").value, "[[0], [0], [0]]", 0);
  Derivation d = derived(slip->source);
  CHECK(verdicts(d) == "dy coincidence, dZ coincidence, dW coincidence, dx coincidence");
  CHECK(d.first_wrong == 0);
  const Claim& dy = claim(d, "dy");
  CHECK(dy.points_off == 8);
  CHECK(dy.points_checked == 8);
  // At the current point the numbers are exactly autodiff's...
  check_matrix(dy.yours, "[[1], [1], [1]]", 0);
  CHECK(dy.error.maxCoeff() == 0);
  // ...elsewhere 2 sigmoid(-Z) against 2 sigmoid(Z): at most 2 apart, never equal.
  CHECK(dy.max_error > 0.01);
  CHECK(dy.max_error < 2);
  CHECK(claim_message(d, dy).rfind("dy agrees with autodiff at the current point but not at 8 of 8 other points: "
                                   "largest error ", 0) == 0);
  CHECK(claim_message(d, claim(d, "dZ")) == "dZ follows from dy, which is wrong");
  CHECK(claim_message(d, claim(d, "dx")) == "dx follows from dy, which is wrong");
}

// --- in the app ------------------------------------------------------------------------------

TEST_CASE("the app keeps the verdicts current, adds a claim row to claimed cards and hides gradients on request") {
  ui::Headless h;
  REQUIRE(ui::load_example(h.state, "slip"));
  h.frame();
  CHECK(ui::derive_tab_visible(h.state));
  CHECK(verdicts(h.state.derivation) == "dy coincidence, dZ coincidence, dW coincidence, dx coincidence");
  SUBCASE("a claimed card is taller by its claim row; unclaimed cards are not") {
    std::vector<ui::CardLayout> cards = ui::layout_graph(h.state, {}).cards;
    const int y = h.state.graph.find("y"), f = h.state.graph.find("f");
    const float row = 4 + ui::label_height() + 3 * cards[size_t(y)].cell_h;  // a gap, a label, 3 rows of numbers
    CHECK(ui::claim_row_height(h.state, y, cards[size_t(y)]) == doctest::Approx(row));
    CHECK(ui::claim_row_height(h.state, f, cards[size_t(f)]) == 0);
    REQUIRE(ui::set_program(h.state, kSeedForward));
    std::vector<ui::CardLayout> plain = ui::layout_graph(h.state, {}).cards;
    CHECK(cards[size_t(y)].h - plain[size_t(y)].h == doctest::Approx(row));
    CHECK(cards[size_t(f)].h == plain[size_t(f)].h);
    CHECK_FALSE(ui::derive_tab_visible(h.state));
  }
  SUBCASE("new input values are checked again") {
    // Away from Z = 0 the slip is wrong at the current point too.
    REQUIRE(ui::set_input_value(h.state, "x", matrix("[[1], [0.5], [-1]]")).ok());
    CHECK(verdicts(h.state.derivation) == "dy wrong, dZ wrong, dW wrong, dx wrong");
  }
  SUBCASE("'#! hide: grads' hides autodiff's gradients until every claim is right") {
    REQUIRE(ui::set_program(h.state, "#! hide: grads\n" + std::string(find_example("slip")->source)));
    const int W = h.state.graph.find("W");
    CHECK(ui::is_hidden(h.state, W, true));
    CHECK_FALSE(ui::is_hidden(h.state, W, false));
    h.frame();
    REQUIRE(ui::set_program(h.state, "#! hide: grads\n" + kSeedForward + kSeedBackward));
    CHECK(h.state.derivation.ok());
    CHECK_FALSE(ui::is_hidden(h.state, W, true));
  }
  SUBCASE("an error in the section is shown, and the forward graph stays") {
    REQUIRE(ui::set_program(h.state, kSeedForward + "#! backward\ndq = y\n"));
    REQUIRE(h.state.derive_error.has_value());
    CHECK(h.state.derive_error->line == 7);
    CHECK(h.state.graph.find("W") >= 0);
    CHECK(ui::derive_tab_visible(h.state));
    h.frame();
  }
}
