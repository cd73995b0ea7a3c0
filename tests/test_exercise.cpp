// Exercises: the "#!" directives, marking, and predict-then-reveal in the front end.
#include <doctest.h>
#include <imgui.h>

#include "core/compile.h"
#include "core/examples.h"
#include "core/exercise.h"
#include "ui/state.h"

using namespace gs;

namespace {
const char* kSeedExercise =
    "#! ask: dy, dZ, dW\n"
    "#! lock: W\n"
    "#! hide: editor\n"
    "W = [[2, 1, 2], [1, 3, 1], [7, 4, 7]]\n"
    "x = [[1], [0], [-1]]\n"
    "Z = W @ x\n"
    "y = sigmoid(Z)\n"
    "f = norm2(y)\n";
}

TEST_CASE("exercise directives") {
  auto g = compile(kSeedExercise);
  REQUIRE(g);
  SUBCASE("parsed in order") {
    auto e = parse_exercise(kSeedExercise, g.value());
    REQUIRE(e);
    REQUIRE(e->questions.size() == 3);
    CHECK(e->questions[0].node == "y");
    CHECK(e->questions[0].gradient);
    CHECK(e->questions[2].label() == "dW");
    CHECK(e->locked == std::set<std::string>{"W"});
    CHECK(e->hidden_panels == std::set<std::string>{"editor"});
    CHECK(e->tolerance == 1e-3);
  }
  SUBCASE("errors name the line and column") {
    std::string src = std::string("#! ask: dQ\n") + find_example("seed")->source;
    auto e = parse_exercise(src, compile(src).value());
    REQUIRE_FALSE(e);
    CHECK(e.error().message ==
          "'dQ' is not a node of the program: ask for a value by its name (y) or a gradient with d in front (dy)");
    CHECK(e.error().line == 1);
    CHECK(e.error().column == 9);
    src = std::string("#! lock: Z\n") + find_example("seed")->source;
    CHECK(parse_exercise(src, compile(src).value()).error().message == "'Z' is not an input, so it cannot be locked");
    src = std::string("#! hide: graph\n") + find_example("seed")->source;
    CHECK(parse_exercise(src, compile(src).value()).error().message ==
          "unknown panel 'graph' (use editor, inputs, side, menu)");
    src = std::string("#! tolerance: -1\n") + find_example("seed")->source;
    CHECK(parse_exercise(src, compile(src).value()).error().message == "tolerance must be a positive number");
    src = std::string("#! show: W\n") + find_example("seed")->source;
    CHECK(parse_exercise(src, compile(src).value()).error().message ==
          "unknown exercise key 'show' (keys: ask, lock, hide, tolerance)");
  }
  SUBCASE("header round trip") {
    auto e = parse_exercise(kSeedExercise, g.value());
    std::string again = exercise_header(e.value()) + strip_exercise(kSeedExercise);
    CHECK(again == kSeedExercise);
    CHECK(strip_exercise(kSeedExercise).find("#!") == std::string::npos);
  }
}

TEST_CASE("marking an answer entry by entry") {
  Matrix truth(2, 1);
  truth << 0.25, -0.5;
  Matrix answer(2, 1);
  answer << 0.2504, 0.5;
  Marked m = mark_answer(answer, truth, 1e-3);
  CHECK(m.correct == 1);
  CHECK(m.total == 2);
  CHECK(m.right == std::vector<char>{1, 0});
  CHECK_FALSE(m.all());
  CHECK(mark_answer(Matrix::Zero(1, 2), truth, 1e-3).correct == 0);  // wrong shape: nothing right
}

TEST_CASE("predict then reveal in the front end") {
  ui::AppState s;
  REQUIRE(ui::set_program(s, kSeedExercise));
  int Z = s.graph.find("Z"), W = s.graph.find("W");
  CHECK(ui::is_hidden(s, Z, true));
  CHECK_FALSE(ui::is_hidden(s, Z, false));
  CHECK(ui::is_locked(s, "W"));
  CHECK_FALSE(ui::panel_visible(s, "editor"));
  REQUIRE(s.answers.size() == 3);

  SUBCASE("a wrong prediction is marked wrong, a right one right") {
    s.answers[1].cells = {"0.25", "0.3", "0.25"};  // df/dZ; the middle entry is wrong
    ui::check_answer(s, 1);
    CHECK(s.answers[1].marked.right == std::vector<char>{1, 0, 1});
    CHECK(ui::is_hidden(s, Z, true));
    s.answers[1].cells[1] = "2.5e-1";
    ui::check_answer(s, 1);
    CHECK(s.answers[1].marked.all());
    CHECK_FALSE(ui::is_hidden(s, Z, true));
  }
  SUBCASE("reveal shows the gradient") {
    CHECK(ui::is_hidden(s, W, true));
    s.answers[2].revealed = true;
    CHECK_FALSE(ui::is_hidden(s, W, true));
  }
  SUBCASE("answers survive edits of the inputs; the truth follows the values") {
    s.answers[0].cells = {"1", "1", "1"};
    REQUIRE(ui::set_input_entry(s, s.graph.find("x"), 0, 0, 0.0));
    REQUIRE(s.answers.size() == 3);
    CHECK(s.answers[0].cells[0] == "1");
    ui::check_answer(s, 0);
    CHECK(s.answers[0].marked.correct < 3);  // y moved away from 0.5, so df/dy is no longer all 1
  }
}
