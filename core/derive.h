// Derive mode: the student writes the backward pass by hand after a "#! backward" line
// (`dW = dZ @ x.T` claims df/dW), and every claim is checked entry by entry against
// autodiff at the current point and at perturbed points, so a formula that only happens to
// agree where the inputs sit (sigmoid(-Z) at Z = 0) is caught as a coincidence.
#pragma once

#include <string>
#include <vector>

#include "compile.h"
#include "graph.h"

namespace gs {

enum class Verdict { Right, Wrong, Shape, Coincidence };
const char* verdict_name(Verdict v);  // "right", "wrong", "shape", "coincidence"

// Whether a student's entry agrees with autodiff's: within 1e-6, relative to the entry's size
// when it is larger than 1 (nan only with nan, an infinity only with itself).
bool entry_agrees(double yours, double truth);

struct Claim {
  std::string name;       // "dW"
  std::string node;       // "W"
  int line = 0, column = 0;  // the first statement that writes it
  Verdict verdict = Verdict::Right;
  double max_error = 0;   // largest |yours - autodiff| at the point it was found (0 when right)
  int row = -1, col = -1; // where that largest error is (0-based), -1 when right or shape
  int point = 0;          // 0: the current point; k: the k-th perturbed point
  int points_off = 0;     // perturbed points where the claim disagrees (coincidence)
  int points_checked = 0; // perturbed points where autodiff's numbers were finite
  int follows = -1;       // a claim (index) this one uses that is not right, preferably one that
                          // uses none itself: the cause to name
  Matrix yours;           // the student's numbers at the current point
  Matrix truth;           // autodiff's df/dnode at the current point
  Matrix error;           // |yours - truth| per entry at the current point (empty on shape)
};

struct Derivation {
  std::vector<Claim> claims;  // in the order the section first writes them
  int first_wrong = -1;       // the first claim that is not right and follows from none, the one to fix first
  bool present() const { return !claims.empty(); }
  bool ok() const { return first_wrong < 0; }
};

// Compiles the backward section of g.source and checks every claim at the current inputs
// and at `points` perturbed points. An error in the section is returned located.
Result<Derivation> derive(const Graph& g, int points = 8);

// "dW must have W's shape (3, 3); yours is (3, 1)", "dZ follows from dy, which is wrong":
// the sentence after the verdict in `gradscope derive` and the Derive tab.
std::string claim_message(const Derivation& d, const Claim& c);

// {"claims": [{"name", "node", "line", "column", "verdict", "max_error", "where": [r, c] or
// null, "point", "follows": "dZ" or null, "message", "yours", "error"}], "first_wrong": "dy"
// or null, "ok"}: `gradscope derive --json` and the JS API's derivation(). Autodiff's own
// numbers are left out: the view must not hand out the answer it checks.
std::string derivation_json(const Derivation& d, int indent = -1);

}  // namespace gs
