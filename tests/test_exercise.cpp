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
          "unknown panel 'graph' (use editor, inputs, side, menu, grads)");
    src = std::string("#! tolerance: -1\n") + find_example("seed")->source;
    CHECK(parse_exercise(src, compile(src).value()).error().message == "tolerance must be a positive number");
    src = std::string("#! show: W\n") + find_example("seed")->source;
    CHECK(parse_exercise(src, compile(src).value()).error().message ==
          "unknown exercise key 'show' (keys: ask, lock, hide, tolerance, params)");
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
    CHECK(s.answers[1].right_after_retries());
    // dZ is answered, but dy is still open and dZ is computed from it: still hidden
    CHECK(ui::is_hidden(s, Z, true));
    s.answers[0].cells = {"1", "2/2", "0.5*2"};
    ui::check_answer(s, 0);
    CHECK(s.answers[0].right_first_try());
    CHECK_FALSE(ui::is_hidden(s, Z, true));
    CHECK(ui::is_hidden(s, W, true));  // its own question is open
  }
  SUBCASE("reveal shows the gradient once everything it is computed from is shown") {
    CHECK(ui::is_hidden(s, W, true));
    s.answers[2].revealed = true;
    CHECK(ui::is_hidden(s, W, true));  // dy and dZ are open: dW would give them away
    s.answers[0].revealed = s.answers[1].revealed = true;
    CHECK_FALSE(ui::is_hidden(s, W, true));
    ui::ExerciseSummary sum = ui::exercise_summary(s);
    CHECK(sum.revealed == 3);
    CHECK(sum.first_try + sum.after_retries + sum.open == 0);
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

TEST_CASE("one hiding rule: an asked gradient hides every gradient computed from it") {
  SUBCASE("worked example 1: the backward pass by hand") {
    ui::AppState s;
    REQUIRE(ui::set_program(s, "#! ask: dy, dZ, dW, dx\n#! lock: *\n" + std::string(find_example("seed")->source)));
    for (const char* name : {"W", "x", "Z", "y"}) {
      CAPTURE(name);
      CHECK(ui::is_hidden(s, s.graph.find(name), true));
      CHECK_FALSE(ui::is_hidden(s, s.graph.find(name), false));
    }
    CHECK_FALSE(ui::is_hidden(s, s.graph.output, true));  // df/df = 1 gives nothing away
  }
  SUBCASE("worked example 2: the generated matmul node carries dZ and is hidden with it") {
    ui::AppState s;
    REQUIRE(ui::set_program(s, "#! ask: dZ, db\n#! lock: X, T\n" + std::string(find_example("softmax")->source)));
    int matmul = -1;
    for (size_t i = 0; i < s.graph.nodes.size(); ++i)
      if (s.graph.nodes[i].generated_name) matmul = int(i);
    REQUIRE(matmul >= 0);
    CHECK(s.graph.node(matmul).grad == s.graph.node(s.graph.find("Z")).grad);  // the leak the rule closes
    CHECK(ui::is_hidden(s, matmul, true));
    for (const char* name : {"W", "X", "b", "Z"}) CHECK(ui::is_hidden(s, s.graph.find(name), true));
    CHECK_FALSE(ui::is_hidden(s, s.graph.find("L"), true));
    CHECK_FALSE(ui::is_hidden(s, s.graph.find("T"), true));  // T is not upstream of Z
    CHECK_FALSE(ui::is_hidden(s, matmul, false));
  }
  SUBCASE("an asked value hides every value downstream and every gradient") {
    ui::AppState s;
    REQUIRE(ui::set_program(s, "#! ask: y\n" + std::string(find_example("seed")->source)));
    CHECK_FALSE(ui::is_hidden(s, s.graph.find("Z"), false));
    CHECK(ui::is_hidden(s, s.graph.find("y"), false));
    CHECK(ui::is_hidden(s, s.graph.find("f"), false));
    for (size_t i = 0; i < s.graph.nodes.size(); ++i) CHECK(ui::is_hidden(s, int(i), true));
  }
  SUBCASE("step-through hides what the current step has not computed") {
    ui::AppState s;
    REQUIRE(ui::load_example(s, "seed"));
    ui::step_to(s, 0);
    s.stepper.start(s.graph);
    CHECK(ui::is_hidden(s, s.graph.find("Z"), false));
    CHECK(ui::is_hidden(s, s.graph.output, false));
    CHECK_FALSE(ui::is_hidden(s, s.graph.find("W"), false));
    ui::step_to(s, 1);
    CHECK_FALSE(ui::is_hidden(s, s.graph.find("Z"), false));
    CHECK(s.selected == s.graph.find("Z"));  // the inspector follows the step
    CHECK(ui::is_hidden(s, s.graph.find("y"), false));
    ui::step_to(s, 5);  // df/dy sent by f
    CHECK_FALSE(ui::is_hidden(s, s.graph.find("y"), true));
    CHECK(ui::is_hidden(s, s.graph.find("Z"), true));
  }
}

TEST_CASE("the step hint: each question at exactly the step that computes it") {
  // seed: forward Z (1), y (2), f (3); backward seed df/df (4), f sends dy (5), y sends dZ (6),
  // Z sends dW and dx (7).
  ui::AppState s;
  REQUIRE(ui::load_example(s, "seed"));
  s.stepper.start(s.graph);
  const Graph& g = s.graph;
  CHECK(s.stepper.computing_step(g.find("Z"), false) == 1);
  CHECK(s.stepper.computing_step(g.find("f"), false) == 3);
  CHECK(s.stepper.computing_step(g.find("W"), false) == 0);
  CHECK(s.stepper.computing_step(g.find("f"), true) == 4);
  CHECK(s.stepper.computing_step(g.find("y"), true) == 5);
  CHECK(s.stepper.computing_step(g.find("Z"), true) == 6);
  CHECK(s.stepper.computing_step(g.find("W"), true) == 7);
  CHECK(s.stepper.computing_step(g.find("x"), true) == 7);
  // A node read twice gets its last contribution from its earliest reader.
  REQUIRE(ui::set_program(s, "a = 2\nb = a * a\nc = b + a\n"));
  s.stepper.start(s.graph);
  // forward b (1), c (2); backward seed (3), c sends db and da (4), b sends da again (5)
  CHECK(s.stepper.computing_step(s.graph.find("a"), true) == 5);
  CHECK(s.stepper.computing_step(s.graph.find("b"), true) == 4);
  for (int step = 0; step <= s.stepper.last_step(); ++step) {  // and the gradient is final there
    s.stepper.go(s.graph, step);
    CAPTURE(step);
    CHECK((s.stepper.grad_state(s.graph.find("a")) == ui::GradState::Final) == (step >= 5));
  }
}

TEST_CASE("answers: numbers and small expressions") {
  CHECK(parse_answer("1/4") == 0.25);
  CHECK(parse_answer("-2.5e-1") == -0.25);
  CHECK(parse_answer("0.5*0.5") == 0.25);
  CHECK(parse_answer(" (1 - 0.5) * 2 ") == 1.0);
  CHECK(parse_answer("-(3)") == -3.0);
  CHECK(parse_answer(".5") == 0.5);
  for (const char* bad : {"", "abc", "1/0", "1 2", "1/", "0x10", "inf", "nan", "1e", "(1", "1)", "."}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_answer(bad).has_value());
  }
  ui::AppState s;
  REQUIRE(ui::set_program(s, kSeedExercise));
  s.answers[0].cells = {"1", "one", "1"};
  ui::check_answer(s, 0);
  CHECK(s.answers[0].not_number == std::vector<char>{0, 1, 0});
  CHECK(s.answers[0].marked.right == std::vector<char>{1, 0, 1});
  // Reveal is not "answered": it is counted apart, and a check after it is not "right".
  s.answers[1].revealed = true;
  s.answers[1].cells = {"1/4", "1/4", "1/4"};
  ui::check_answer(s, 1);
  CHECK(s.answers[1].marked.all());
  CHECK_FALSE(s.answers[1].right_first_try());
  s.answers[0].cells[1] = "1";
  ui::check_answer(s, 0);
  ui::ExerciseSummary sum = ui::exercise_summary(s);
  CHECK(sum.first_try == 0);
  CHECK(sum.after_retries == 1);
  CHECK(sum.revealed == 1);
  CHECK(sum.open == 1);
}

