// Derive mode: the backward section's language, the verdicts (right, wrong, shape,
// coincidence), "follows from", and the typical mistakes each caught at the right claim.
//
// Contents: helpers | the section's language | verdicts | typical mistakes | the slip example |
// in the app
#include <doctest.h>

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