TEST_CASE("training ticks the parameters, not data or targets") {
  auto params = [](const char* example) {
    return default_params(compile(find_example(example)->source).value());
  };
  CHECK(params("seed") == std::set<std::string>{"W"});
  CHECK(params("mlp") == std::set<std::string>{"W1", "b1", "W2", "b2"});
  CHECK(params("softmax") == std::set<std::string>{"W", "b"});
  CHECK(default_params(compile("x = [[1, 2]]\nW = [[1], [2]]\nf = sum(x @ W)\n").value()) ==
        std::set<std::string>{"W"});
  ui::AppState s;
  REQUIRE(ui::load_example(s, "mlp"));
  CHECK(s.training.train == std::set<std::string>{"W1", "b1", "W2", "b2"});
  REQUIRE(ui::set_program(s, "#! params: W1, b1\n" + std::string(find_example("mlp")->source)));
  CHECK(s.training.train == std::set<std::string>{"W1", "b1"});
  auto bad = parse_exercise("#! params: X1\n", compile("X1 = 1\nf = X1 * 2\n").value());
  CHECK(bad);
  bad = parse_exercise("#! params: f\n", compile("X1 = 1\nf = X1 * 2\n").value());
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message == "'f' is not an input, so it cannot be trained");

  SUBCASE("Reset training returns to the starting values") {
    REQUIRE(ui::load_example(s, "mlp"));
    Matrix w1 = s.graph.node(s.graph.find("W1")).value;
    double loss = s.graph.node(s.graph.output).value(0, 0);
    for (int i = 0; i < 20; ++i) ui::train_step(s);
    CHECK(s.graph.node(s.graph.find("W1")).value != w1);
    ui::reset_training(s);
    CHECK(s.graph.node(s.graph.find("W1")).value == w1);
    CHECK(s.graph.node(s.graph.output).value(0, 0) == loss);
    CHECK(s.training.history.empty());
  }
}

TEST_CASE("locks hold against edits of the program text") {
  ui::AppState s;
  REQUIRE(ui::set_program(s, kSeedExercise));  // locks W
  const std::string before = s.program;
  std::string edited = before;
  edited.replace(edited.find("[[2, 1, 2]"), 10, "[[9, 1, 2]");
  CHECK_FALSE(ui::edit_program(s, edited, s.example));
  REQUIRE(s.error);
  CHECK(s.error->message == "'W' is locked: its value cannot be changed");
  CHECK(s.error->line == 4);
  CHECK(s.error->column == 5);  // at the literal
  CHECK(s.program == edited);   // what was typed is kept, not applied
  CHECK(s.graph.node(s.graph.find("W")).value(0, 0) == 2);
  // Unlocked x may change through the text.
  std::string x_edit = before;
  x_edit.replace(x_edit.find("x = [[1]"), 8, "x = [[3]");
  CHECK(ui::edit_program(s, x_edit, s.example));
  CHECK(s.graph.node(s.graph.find("x")).value(0, 0) == 3);
  CHECK(s.graph.node(s.graph.find("Z")).value(0, 0) == 2 * 3 - 2);
  // set() (the JS API) and the side panel's path return the reason.
  auto r = ui::set_input_value(s, "W", Matrix::Zero(3, 3));
  REQUIRE_FALSE(r);
  CHECK(r.error().message == "'W' is locked");
  CHECK_FALSE(ui::set_input_entry(s, s.graph.find("W"), 0, 0, 5.0));
  SUBCASE("the exercise's own '#!' lines cannot be edited away, not even over two edits") {
    const std::string good = s.graph.source;
    std::string no_lock = good;
    const size_t at = no_lock.find("#! lock:");
    REQUIRE(at != std::string::npos);
    no_lock.erase(at, no_lock.find('\n', at) + 1 - at);
    CHECK_FALSE(ui::edit_program(s, no_lock, s.example));
    REQUIRE(s.error);
    CHECK(s.error->message == "the exercise's '#!' lines are locked: they say what is asked and what is locked");
    CHECK(s.program == no_lock);  // kept in the editor, not applied
    std::string then_w = no_lock;
    then_w.replace(then_w.find("[[2, 1, 2]"), 10, "[[9, 1, 2]");
    CHECK_FALSE(ui::edit_program(s, then_w, s.example));
    CHECK(s.graph.node(s.graph.find("W")).value(0, 0) == 2);
    CHECK(ui::is_locked(s, "W"));
  }
  SUBCASE("with '*' nothing changes") {
    REQUIRE(ui::set_program(s, "#! lock: *\n" + std::string(find_example("seed")->source)));
    CHECK(ui::all_locked(s));
    std::string t = s.program;
    t.replace(t.find("x = [[1]"), 8, "x = [[5]");
    CHECK_FALSE(ui::edit_program(s, t, s.example));
    CHECK(s.error->message == "'x' is locked: its value cannot be changed");
  }
}

TEST_CASE("undo and redo over every kind of change") {
  ui::AppState s;
  REQUIRE(ui::load_example(s, "seed"));
  ui::record_history(s);
  const std::string seed = s.program;
  REQUIRE(ui::set_input_entry(s, s.graph.find("W"), 0, 0, 5.0));  // a value
  ui::record_history(s);
  const std::string dragged = s.program;
  REQUIRE(ui::set_input_value(s, "x", Matrix::Ones(3, 1)));  // another value
  ui::record_history(s);
  REQUIRE(ui::edit_program(s, s.program + "g = 2 * f\n", s.example));  // typed text
  ui::record_history(s);
  REQUIRE(ui::load_example(s, "mlp"));  // an example switch
  ui::record_history(s);
  REQUIRE(ui::set_input_value(s, "b1", Matrix::Zero(3, 4)));  // a reshape
  ui::record_history(s);
  for (int i = 0; i < 5; ++i) ui::train_step(s);
  ui::reset_training(s);  // both kinds of reset are plain changes of the text
  REQUIRE(ui::load_example(s, "mlp"));  // the program panel's Reset
  ui::record_history(s);
  CHECK(s.graph.node(s.graph.find("b1")).shape() == Shape{3, 1});
  REQUIRE(ui::undo(s));
  CHECK(s.graph.node(s.graph.find("b1")).shape() == Shape{3, 4});
  REQUIRE(ui::undo(s));
  CHECK(s.graph.node(s.graph.find("b1")).shape() == Shape{3, 1});
  REQUIRE(ui::undo(s));
  CHECK(s.example == "seed");
  CHECK(s.graph.find("g") >= 0);
  REQUIRE(ui::undo(s));
  CHECK(s.graph.find("g") < 0);
  CHECK(s.graph.node(s.graph.find("x")).value == Matrix::Ones(3, 1));
  REQUIRE(ui::undo(s));
  CHECK(s.program == dragged);
  REQUIRE(ui::undo(s));
  CHECK(s.program == seed);
  CHECK_FALSE(ui::undo(s));
  REQUIRE(ui::redo(s));
  CHECK(s.program == dragged);
  CHECK(s.graph.node(s.graph.find("W")).value(0, 0) == 5.0);
  SUBCASE("at least 100 steps") {
    for (int i = 1; i <= 150; ++i) {
      REQUIRE(ui::set_input_entry(s, s.graph.find("x"), 0, 0, double(i)));
      ui::record_history(s);
    }
    for (int i = 0; i < 120; ++i) REQUIRE(ui::undo(s));
    CHECK(s.graph.node(s.graph.find("x")).value(0, 0) == 30.0);
  }
  SUBCASE("a text that does not compile is restored as typed") {
    ui::edit_program(s, "W = [[1, 2]\n", s.example);
    ui::record_history(s);
    REQUIRE(ui::load_example(s, "neuron"));
    ui::record_history(s);
    REQUIRE(ui::undo(s));
    CHECK(s.program == "W = [[1, 2]\n");
    CHECK(s.error);
  }
}

TEST_CASE("panels hide by the page's options and the exercise's lines, each by its own name") {
  ui::AppState s;
  REQUIRE(ui::load_example(s, "seed"));
  for (const char* p : kHideablePanels) CHECK(ui::panel_visible(s, p));
  for (const char* hidden : kHideablePanels) {
    CAPTURE(hidden);
    s.options.hidden = {hidden};
    for (const char* p : kHideablePanels) CHECK(ui::panel_visible(s, p) == (std::string(p) != hidden));
  }
  s.options.hidden.clear();
  REQUIRE(ui::set_program(s, "#! hide: menu, inputs\n" + std::string(find_example("seed")->source)));
  CHECK_FALSE(ui::panel_visible(s, "menu"));
  CHECK_FALSE(ui::panel_visible(s, "inputs"));
  CHECK(ui::panel_visible(s, "editor"));
  CHECK(panel_name_list() == "editor, inputs, side, menu, grads");
}
